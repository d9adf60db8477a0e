// The restore as the report sees it, derived once from the run's outcome: who, what came back,
// what did not, and why the step fails.
import { givenMember, nameMember, type Member, type Problem } from '../model.js';
import { labelOf } from '../identifiers.js';
import type { Explain } from '../report/facts.js';
import { explainer } from '../report/failure.js';
import { describeStop, type StopReason } from '../watchdog.js';
import type { Proven } from './proof.js';
import type { RestoreRecord } from './restore.js';
import type { Restored } from './restored.js';
import type { RestoreSettings } from './settings.js';

export type RestoreRunOutcome =
  /** Invalid inputs, or a record refused: nothing was sent to Cloudflare. */
  | { stage: 'inputs'; problem: Problem; settings?: RestoreSettings; proven?: Proven }
  /** The permission gate refused the run: nothing was sent to Cloudflare. */
  | { stage: 'gate'; settings: RestoreSettings; proven: Proven; problem: Problem }
  /** The restore ran, to its end or until it was stopped. */
  | {
      stage: 'restore';
      settings: RestoreSettings;
      proven: Proven;
      record: RestoreRecord;
      interrupted?: StopReason;
    };

/** The restore as the report sees it, derived once from its outcome. */
export interface RestoreView {
  member: Member;
  /** How messages name the person. */
  name: string;
  accountId?: string;
  dryRun: boolean;
  proven?: Proven;
  /** Whether the member is still in the account: undefined when it was not read. */
  inAccount?: boolean;
  groups: Restored[];
  tokens: Restored[];
  /** Why the restore stopped before any request to Cloudflare. */
  stoppedBefore?: Problem;
  interrupted?: StopReason;
  explain: Explain;
  failure?: string;
  warnings: string[];
}

export function viewOf(outcome: RestoreRunOutcome): RestoreView {
  const { settings } = outcome;
  const proven = outcome.proven;
  const accountId = settings?.accountId;
  const explain = explainer({
    ...(accountId !== undefined && { accountId }),
    dryRun: settings?.dryRun ?? false,
    allGroups: false,
    ifNotMember: 'fail',
    ifNotInAccount: 'fail',
    memberTokens: 'ignore',
    globalKey: settings?.credentials.scheme === 'global-key',
  });
  const member: Member = proven
    ? { id: proven.memberId, ...(proven.email !== undefined && { email: proven.email }) }
    : settings
      ? givenMember(settings.member)
      : {};
  const base = {
    member,
    name: nameMember(member),
    dryRun: settings?.dryRun ?? false,
    explain,
    ...(proven && { proven }),
  };
  const where = { ...(accountId !== undefined && { accountId }) };
  if (outcome.stage !== 'restore')
    return {
      ...base,
      ...where,
      groups: [],
      tokens: [],
      stoppedBefore: outcome.problem,
      failure: explain(outcome.problem),
      warnings: [],
    };
  const { record, interrupted } = outcome;
  const { groups, tokens } = record;
  const { member: state } = record;
  const inAccount = state.kind === 'gone' ? false : state.kind === 'present' || state.member ? true : undefined;
  const failure = restoreFailure({ ...base, ...where, groups, tokens, interrupted, record }, explain);
  const unsettled = proven ? proven.unsettled.groups.length + proven.unsettled.tokens.length : 0;
  const nothing =
    record.member.kind === 'present' && groups.length === 0 && tokens.length === 0 && unsettled === 0
      ? [
          `The record's entry for ${base.name} names no user group that run removed them from and no API token it disabled: nothing to restore.`,
        ]
      : [];
  return {
    ...base,
    ...where,
    ...(inAccount !== undefined && { inAccount }),
    groups,
    tokens,
    ...(interrupted && { interrupted }),
    ...(failure !== undefined && { failure }),
    warnings: nothing,
  };
}

// Everything that failed, each with what to change: a stop, a member who is gone or refused, then
// each group and token that is not back.
function restoreFailure(
  view: {
    name: string;
    accountId?: string;
    proven?: Proven;
    groups: Restored[];
    tokens: Restored[];
    interrupted?: StopReason;
    record: RestoreRecord;
    dryRun: boolean;
  },
  explain: Explain,
): string | undefined {
  const { groups, tokens, interrupted, record } = view;
  const parts: string[] = [];
  const all = [...groups, ...tokens];
  if (interrupted) {
    const back = all.filter((item) => item.outcome === 'restored').length;
    const unknown = all.filter((item) => item.outcome === 'unknown').length;
    const more = unknown > 0 ? ` Whether ${unknown} more took effect is unknown: check them.` : '';
    parts.push(
      `Stopped: ${describeStop(interrupted)}. Restored ${back} of ${all.length} before it stopped.${more} Run the restore again to finish: what is back already is left as it is.`,
    );
  }
  if (record.member.kind === 'gone') parts.push(goneMessage(view));
  const open = view.proven?.unsettled;
  if (open && open.groups.length + open.tokens.length > 0) parts.push(unsettledMessage(view.name, open));
  if (record.member.kind === 'refused') parts.push(explain(record.member.problem));
  const lines = [
    ...groups.filter(unsettled).map((item) => `User group ${labelOf(item)}: ${explain(item.problem!)}`),
    ...tokens.filter(unsettled).map((item) => `API token ${labelOf(item)}: ${explain(item.problem!)}`),
  ];
  if (lines.length > 0) {
    const verb = view.dryRun ? 'check' : 'restore';
    parts.push(`Could not ${verb} ${lines.length} of ${all.length} for ${view.name}:\n- ${lines.join('\n- ')}`);
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

function unsettled(item: Restored): boolean {
  return (item.outcome === 'failed' || item.outcome === 'unknown') && item.problem !== undefined;
}

/** What the record says that run sent without learning the outcome: for a person to check, never restored. */
function unsettledMessage(name: string, { groups, tokens }: Proven['unsettled']): string {
  const listed = [...groups.map((id) => `user group ${id}`), ...tokens.map((id) => `API token ${id}`)];
  return `Not restored: the record says the offboarding sent ${listed.length} change${listed.length === 1 ? '' : 's'} for ${name} without learning whether ${listed.length === 1 ? 'it' : 'they'} took effect (${listed.join(', ')}). Its signature vouches only for what that run proved it removed or disabled, so the restore does not act on these: check each (Manage Account > Members, and the user group or Manage Account > Account API Tokens) and put it back by hand if it was removed or disabled.`;
}

/** What a member who left the account means for the restore, and how to give them access again. */
function goneMessage({ name, accountId, proven }: { name: string; accountId?: string; proven?: Proven }): string {
  const groups = proven?.removedGroups.length ?? 0;
  const tokens = proven?.disabledTokens.length ?? 0;
  const listed = `${groups} user group${groups === 1 ? '' : 's'} and ${tokens} API token${tokens === 1 ? '' : 's'}`;
  return `${name} is no longer a member of account ${accountId ?? ''} (account member ${proven?.memberId ?? ''}): they were removed from the account, by the offboarding or since, so there is no member to add to user groups again, and nothing was restored. A restore never re-creates an account membership. To give them access again, invite them: Manage Account > Members > Invite. The invitation makes a new member with a new ID, so this record then names another member and restores nothing for them: add them by hand to what it lists (${listed}).`;
}
