// The job summary (also the issue comment) of a run about one member: who, a table of the target
// groups and their outcomes, why the run failed, and the access that remains. Outside text goes in
// only through safe-text. A long record is shortened to fit GitHub's limits, per-group detail
// first; the counts stay exact.
import type { GroupOutcome, GroupResult, Member } from '../model.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { FULL, type Detail } from './detail.js';
import { changedNothing } from './changes.js';
import type { Explain } from './facts.js';
import { remainingMarkdown } from './remaining-markdown.js';
import type { RunView } from './run-view.js';
import { actionFirst, auditLine, groupCells, memberTitle, notes, OUTCOME_TEXT, shownRows } from './rows.js';
import { stepsMarkdown } from './steps.js';

export function oneMemberSummary(view: RunView, text: SafeText, detail: Detail = FULL): SafeMarkdown {
  const { record, remaining, noneHeld } = view.members[0]!;
  const { explain, failure } = view;
  const md: Array<string | SafeMarkdown> = [...heading(record.member, text)];
  md.push(...notes(view));
  if (view.stoppedBefore) {
    md.push(view.stoppedBefore.said, '\n\n');
  } else if (record.groups.length > 0) {
    md.push(...groupTable(record.groups, explain, text, detail));
  } else if (noneHeld) {
    const nothing = changedNothing(record) ? '; nothing to remove' : '';
    md.push(`No user group of the account holds this member${nothing}.\n\n`);
  }
  md.push(...stepsMarkdown(record, explain, text, remaining === undefined));
  if (record.notInAccount !== undefined) md.push(text.code(record.notInAccount), '\n\n');
  else if (record.groups.length === 0 && failure !== undefined && !view.stoppedBefore && changedNothing(record))
    md.push('Nothing was removed.\n\n');
  if (record.stopped && record.groups.some((r) => r.outcome === 'removed')) {
    md.push('The run stopped part-way; the table lists what was removed before it stopped.\n\n');
  }
  md.push(...auditLine(view.accounts[0]?.audit, explain, text));
  if (failure !== undefined) md.push('**Failed:**\n\n', text.block(failure), '\n\n');
  if (remaining) md.push(...remainingMarkdown(remaining, text, detail));
  return text.markdown(md);
}

function heading(member: Member, text: SafeText): Array<string | SafeMarkdown> {
  return ['## Remove ', ...memberTitle(member, text), ' from Cloudflare user groups\n\n'];
}

export function groupTable(
  groups: GroupResult[],
  explain: Explain,
  text: SafeText,
  detail: Detail,
): Array<string | SafeMarkdown> {
  const md: Array<string | SafeMarkdown> = ['| User group | ID | Outcome |\n| --- | --- | --- |\n'];
  const shown = shownRows(groups, detail.rows, actionFirst);
  for (const r of shown) md.push('| ', ...groupCells(r, explain, text, detail), ' |\n');
  md.push('\n');
  if (shown.length < groups.length) md.push(counts(groups, groups.length - shown.length));
  return md;
}

function counts(groups: GroupResult[], left: number): string {
  const tally = (outcome: GroupOutcome) => groups.filter((r) => r.outcome === outcome).length;
  const parts = (Object.keys(OUTCOME_TEXT) as GroupOutcome[])
    .map((outcome) => [outcome, tally(outcome)] as const)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${OUTCOME_TEXT[outcome]}`);
  return `${left} of ${groups.length} groups are left out of this table to keep it short; in all: ${parts.join(', ')}. The \`result\` output lists every group.\n\n`;
}
