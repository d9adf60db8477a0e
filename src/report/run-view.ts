// The run as the report sees it, derived once from its outcome: the facts of the settings, how far
// it got, and one view per member with everything the report shows of them (what remains, what
// failed). The summary, the comment and the outputs are all built from this one value.
import { givenMember, nameMember, personKey, type Problem } from '../model.js';
import type { AccountRecords } from '../removal/accounts.js';
import type { AuditCheck } from '../removal/audit-log.js';
import type { RemovalRecord } from '../removal/removal.js';
import type { Settings } from '../settings/settings.js';
import type { StopReason } from '../watchdog.js';
import { changedNothing } from './changes.js';
import { factsOf, type Explain, type RunFacts } from './facts.js';
import { signatureOf, type RecordSignature } from './signed.js';
import { explainer, memberFailure, runFailure } from './failure.js';
import { remainingAccess, type RemainingAccess } from './remaining-access.js';

export type RunOutcome =
  /** Invalid inputs (or an unusable environment, once the settings were read): nothing was sent. */
  | { stage: 'inputs'; problem: Problem; settings?: Settings }
  /** The permission gate refused the run: nothing was sent to Cloudflare. */
  | { stage: 'gate'; settings: Settings; problem: Problem }
  /** The accounts to cover could not be known (all-accounts): no account was read. */
  | { stage: 'accounts'; settings: Settings; problem: Problem }
  /** The removal ran, to its end or until the run was stopped: per account, one record per member. */
  | {
      stage: 'removal';
      settings: Settings;
      accounts: AccountRecords[];
      interrupted?: StopReason;
      /** When the removal started (ISO 8601): the time its record is signed with. */
      startedAt: string;
    };

/** One member in one account, as the report shows them. */
export interface MemberView {
  record: RemovalRecord;
  /** How messages name the member: what the run found, over what the inputs gave. */
  name: string;
  /** The person as the inputs named them, and one key for them across accounts (an email ignoring ASCII case). */
  person: { name: string; key: string };
  /** With several accounts: the account this view is of. */
  accountId?: string;
  /** For all-groups runs that reached the removal: what the member still holds. */
  remaining?: RemainingAccess;
  /** What failed for this member, each part with what to change. */
  failure?: string;
  /** A sweep found no group that holds the member, and nothing failed. */
  noneHeld: boolean;
  /** With record-key: the signature of what a restore may put back, for the restore action. */
  signature?: RecordSignature;
}

export interface AccountView {
  id: string;
  name?: string;
  /** With confirm-in-audit-log: what the account's audit log confirmed of the changes. */
  audit?: AuditCheck;
  /** The run's facts, for this account. */
  facts: RunFacts;
  explain: Explain;
  members: MemberView[];
}

export interface RunView {
  facts: RunFacts;
  /** Why the run stopped before any account was read, and how the summary says so. */
  stoppedBefore?: { problem: Problem; said: string };
  /** Why the run stopped part-way: a signal, or no progress for too long. */
  interrupted?: StopReason;
  /** One per account covered; none when the run stopped before any account was read. */
  accounts: AccountView[];
  /** Every member in every account; before any account was read, one per member given. */
  members: MemberView[];
  explain: Explain;
  /** Everything that failed, in one message; undefined when the run did not fail. */
  failure?: string;
  /** What the admin should look at, though it did not fail the run; each once. */
  warnings: string[];
}

