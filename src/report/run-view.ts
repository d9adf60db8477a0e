// The run as the report sees it, derived once from its outcome: the facts of the settings, how far
// it got, and one view per member with everything the report shows of them (what remains, what
// failed). The summary, the comment and the outputs are all built from this one value.
import { givenMember, nameMember, type Problem } from '../model.js';
import type { RemovalRecord } from '../removal/removal.js';
import type { Settings } from '../settings/settings.js';
import type { StopReason } from '../watchdog.js';
import { changedNothing } from './changes.js';
import { factsOf, type Explain, type RunFacts } from './facts.js';
import { explainer, memberFailure, runFailure } from './failure.js';
import { remainingAccess, type RemainingAccess } from './remaining-access.js';

export type RunOutcome =
  /** Invalid inputs (or an unusable environment, once the settings were read): nothing was sent. */
  | { stage: 'inputs'; problem: Problem; settings?: Settings }
  /** The permission gate refused the run: nothing was sent to Cloudflare. */
  | { stage: 'gate'; settings: Settings; problem: Problem }
  /** The removal ran, to its end or until the run was stopped: one record per member. */
  | { stage: 'removal'; settings: Settings; records: RemovalRecord[]; interrupted?: StopReason };

/** One member, as the report shows them. */
export interface MemberView {
  record: RemovalRecord;
  /** How messages name the member: what the run found, over what the inputs gave. */
  name: string;
  /** For all-groups runs that reached the removal: what the member still holds. */
  remaining?: RemainingAccess;
  /** What failed for this member, each part with what to change. */
  failure?: string;
  /** A sweep found no group that holds the member, and nothing failed. */
  noneHeld: boolean;
}

export interface RunView {
  facts: RunFacts;
  /** Why the run stopped before any request to Cloudflare. */
  stoppedBefore?: Problem;
  /** Why the run stopped part-way: a signal, or no progress for too long. */
  interrupted?: StopReason;
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
  const stoppedBefore = outcome.stage === 'removal' ? undefined : outcome.problem;
  const members = recordsOf(outcome).map((record) => memberView(record, facts, explain, outcome, interrupted));
  const failure = runFailure(members, explain, interrupted, stoppedBefore);
  const warnings = [...new Set(members.flatMap((member) => warningsOf(member, facts)))];
  return {
    facts,
    ...(stoppedBefore && { stoppedBefore }),
    ...(interrupted && { interrupted }),
    members,
    explain,
    ...(failure !== undefined && { failure }),
    warnings,
  };
}

// The records of the removal; a run that stopped before it has one empty record per member given.
function recordsOf(outcome: RunOutcome): RemovalRecord[] {
  if (outcome.stage === 'removal') return outcome.records;
  const given = outcome.settings?.members ?? [undefined];
  return given.map((member) => ({ member: member ? givenMember(member) : {}, groups: [], warnings: [] }));
}

function memberView(
  record: RemovalRecord,
  facts: RunFacts,
  explain: Explain,
  outcome: RunOutcome,
  interrupted: StopReason | undefined,
): MemberView {
  const remaining =
    outcome.stage === 'removal' && facts.allGroups
      ? remainingAccess(record, facts.dryRun, facts.memberTokens, interrupted)
      : undefined;
  const name = nameMember(record.member);
  const failure = memberFailure(record, name, facts, explain);
  const noneHeld =
    facts.allGroups && record.groups.length === 0 && failure === undefined && record.notInAccount === undefined;
  return {
    record,
    name,
    ...(remaining && { remaining }),
    ...(failure !== undefined && { failure }),
    noneHeld: noneHeld && outcome.stage === 'removal' && interrupted === undefined,
  };
}

function warningsOf({ record, name, failure, noneHeld }: MemberView, facts: RunFacts): string[] {
  const warnings = [...record.warnings];
  if (noneHeld) {
    const nothing = changedNothing(record) ? '; nothing to remove' : '';
    warnings.push(`No user group of account ${facts.accountId} holds ${name}${nothing}.`);
  }
  if (record.notInAccount !== undefined && failure === undefined) warnings.push(record.notInAccount);
  return warnings;
}
