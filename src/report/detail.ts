// How much of a long record a rendering shows, so that it fits GitHub's limits: characters of
// detail per group, and rows per list. Counts are never shortened.
import { LIMITS, type SafeMarkdown, type SafeText } from '../safe-text.js';

/** GitHub drops a step summary over 1 MiB; this leaves room for the rest of the job's. */
const SUMMARY_BYTES = 800_000;
/** GitHub refuses a comment over 65,536 characters; the marker and a pointer need some. */
const COMMENT_CHARACTERS = 60_000;
/** GitHub allows 1 MB per output. */
export const OUTPUT_CHARACTERS = 900_000;

export interface Detail {
  perGroup: number;
  rows: number;
}

export const FULL: Detail = { perGroup: 1_000, rows: Number.POSITIVE_INFINITY };

/** Ever shorter renderings: detail per group first, then rows. */
export const SHORTER: Detail[] = [
  FULL,
  { perGroup: 200, rows: Number.POSITIVE_INFINITY },
  { perGroup: 0, rows: Number.POSITIVE_INFINITY },
  { perGroup: 0, rows: 200 },
  { perGroup: 0, rows: 20 },
];

/** Text cut to `limit` characters, unless the code span's own bound is tighter. */
export function shorten(about: string, limit: number, text: SafeText): string {
  return limit >= LIMITS.markdownInline ? about : text.excerpt(about, limit);
}

/** The first rendering that fits, or the shortest one. */
export function fitting<T extends string>(
  render: (detail: Detail) => T,
  fits: (value: T) => boolean,
  steps = SHORTER,
): T {
  for (const detail of steps) {
    const value = render(detail);
    if (fits(value)) return value;
  }
  return render(steps.at(-1)!);
}

/**
 * The job summary, the most detailed rendering that fits; and the issue comment: the summary, or
 * a shorter rendering that points to the run's page for the whole record.
 */
export function summaryAndComment(
  render: (detail: Detail) => SafeMarkdown,
  runUrl: string | undefined,
): { summary: SafeMarkdown; comment: SafeMarkdown } {
  const summary = fitting(render, (md) => Buffer.byteLength(md) <= SUMMARY_BYTES);
  const shortened = fitting(render, (md) => md.length <= COMMENT_CHARACTERS);
  const pointer = `_This comment is shortened; the job summary of the run has the whole record${runUrl ? `: ${runUrl}` : ''}._\n`;
  return { summary, comment: (shortened === summary ? summary : `${shortened}${pointer}`) as SafeMarkdown };
}
