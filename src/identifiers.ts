// What an ID and an address are, how two addresses compare, and how a value is shown in a message:
// one rule for every input and every answer. Imports nothing, so anything may import it.

const ID = /^[0-9a-fA-F]{32}$/;

/** A Cloudflare id: exactly 32 hexadecimal characters, so that no path can be smuggled into a URL. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

const MAX_EMAIL_LENGTH = 254;

/**
 * Why a value is not a plain address (`local@domain`), or undefined when it is one: printable
 * ASCII only, exactly one `@` with text on both sides, no quotes, angle brackets, commas or
 * semicolons, no `mailto:` prefix, no trailing dot, at most 254 characters. The forms an address
 * takes when it is pasted from a mail client or a web page are refused, never cleaned up: a
 * cleaned-up entry of protected-members would protect an address nobody typed.
 */
export function addressProblem(value: string): string | undefined {
  if (value.length > MAX_EMAIL_LENGTH) return `at most ${MAX_EMAIL_LENGTH} characters`;
  if (/[^\x21-\x7e]/.test(value)) return 'printable ASCII only: no spaces, invisible or accented characters';
  if (/^mailto:/i.test(value)) return 'no mailto: prefix';
  if (/["<>,;]/.test(value)) return 'no quotes, angle brackets, commas or semicolons';
  const parts = value.split('@');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return 'exactly one @, with text on both sides';
  if (value.endsWith('.')) return 'no trailing dot';
  return undefined;
}

export function isEmail(value: string): boolean {
  return addressProblem(value) === undefined;
}

/**
 * A value for a message, in quotes: shortened, with every character that is not printable ASCII
 * shown by its code point (`<U+200B>`), so that a rejected value never looks like a valid one.
 */
export function quote(value: string): string {
  const points = Array.from(value);
  const shown = points.slice(0, 60).map(visibleChar).join('');
  return `"${shown}${points.length > 60 ? '…' : ''}"`;
}

/**
 * A user group, an account or a token in a message: its name as `quote` shows it, and its id; the
 * id alone where the name was not read.
 */
export function labelOf(item: { id: string; name?: string }): string {
  return item.name !== undefined ? `${quote(item.name)} (${item.id})` : item.id;
}

function visibleChar(char: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  if (named[char]) return named[char];
  if (/^[\x20-\x7e]$/.test(char)) return char;
  return `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * Emails compare equal ignoring ASCII case only. Full Unicode case folding would make other
 * addresses equal: "\u212Aate@example.com" (Kelvin sign) lower-cases to "kate@example.com".
 */
export function foldEmail(email: string): string {
  return email.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
