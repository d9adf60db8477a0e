// JSON read strictly, for a record that may be hostile: a key written twice, a value nested deeper
// than a record is, a `…LeftOut` count, and each value of the wrong kind is a RecordError that says
// where, never a guess.
import { isId, quote } from '../identifiers.js';

export type Fields = Record<string, unknown>;

/** A record is nested a few levels deep; the remaining access at most seven. */
const MAX_DEPTH = 16;

/**
 * The first key that one object of this JSON text has twice; the text is valid JSON (JSON.parse
 * read it), which keeps the last value and says nothing.
 */
export function repeatedKey(text: string): string | undefined {
  const objects: Array<Set<string> | undefined> = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '{') objects.push(new Set());
    else if (char === '[') objects.push(undefined);
    else if (char === '}' || char === ']') objects.pop();
    else if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const token = text.slice(i, end + 1);
      i = end;
      let next = end + 1;
      while (text[next] === ' ' || text[next] === '\n' || text[next] === '\r' || text[next] === '\t') next++;
      const keys = objects.at(-1);
      if (keys === undefined || text[next] !== ':') continue;
      const key = JSON.parse(token) as string;
      if (keys.has(key)) return key;
      keys.add(key);
    }
  }
  return undefined;
}

/** A value that is not what the action writes there: the message says where and why. */
export class RecordError extends Error {}

export function refuse(where: string, why: string): never {
  throw new RecordError(`${where === '' ? 'the record' : where} ${why}`);
}

// The first `…LeftOut` key anywhere in the value, by its path; refuses a value nested deeper than a record is.
export function leftOut(value: unknown, where: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) refuse(where, `is nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = leftOut(item, `${where}[${index}]`, depth + 1);
      if (found !== undefined) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const path = where === '' ? key : `${where}.${key}`;
      if (key.endsWith('LeftOut')) return path;
      const found = leftOut(item, path, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, where: string, why: string): Fields {
  if (!isPlainObject(value)) refuse(where, why);
  return value;
}

/** The object's fields, when it has only keys of `known` and every one of `required`. */
export function fields(
  value: Fields,
  where: string,
  known: readonly string[],
  required: readonly string[] = [],
): Fields {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) refuse(where, `has a field the action never writes there, ${quote(unknown)}`);
  const missing = required.find((key) => !(key in value));
  if (missing !== undefined) refuse(where, `has no ${quote(missing)}`);
  // Null-prototype: what the record names is data, never a property of every object.
  return Object.assign(Object.create(null) as Fields, value);
}

export function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) refuse(where, 'is not a list');
  return value;
}

export function id(value: unknown, where: string): string {
  if (!isId(value)) refuse(where, 'is not an ID (32 hexadecimal characters)');
  return value.toLowerCase();
}

export function ids(value: unknown, where: string): string[] {
  return list(value, where).map((item, i) => id(item, `${where}[${i}]`));
}

export function text(value: unknown, where: string, limit = 100_000): string {
  if (typeof value !== 'string') refuse(where, 'is not text');
  if (value.length > limit) refuse(where, `is longer than the action writes (${limit} characters)`);
  return value;
}

export function literal(value: unknown, where: string, allowed: readonly unknown[]): unknown {
  if (!allowed.includes(value))
    refuse(where, `is not one of ${allowed.map((each) => JSON.stringify(each)).join(', ')}`);
  return value;
}
