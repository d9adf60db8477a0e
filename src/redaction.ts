// Credentials never reach a reader: every text the action writes has them replaced by `***`, in
// every form an answer or a page can carry them: as they are, escaped for JSON, a URL, HTML or
// Markdown, base64-encoded, and broken across lines.

export type Redact = (text: string) => string;

const MASK = '***';
/** Base64 forms are redacted only for credentials this long: a shorter one would hide ordinary words. */
const MIN_ENCODED_SECRET = 12;

/**
 * What of each credential is masked and redacted: the value, and each line of a multi-line one
 * (the runner masks line by line) unless the line is so short that it would hide ordinary words.
 */
export function secretParts(secrets: Iterable<string>): string[] {
  const parts = [...secrets].flatMap((secret) => {
    const lines = secret.split(/\r\n|\r|\n/).map((line) => line.trim());
    return [secret.trim(), ...lines.filter((line) => line.length >= 4)];
  });
  return [...new Set(parts.filter((part) => part !== ''))];
}

/** Replaces every credential in `text`, in each of its forms; a line break may fall anywhere inside one. */
export function redactor(secrets: Iterable<string>): Redact {
  const forms = new Set<string>();
  for (const value of secretParts(secrets)) {
    const escaped = [
      JSON.stringify(value).slice(1, -1),
      encodeURIComponent(value),
      encodeURI(value),
      escapeHtml(value),
      escapeMarkdown(value),
      value.replace(/\|/g, '\\|'),
    ];
    for (const form of [value, ...escaped, ...base64Forms(value)]) forms.add(form);
  }
  if (forms.size === 0) return (text) => text;
  // Longest first, so a credential that contains another is replaced whole. A wrapped page or a
  // folded header may break one across lines: a line break (or its escaped form, \n, once the
  // text is put on one line) and the indent after it are allowed between any two of its characters.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  const lineBreak = String.raw`(?:(?:\r?\n|\\r\\n|\\n)[ \t]*)?`;
  const pattern = new RegExp(ordered.map((form) => Array.from(form, escapeRegExp).join(lineBreak)).join('|'), 'g');
  return (text) => text.replace(pattern, MASK);
}

/**
 * The base64 of a credential, as it stands inside the base64 of any longer text: one form for each
 * of the three ways the credential can fall against base64's 3-byte groups, with the characters
 * that depend on the text around it left out; standard and URL-safe alphabets.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  if (value.length < MIN_ENCODED_SECRET) return [];
  return [0, 1, 2].flatMap((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    return [core, core.replace(/\+/g, '-').replace(/\//g, '_')];
  });
}

function escapeRegExp(char: string): string {
  return char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]{}()#+\-.!|~<>])/g, '\\$1');
}
