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

/** The bounds of a number input. */
export interface NumberInput {
  fallback: number;
  min: number;
  max: number;
  /** Whole numbers only. */
  whole: boolean;
}

/**
 * Reads inputs of each kind and keeps every problem found, one line each naming its input: the
 * checks made elsewhere report theirs through `refuse`, so that the list has one writer.
 */
export class Reader {
  private readonly found: string[] = [];
  private readonly input: InputReader;

  constructor(input: InputReader) {
    this.input = input;
  }

  /** Every problem found so far. */
  get problems(): readonly string[] {
    return [...this.found];
  }

  /** Records a problem: one line that names its input and says what it expects. */
  refuse(problem: string): void {
    this.found.push(problem);
  }

  text(name: string): string {
    return this.input(name).trim();
  }

  id(name: string, value: string): string {
    if (!isId(value)) this.refuse(`${name}: expected a 32-character hexadecimal ID, got ${quote(value)}.`);
    return value.toLowerCase();
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.text(name);
    if (value === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    this.refuse(`${name}: expected true or false, got ${quote(value)}.`);
    return fallback;
  }

  number(name: string, { fallback, min, max, whole }: NumberInput): number {
    const value = this.text(name);
    if (value === '') return fallback;
    const parsed = Number(value);
    if (/^\d+(\.\d+)?$/.test(value) && (!whole || Number.isInteger(parsed)) && parsed >= min && parsed <= max) {
      return parsed;
    }
    const kind = whole ? 'a whole number' : 'a number';
    this.refuse(`${name}: expected ${kind} from ${min} to ${max}, got ${quote(value)}.`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.text(name);
    if (value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.refuse(`${name}: expected one of ${allowed.join(', ')}, got ${quote(value)}.`);
    return fallback;
  }

  /**
   * A list input's entries, bounded in number; entries that fail are one problem with examples.
   * `problem` says why an entry fails ('' when `expected` says it all), or undefined when it is fine.
   */
  list(
    name: string,
    expected: string,
    problem: (entry: string) => string | undefined,
    { commas = true }: { commas?: boolean } = {},
  ): string[] {
    const entries = splitList(this.input(name), { commas });
    if (entries.length > MAX_LIST_ENTRIES) {
      this.refuse(`${name}: at most ${MAX_LIST_ENTRIES} entries, got ${entries.length}.`);
      return entries;
    }
    const invalid = entries.flatMap((entry) => {
      const why = problem(entry);
      if (why === undefined) return [];
      return [why === '' ? quote(entry) : `${quote(entry)} (${why})`];
    });
    if (invalid.length === 1) this.refuse(`${name}: expected ${expected}, got ${invalid[0]}.`);
    if (invalid.length > 1) {
      const examples = invalid.slice(0, MAX_EXAMPLES).join(', ');
      this.refuse(`${name}: expected ${expected}; ${invalid.length} entries are not, such as ${examples}.`);
    }
    return entries;
  }
}
