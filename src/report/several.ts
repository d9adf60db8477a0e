// The report of a run about several members: one failure message naming each member that failed,
// and one summary with a table row per member and group, each member's steps beyond the groups,
// and the access that remains for each.
import type { GroupResult } from '../model.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { describeStop } from '../watchdog.js';
import { shorten, type Detail } from './detail.js';
import { failureMessage, stoppedMessage } from './failure.js';
import type { Explain, RunView } from './outcome.js';
import { remainingMarkdown, UNSEEN_ACCESS } from './remaining-markdown.js';
import { stepsMarkdown } from './steps.js';
import { groupCells } from './summary.js';

type Md = Array<string | SafeMarkdown>;

/** Why the step fails: what concerns the whole run once, then each member that failed, by name. */
export function severalFailure(runs: RunView[], explains: Explain[]): string | undefined {
  const { interrupted, stoppedBefore } = runs[0]!;
  const parts: string[] = [];
  if (interrupted)
    parts.push(
      stoppedMessage(
        interrupted,
        runs.map((run) => run.record),
      ),
    );
  if (stoppedBefore) parts.push(explains[0]!(stoppedBefore));
  runs.forEach((run, i) => {
    const own = failureMessage({ ...run, interrupted: undefined, stoppedBefore: undefined }, explains[i]!);
    if (own !== undefined) parts.push(`${run.who}: ${own.replace(/\n/g, '\n  ')}`);
  });
  return parts.length > 0 ? parts.join('\n') : undefined;
}

export function severalSummary(
  runs: RunView[],
  failure: string | undefined,
  explains: Explain[],
  text: SafeText,
  detail: Detail,
): SafeMarkdown {
  const { interrupted, dryRun, stoppedBefore } = runs[0]!;
  const md: Md = [`## Remove ${runs.length} members from Cloudflare user groups\n\n`];
  if (interrupted)
    md.push(`**Stopped** (${describeStop(interrupted)}): the table shows what was settled before the run stopped.\n\n`);
  if (dryRun) md.push('**Dry run**: nothing was removed; the table shows what would be.\n\n');
  if (stoppedBefore) md.push('The run stopped before any request to Cloudflare; nothing was removed.\n\n');
  else md.push(...table(runs, explains, text, detail));
  runs.forEach((run, i) => {
    const steps = stepsMarkdown(run.record, explains[i]!, text, run.remaining === undefined);
    if (steps.length > 0) md.push('### Beyond the groups: ', text.code(run.who), '\n\n', ...steps);
  });
  if (failure !== undefined) md.push('**Failed:**\n\n', text.block(failure), '\n\n');
  const reports = runs.filter((run) => run.remaining !== undefined);
  for (const run of reports)
    md.push(...remainingMarkdown(run.remaining!, text, detail, { about: text.code(run.who), unseen: false }));
  if (reports.length > 0) md.push(UNSEEN_ACCESS);
  return text.markdown(md);
}

type Row = { run: RunView; result: GroupResult; explain: Explain } | { run: RunView; why: string };

// A row per member and group; a member with no group row gets one row that says why.
function table(runs: RunView[], explains: Explain[], text: SafeText, detail: Detail): Md {
  const rows = runs.flatMap((run, i): Row[] => {
    const { record } = run;
    if (record.groups.length > 0) return record.groups.map((result) => ({ run, result, explain: explains[i]! }));
    return [{ run, why: noGroupRow(run, explains[i]!) }];
  });
  const shown = rows.length <= detail.rows ? rows : [...rows].sort((a, b) => rank(a) - rank(b)).slice(0, detail.rows);
  const md: Md = ['| Member | User group | ID | Outcome |\n| --- | --- | --- | --- |\n'];
  for (const row of shown) {
    md.push('| ', text.code(row.run.who), ' | ');
    if ('why' in row) {
      md.push(' | | ', text.code(shorten(row.why, Math.max(detail.perGroup, 80), text)), ' |\n');
      continue;
    }
    md.push(...groupCells(row.result, row.explain, text, detail), ' |\n');
  }
  md.push('\n');
  if (shown.length < rows.length) {
    md.push(
      `${rows.length - shown.length} of ${rows.length} rows are left out of this table to keep it short, failures shown first; the \`members\` and \`result\` outputs list every one.\n\n`,
    );
  }
  return md;
}

// A member with no group row: not in the account, refused, held by no group of a sweep, or not
// reached before the run stopped.
function noGroupRow({ record, allGroups, interrupted }: RunView, explain: Explain): string {
  if (record.notInAccount !== undefined) return 'not in the account';
  if (record.stopped) return explain(record.stopped);
  if (interrupted) return 'not settled: the run stopped before any of their groups';
  return allGroups ? 'no user group holds this member' : 'no group settled';
}

function rank(row: Row): number {
  return 'why' in row || row.result.outcome === 'failed' || row.result.outcome === 'unknown' ? 0 : 1;
}
