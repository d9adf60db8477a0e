// Reads one input of a kind, and records a problem naming the input when the value does not fit.
import { isId, quote } from '../identifiers.js';

export type InputReader = (name: string) => string;

const MAX_LIST_ENTRIES = 1_000;
const MAX_EXAMPLES = 3;

/** Splits a list input on newlines (and commas unless told otherwise); trims, drops blanks and repeats. */
export function splitList(value: string, { commas = true } = {}): string[] {
  const entries = value.split(commas ? /[\r\n,]/ : /[\r\n]/).map((entry) => entry.trim());
  return [...new Set(entries.filter((entry) => entry !== ''))];
}

export class Reader {
  readonly problems: string[] = [];
  private readonly input: InputReader;

  constructor(input: InputReader) {
    this.input = input;
  }

  text(name: string): string {
    return this.input(name).trim();
  }

  id(name: string, value: string): string {
    if (!isId(value)) this.problems.push(`${name}: expected a 32-character hexadecimal ID, got ${quote(value)}.`);
    return value.toLowerCase();
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.text(name);
    if (value === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    this.problems.push(`${name}: expected true or false, got ${quote(value)}.`);
    return fallback;
  }

  number(name: string, fallback: number, min: number, max: number, integer: boolean): number {
    const value = this.text(name);
    if (value === '') return fallback;
    const parsed = Number(value);
    if (/^\d+(\.\d+)?$/.test(value) && (!integer || Number.isInteger(parsed)) && parsed >= min && parsed <= max) {
      return parsed;
    }
    const kind = integer ? 'a whole number' : 'a number';
    this.problems.push(`${name}: expected ${kind} from ${min} to ${max}, got ${quote(value)}.`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.text(name);
    if (value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name}: expected one of ${allowed.join(', ')}, got ${quote(value)}.`);
    return fallback;
  }

  /**
   * A list input's entries, bounded in number; entries that fail are one problem with examples.
   * `problem` says why an entry fails ('' when `expected` says it all), or undefined when it is fine.
   */
  list(name: string, expected: string, problem: (entry: string) => string | undefined, commas = true): string[] {
    const entries = splitList(this.input(name), { commas });
    if (entries.length > MAX_LIST_ENTRIES) {
      this.problems.push(`${name}: at most ${MAX_LIST_ENTRIES} entries, got ${entries.length}.`);
      return entries;
    }
    const invalid = entries.flatMap((entry) => {
      const why = problem(entry);
      if (why === undefined) return [];
      return [why === '' ? quote(entry) : `${quote(entry)} (${why})`];
    });
    if (invalid.length === 1) this.problems.push(`${name}: expected ${expected}, got ${invalid[0]}.`);
    if (invalid.length > 1) {
      const examples = invalid.slice(0, MAX_EXAMPLES).join(', ');
      this.problems.push(`${name}: expected ${expected}; ${invalid.length} entries are not, such as ${examples}.`);
    }
    return entries;
  }
}
