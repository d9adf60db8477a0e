// How a group's outcome is shown in a table row, and what the tables of a summary mean.
import type { GroupOutcome, GroupResult } from '../model.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { describeStop } from '../watchdog.js';
import { shorten, type Detail } from './detail.js';
import type { Explain } from './facts.js';
import type { RunView } from './run-view.js';

export const OUTCOME_TEXT: Record<GroupOutcome, string> = {
  removed: '✅ removed',
  'would-remove': '🔍 would remove (dry run)',
  'not-member': '➖ not a member',
  failed: '❌ failed',
  unknown: '❓ unknown, check it',
};

/** What the tables below mean: a stopped run, a dry run. */
export function notes({ interrupted, facts }: RunView): string[] {
  const md: string[] = [];
  if (interrupted)
    md.push(`**Stopped** (${describeStop(interrupted)}): the table shows what was settled before the run stopped.\n\n`);
  if (facts.dryRun) md.push('**Dry run**: nothing was removed; the table shows what would be.\n\n');
  return md;
}

/** A group's cells of a table row: its name, its ID, and its outcome with the error or note. */
export function groupCells(
  result: GroupResult,
  explain: Explain,
  text: SafeText,
  detail: Detail,
): Array<string | SafeMarkdown> {
  const cells: Array<string | SafeMarkdown> = [
    text.code(result.group.name ?? ''),
    ' | ',
    text.code(result.group.id),
    ' | ',
    OUTCOME_TEXT[result.outcome],
  ];
  const about = result.problem ? explain(result.problem) : result.note;
  if (about && detail.perGroup > 0) cells.push(': ', text.code(shorten(about, detail.perGroup, text)));
  return cells;
}

/** Failures first when rows must be left out: they are what the admin has to act on. */
export function actionFirst(result: GroupResult): number {
  return result.outcome === 'failed' || result.outcome === 'unknown' ? 0 : 1;
}
