// The one place where text from outside (API answers, the event, inputs) is made safe for each
// sink the action writes to: a log line, an annotation, an output, Markdown for the job summary
// and the issue comment. Always in the same order: credentials are redacted first, the text is
// cut to its sink's bound next, and escaping for the sink comes last, so no cut can leave a
// fragment of a credential and no escape can hide one from the redactor.

import { redactor, type Redact } from './redaction.js';

export { secretParts } from './redaction.js';

/** Markdown that went through this module: the only kind the summary and the comment accept. */
export type SafeMarkdown = string & { readonly __safe: 'markdown' };

/** Cuts `text` to at most `limit` characters (whole code points), saying how much was left out. */
export function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const kept = Array.from(text.slice(0, limit)).join('');
  // A lone high surrogate at the end would be half a character.
  const whole = /[\uD800-\uDBFF]$/.test(kept) ? kept.slice(0, -1) : kept;
  return `${whole}… (${text.length - whole.length} more characters)`;
}

// .NET's char.IsWhiteSpace, which the runner's TrimStart uses, and JavaScript's \s differ:
// the union of both is treated as whitespace, which can only make the check stricter.
const LEADING_SPACE = /^[\s\u0085\u180e\u200b]*/u;

/**
 * Makes text inert as workflow commands. The runner reads a line (split at CR or LF) as a
 * command when, after leading whitespace, it starts with `::` (and names a command), or when
 * `##[` appears anywhere in it (actions/runner, src/Runner.Common/ActionCommand.cs: TryParseV2
 * and TryParse). So a line that would start with `::` gets a visible `: ` in front of its second
 * colon, and every `##[` becomes `# #[`. Ordinary text is left as it is.
 */
export function neutralizeCommands(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((part) => {
      const lead = LEADING_SPACE.exec(part)![0];
      return part.startsWith('::', lead.length) ? `${lead}: ${part.slice(lead.length + 1)}` : part;
    })
    .join('')
    .replace(/##\[/g, '# #[');
}

/**
 * Makes control characters visible (`\x1b`): a terminal escape sequence from outside text would
 * otherwise recolour or rewrite what the log shows. Tabs and line breaks stay.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

function neutralizeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * A value as JSON that any JSON parser reads back, whatever text it carries: JSON.stringify
 * leaves DEL and the C1 controls (U+0085 among them) and the line and paragraph separators as
 * they are, so they are written as \u escapes too, and no sink needs to touch them afterwards.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Limits per sink, in characters. GitHub shows at most about 4 KB of an annotation. */
export const LIMITS = { logLine: 8_000, annotation: 4_000, markdownInline: 1_000, markdownBlock: 20_000 } as const;

export interface SafeText {
  redact: Redact;
  /** A log line (or several): redacted, bounded, never a workflow command. */
  forLog: (text: string) => string;
  /** An error or warning annotation: redacted, bounded, never a workflow command. */
  forAnnotation: (text: string) => string;
  /** Redacted, then cut to `limit`: for free text kept inside structured values. */
  excerpt: (text: string, limit: number) => string;
  /** An output value: redacted, never cut (outputs carry JSON that later steps parse). */
  forOutput: (text: string) => string;
  /** Outside text as an inline code span: no Markdown, HTML, mention or link can come of it. */
  code: (text: string) => SafeMarkdown;
  /** Outside text, several lines of it, as a fenced code block. */
  block: (text: string) => SafeMarkdown;
  /** Joins trusted Markdown with pieces made by `code` and `block`, then redacts the whole. */
  markdown: (parts: ReadonlyArray<string | SafeMarkdown>) => SafeMarkdown;
}

export function safeText(secrets: Iterable<string>): SafeText {
  const redact = redactor(secrets);
  return {
    redact,
    forLog: (text) => neutralizeControls(neutralizeCommands(cut(redact(text), LIMITS.logLine))),
    forAnnotation: (text) => neutralizeControls(neutralizeCommands(cut(redact(text), LIMITS.annotation))),
    excerpt: (text, limit) => cut(redact(text), limit),
    forOutput: (text) => neutralizeControls(redact(text)),
    code: (text) => codeSpan(cut(redact(text), LIMITS.markdownInline).replace(/[\r\n]+/g, ' ')),
    block: (text) => codeBlock(cut(redact(text), LIMITS.markdownBlock)),
    markdown: (parts) => redact(parts.join('')) as SafeMarkdown,
  };
}

// A code span's fence is one backtick longer than the longest run inside it, with a space on
// each side; `|` is escaped, because a table cell ends at a pipe even inside a code span.
function codeSpan(text: string): SafeMarkdown {
  if (text.trim() === '') return '' as SafeMarkdown;
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  return `${fence} ${text.replace(/\|/g, '\\|')} ${fence}` as SafeMarkdown;
}

function codeBlock(text: string): SafeMarkdown {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}text\n${text.replace(/\r\n?/g, '\n')}\n${fence}` as SafeMarkdown;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
