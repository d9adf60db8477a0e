// The summary of a run about several members: one table with a row per member and group, each
// member's steps beyond the groups, and the access that remains for each.
import type { GroupResult } from '../model.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { shorten, type Detail } from './detail.js';
import { remainingMarkdown, UNSEEN } from './remaining-markdown.js';
import type { MemberView, RunView } from './run-view.js';
import { stepsMarkdown } from './steps.js';
import { actionFirst, auditLine, groupCells, notes, shownRows } from './rows.js';

type Md = Array<string | SafeMarkdown>;

export function severalSummary(view: RunView, text: SafeText, detail: Detail): SafeMarkdown {
  const { members, explain, failure } = view;
  const md: Md = [`## Remove ${members.length} members from Cloudflare user groups\n\n`, ...notes(view)];
  if (view.stoppedBefore) md.push(view.stoppedBefore.said, '\n\n');
  else md.push(...membersTable(view, view.interrupted, text, detail));
  for (const { record, remaining, name } of members) {
    const steps = stepsMarkdown(record, explain, text, remaining === undefined);
    if (steps.length > 0) md.push('### Beyond the groups: ', text.code(name), '\n\n', ...steps);
  }
  md.push(...auditLine(view.accounts[0]?.audit, explain, text));
  if (failure !== undefined) md.push('**Failed:**\n\n', text.block(failure), '\n\n');
  const reports = members.filter((member) => member.remaining !== undefined);
  for (const { remaining, name } of reports)
    md.push(...remainingMarkdown(remaining!, text, detail, { about: text.code(name), unseen: false }));
  if (reports.length > 0) md.push(UNSEEN);
  return text.markdown(md);
}

type Row = { member: MemberView; result: GroupResult } | { member: MemberView; why: string };

/** The members of one account (or of the run), their part of a summary. */
export type Scope = Pick<RunView, 'members' | 'facts' | 'explain'>;

/** A row per member and group; a member with no group row gets one row that says why. */
export function membersTable(scope: Scope, interrupted: RunView['interrupted'], text: SafeText, detail: Detail): Md {
  const rows = scope.members.flatMap((member): Row[] => {
    const { groups } = member.record;
    if (groups.length > 0) return groups.map((result) => ({ member, result }));
    return [{ member, why: noGroupRow(member, scope, interrupted) }];
  });
  const first = (row: Row) => ('why' in row ? 0 : actionFirst(row.result));
  const shown = shownRows(rows, detail.rows, first);
  const md: Md = ['| Member | User group | ID | Outcome |\n| --- | --- | --- | --- |\n'];
  for (const row of shown) {
    md.push('| ', text.code(row.member.name), ' | ');
    if ('why' in row) {
      md.push(' | | ', text.code(shorten(row.why, Math.max(detail.perGroup, 80), text)), ' |\n');
      continue;
    }
    md.push(...groupCells(row.result, scope.explain, text, detail), ' |\n');
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
function noGroupRow({ record }: MemberView, { facts, explain }: Scope, interrupted: RunView['interrupted']): string {
  if (record.notInAccount !== undefined) return 'not in the account';
  if (record.stopped) return explain(record.stopped);
  if (interrupted) return 'not settled: the run stopped before any of their groups';
  return facts.allGroups ? 'no user group holds this member' : 'no group settled';
}