export function viewOf(outcome: RunOutcome): RunView {
  const facts = factsOf(outcome.settings);
  const explain = explainer(facts);
  const interrupted = outcome.stage === 'removal' ? outcome.interrupted : undefined;
  const stoppedBefore = outcome.stage === 'removal' ? undefined : stopOf(outcome);
  const accounts = outcome.stage === 'removal' ? outcome.accounts.map((each) => accountView(each, outcome, facts)) : [];
  const members =
    outcome.stage === 'removal'
      ? accounts.flatMap((account) => account.members)
      : givenRecords(outcome).map((record) => memberView(record, facts, explain, undefined, false));
  const failure = runFailure(
    accounts.length > 0 ? accounts : [{ members }],
    explain,
    interrupted,
    stoppedBefore?.problem,
    facts,
  );
  const several = accounts.length > 1;
  const warnings = [
    ...new Set([
      ...accounts.flatMap(({ members: each, facts: own }) => each.flatMap((m) => warningsOf(m, own, several))),
      ...accounts.flatMap(({ audit, explain: said }) => (audit?.problem ? [said(audit.problem)] : [])),
    ]),
  ];
  return {
    facts,
    ...(stoppedBefore && { stoppedBefore }),
    ...(interrupted && { interrupted }),
    accounts,
    members,
    explain,
    ...(failure !== undefined && { failure }),
    warnings,
  };
}

function stopOf(outcome: Exclude<RunOutcome, { stage: 'removal' }>): RunView['stoppedBefore'] {
  const said =
    outcome.stage === 'accounts'
      ? 'The run stopped before any account was read; nothing was removed.'
      : 'The run stopped before any request to Cloudflare; nothing was removed.';
  return { problem: outcome.problem, said };
}

// Before the removal: one empty record per member given.
function givenRecords(outcome: RunOutcome): RemovalRecord[] {
  const given = outcome.settings?.members ?? [undefined];
  return given.map((member) =>
    member
      ? { given: member, member: givenMember(member), groups: [], warnings: [] }
      : { member: {}, groups: [], warnings: [] },
  );
}

// With several accounts, an account that does not hold the person is no failure: whether they are
// in none is the run's to say.
function accountView(
  { id, name, records, audit }: AccountRecords,
  outcome: Extract<RunOutcome, { stage: 'removal' }>,
  run: RunFacts,
): AccountView {
  const several = outcome.accounts.length > 1;
  const facts: RunFacts = { ...run, accountId: id, ...(several && { ifNotInAccount: 'skip' as const }) };
  const explain = explainer(facts);
  const key = outcome.settings.recordKey;
  const members = records.map((record) => {
    const signature = key !== '' ? signatureOf(record, id, outcome.startedAt, key) : undefined;
    return {
      ...memberView(record, facts, explain, outcome.interrupted, true),
      ...(several && { accountId: id }),
      ...(signature && { signature }),
    };
  });
  return { id, ...(name !== undefined && { name }), ...(audit && { audit }), facts, explain, members };
}

function memberView(
  record: RemovalRecord,
  facts: RunFacts,
  explain: Explain,
  interrupted: StopReason | undefined,
  removal: boolean,
): MemberView {
  const remaining =
    removal && facts.allGroups ? remainingAccess(record, facts.dryRun, facts.memberTokens, interrupted) : undefined;
  const name = nameMember(record.member);
  const person = record.given
    ? { name: nameMember(givenMember(record.given)), key: personKey(record.given) }
    : { name, key: name };
  const failure = memberFailure(record, name, facts, explain);
  const noneHeld =
    facts.allGroups && record.groups.length === 0 && failure === undefined && record.notInAccount === undefined;
  return {
    record,
    name,
    person,
    ...(remaining && { remaining }),
    ...(failure !== undefined && { failure }),
    noneHeld: noneHeld && removal && interrupted === undefined,
  };
}

// With several accounts, an account that does not hold the person is said in the summary, not warned of.
function warningsOf({ record, name, failure, noneHeld }: MemberView, facts: RunFacts, several: boolean): string[] {
  const warnings = [...record.warnings];
  if (noneHeld) {
    const nothing = changedNothing(record) ? '; nothing to remove' : '';
    warnings.push(`No user group of account ${facts.accountId} holds ${name}${nothing}.`);
  }
  if (record.notInAccount !== undefined && failure === undefined && !several) warnings.push(record.notInAccount);
  return warnings;
}
