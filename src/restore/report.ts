// The restore's report, from one outcome of the run: its outputs, the job summary (also the issue
// comment), its warnings and why the step fails. Pure. Outside text goes in only through
// safe-text; a long record is shortened, per-item detail first, and its counts stay exact.
import { nameMember, givenMember, type Member, type Problem } from '../model.js';
import { fitting, type Detail } from '../report/detail.js';
import type { Explain } from '../report/facts.js';
import { explainer } from '../report/failure.js';
import { jsonText, type SafeMarkdown, type SafeText } from '../safe-text.js';
import { describeStop, type StopReason } from '../watchdog.js';
import type { Proven } from './proof.js';
import type { RestoreRecord, Restored } from './restore.js';
import type { RestoreSettings } from './settings.js';
import { restoreSummary } from './summary.js';

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

export const RESTORE_OUTPUTS = ['restored', 'restored-groups', 'restored-tokens', 'result'] as const;

export interface RestoreReport {
  outputs: Record<(typeof RESTORE_OUTPUTS)[number], string>;
  summary: SafeMarkdown;
  comment: SafeMarkdown;
  failure?: string;
  warnings: string[];
}

/** GitHub drops a step summary over 1 MiB. */
const SUMMARY_BYTES = 800_000;
/** GitHub refuses a comment over 65,536 characters. */
const COMMENT_CHARACTERS = 60_000;
/** GitHub allows 1 MB per output. */
const OUTPUT_CHARACTERS = 900_000;

export function buildRestoreReport(outcome: RestoreRunOutcome, text: SafeText, runUrl?: string): RestoreReport {
  const view = viewOf(outcome);
  const render = (detail: Detail) => restoreSummary(view, text, detail);
  const summary = fitting(render, (md) => Buffer.byteLength(md) <= SUMMARY_BYTES);
  const shortened = fitting(render, (md) => md.length <= COMMENT_CHARACTERS);
  const pointer = `_This comment is shortened; the job summary of the run has the whole record${runUrl ? `: ${runUrl}` : ''}._\n`;
  return {
    outputs: outputs(view, text),
    summary,
    comment: (shortened === summary ? summary : `${shortened}${pointer}`) as SafeMarkdown,
    ...(view.failure !== undefined && { failure: view.failure }),
    warnings: view.warnings,
  };
}

function viewOf(outcome: RestoreRunOutcome): RestoreView {
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
  const nothing =
    record.member.kind === 'present' && groups.length === 0 && tokens.length === 0
      ? [
          `The record's entry for ${base.name} names no user group that run removed them from and no API token it disabled (a dry run's record, or one of a run that changed nothing): nothing to restore.`,
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
  if (record.member.kind === 'refused') parts.push(explain(record.member.problem));
  const lines = [
    ...groups.filter(unsettled).map((item) => `User group ${label(item)}: ${explain(item.problem!)}`),
    ...tokens.filter(unsettled).map((item) => `API token ${label(item)}: ${explain(item.problem!)}`),
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

function label(item: Restored): string {
  return item.name !== undefined ? `${JSON.stringify(item.name)} (${item.id})` : item.id;
}

/** What a member who left the account means for the restore, and how to give them access again. */
function goneMessage({ name, accountId, proven }: { name: string; accountId?: string; proven?: Proven }): string {
  const groups = proven?.removedGroups.length ?? 0;
  const tokens = proven?.disabledTokens.length ?? 0;
  const listed = `${groups} user group${groups === 1 ? '' : 's'} and ${tokens} API token${tokens === 1 ? '' : 's'}`;
  return `${name} is no longer a member of account ${accountId ?? ''} (account member ${proven?.memberId ?? ''}): they were removed from the account, by the offboarding or since, so there is no member to add to user groups again, and nothing was restored. A restore never re-creates an account membership. To give them access again, invite them: Manage Account > Members > Invite. The invitation makes a new member with a new ID, so this record then names another member and restores nothing for them: add them by hand to what it lists (${listed}).`;
}

// ---- outputs ----------------------------------------------------------------------------------

function outputs(view: RestoreView, text: SafeText): RestoreReport['outputs'] {
  const all = [...view.groups, ...view.tokens];
  const back = (items: Restored[]) => items.filter((item) => item.outcome === 'restored').map((item) => item.id);
  const restored = all.some((item) => item.outcome === 'restored')
    ? 'true'
    : all.some((item) => item.outcome === 'unknown')
      ? ''
      : 'false';
  const result = (detail: Detail) =>
    jsonText({
      member: view.member,
      dryRun: view.dryRun,
      ...(view.inAccount !== undefined && { inAccount: view.inAccount }),
      ...(view.interrupted && { interrupted: view.interrupted }),
      groups: view.groups.map((item) => itemJson(item, view.explain, text, detail)),
      tokens: view.tokens.map((item) => itemJson(item, view.explain, text, detail)),
      ...(view.failure !== undefined && { failure: text.excerpt(view.failure, 8_000) }),
    });
  return {
    restored,
    'restored-groups': jsonText(back(view.groups)),
    'restored-tokens': jsonText(back(view.tokens)),
    result: fitting(result, (value) => value.length <= OUTPUT_CHARACTERS),
  };
}

/** A name from the API, in characters. */
const NAME_CHARACTERS = 1_000;

function itemJson(item: Restored, explain: Explain, text: SafeText, detail: Detail) {
  const about = detail.perGroup > 0;
  return {
    id: item.id,
    ...(item.name !== undefined && { name: text.excerpt(item.name, NAME_CHARACTERS) }),
    outcome: item.outcome,
    ...(item.problem !== undefined && about && { error: text.excerpt(explain(item.problem), 2 * detail.perGroup) }),
    ...(item.note !== undefined && about && { note: text.excerpt(item.note, detail.perGroup) }),
    ...(item.rays && { rays: item.rays }),
  };
}
