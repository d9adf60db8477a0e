// The job summary (also the issue comment): who, a table of the target groups and their outcomes,
// why the run failed, and the access that remains. Outside text goes in only through safe-text.
// A long record is shortened to fit GitHub's limits, per-group detail first; the counts stay exact.
import type { GroupOutcome, GroupResult } from '../model.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { FULL, shorten, type Detail } from './detail.js';
import { describeStop } from '../watchdog.js';
import type { Explain } from './outcome.js';
import type { RunView } from './outcome.js';
import { remainingMarkdown } from './remaining-markdown.js';
import { stepsMarkdown } from './steps.js';

const OUTCOME_TEXT: Record<GroupOutcome, string> = {
  removed: '✅ removed',
  'would-remove': '🔍 would remove (dry run)',
  'not-member': '➖ not a member',
  failed: '❌ failed',
  unknown: '❓ unknown, check it',
};

export function summaryMarkdown(
  run: RunView,
  failure: string | undefined,
  noneHeld: boolean,
  explain: Explain,
  text: SafeText,
  detail: Detail = FULL,
): SafeMarkdown {
  const { record } = run;
  const md: Array<string | SafeMarkdown> = [...heading(run, text)];
  if (run.interrupted) {
    md.push(
      `**Stopped** (${describeStop(run.interrupted)}): the table shows what was settled before the run stopped.\n\n`,
    );
  }
  if (run.dryRun) md.push('**Dry run**: nothing was removed; the table shows what would be.\n\n');
  if (run.stoppedBefore) {
    md.push('The run stopped before any request to Cloudflare; nothing was removed.\n\n');
  } else if (record.groups.length > 0) {
    md.push(...groupTable(record.groups, explain, text, detail));
  } else if (noneHeld) {
    md.push('No user group of the account holds this member; nothing to remove.\n\n');
  }
  md.push(...stepsMarkdown(record, explain, text, run.remaining === undefined));
  if (record.notInAccount !== undefined) md.push(text.code(record.notInAccount), '\n\n');
  else if (record.groups.length === 0 && failure !== undefined && !run.stoppedBefore)
    md.push('Nothing was removed.\n\n');
  if (record.stopped && record.groups.some((r) => r.outcome === 'removed')) {
    md.push('The run stopped part-way; the table lists what was removed before it stopped.\n\n');
  }
  if (failure !== undefined) md.push('**Failed:**\n\n', text.block(failure), '\n\n');
  if (run.remaining) md.push(...remainingMarkdown(run.remaining, text, detail));
  return text.markdown(md);
}

function heading({ member }: RunView, text: SafeText): Array<string | SafeMarkdown> {
  const who =
    member.email !== undefined
      ? [text.code(member.email)]
      : member.id !== undefined
        ? ['member ', text.code(member.id)]
        : ['the member'];
  return ['## Remove ', ...who, ' from Cloudflare user groups\n\n'];
}

function groupTable(
  groups: GroupResult[],
  explain: Explain,
  text: SafeText,
  detail: Detail,
): Array<string | SafeMarkdown> {
  const md: Array<string | SafeMarkdown> = ['| User group | ID | Outcome |\n| --- | --- | --- |\n'];
  // Failures first when rows must be left out: they are what the admin has to act on.
  const shown =
    groups.length <= detail.rows ? groups : [...groups].sort((a, b) => rank(a) - rank(b)).slice(0, detail.rows);
  for (const r of shown) md.push('| ', ...groupCells(r, explain, text, detail), ' |\n');
  md.push('\n');
  if (shown.length < groups.length) md.push(counts(groups, groups.length - shown.length));
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

function rank(result: GroupResult): number {
  return result.outcome === 'failed' || result.outcome === 'unknown' ? 0 : 1;
}

function counts(groups: GroupResult[], left: number): string {
  const tally = (outcome: GroupOutcome) => groups.filter((r) => r.outcome === outcome).length;
  const parts = (Object.keys(OUTCOME_TEXT) as GroupOutcome[])
    .map((outcome) => [outcome, tally(outcome)] as const)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${OUTCOME_TEXT[outcome]}`);
  return `${left} of ${groups.length} groups are left out of this table to keep it short; in all: ${parts.join(', ')}. The \`result\` output lists every group.\n\n`;
}
