// How much of a long record a rendering shows, so that it fits GitHub's limits: characters of
// detail per group, and rows per list. Counts are never shortened.
import { LIMITS, type SafeText } from '../safe-text.js';

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
