// How a group's outcome is shown in a table row, and what the tables of a summary mean.
import type { GroupOutcome, GroupResult } from '../model.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { describeStop, type StopReason } from '../watchdog.js';
import { shorten, type Detail } from './detail.js';
import type { Explain } from './facts.js';
import type { AuditCheck } from '../removal/audit-log.js';

export const OUTCOME_TEXT: Record<GroupOutcome, string> = {
  removed: '✅ removed',
  'would-remove': '🔍 would remove (dry run)',
  'not-member': '➖ not a member',
  failed: '❌ failed',
  unknown: '❓ unknown, check it',
};

/** What a table of a stopped run shows. */
export function stoppedNote(interrupted: StopReason): string {
  return `**Stopped** (${describeStop(interrupted)}): the table shows what was settled before the run stopped.\n\n`;
}

/** What the tables below mean: a stopped run, a dry run. */
export function notes({ interrupted, facts }: { interrupted?: StopReason; facts: { dryRun: boolean } }): string[] {
  const md: string[] = [];
  if (interrupted) md.push(stoppedNote(interrupted));
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
  if (detail.perGroup > 0) cells.push(...proof(result, text));
  return cells;
}

const AUDIT_TEXT = { confirmed: 'in the audit log', 'not-yet-seen': 'not yet seen in the audit log' } as const;

/** A write's cf-ray (how the account's audit log knows it), and what the audit log said of it. */
export function proof(
  { rays, audit }: { rays?: string[]; audit?: keyof typeof AUDIT_TEXT },
  text: SafeText,
): SafeMarkdown[] {
  if (rays === undefined || rays.length === 0) return [];
  const seen = audit !== undefined ? ` (${AUDIT_TEXT[audit]})` : '';
  return [text.markdown([' · cf-ray ', text.code(rays.join(', ')), seen])];
}

/** Failures first when rows must be left out: they are what the admin has to act on. */
export function actionFirst(result: { outcome: string }): number {
  return result.outcome === 'failed' || result.outcome === 'unknown' ? 0 : 1;
}

/** The rows a table shows: every one, or the first `most`, those `rank` puts first. */
export function shownRows<T>(rows: readonly T[], most: number, rank: (row: T) => number): readonly T[] {
  return rows.length <= most ? rows : [...rows].sort((a, b) => rank(a) - rank(b)).slice(0, most);
}

/** How a heading names a member: by email, else by id. */
export function memberTitle(member: { id?: string; email?: string }, text: SafeText): Array<string | SafeMarkdown> {
  if (member.email !== undefined) return [text.code(member.email)];
  return member.id !== undefined ? ['member ', text.code(member.id)] : ['the member'];
}

/** What an account's audit log confirmed of the run's changes, or why it could not be read. */
export function auditLine(
  audit: AuditCheck | undefined,
  explain: Explain,
  text: SafeText,
): Array<string | SafeMarkdown> {
  if (audit === undefined) return [];
  if (audit.problem) return ['**Audit log**: not checked: ', text.code(explain(audit.problem)), '\n\n'];
  const late = audit.writes - audit.confirmed - audit.rayless;
  const when = audit.stopped ? 'when the run stopped, before its minute was up' : 'within a minute';
  const look = 'look for them under Manage Account > Audit Log';
  const notYet =
    (late > 0 ? ` ${late} not yet seen ${when}: the log can be late or miss some; ${look}, by their cf-ray.` : '') +
    (audit.rayless > 0
      ? ` ${audit.rayless} cannot be looked up: their answers carried no cf-ray id; ${look}, by time and path.`
      : '');
  return [`**Audit log**: ${audit.confirmed} of ${audit.writes} changes confirmed by their cf-ray.${notYet}\n\n`];
}
