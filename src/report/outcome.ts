// The run as the report sees it: how far it got (inputs, gate, removal), the settings where they
// were read, the record, the problem; and what the report derives from that, once.
import { givenMember, nameMember, type Member, type Problem } from '../model.js';
import type { RemovalRecord } from '../removal/removal.js';
import type { Settings } from '../settings/settings.js';
import type { StopReason } from '../watchdog.js';
import { remainingAccess, type RemainingAccess } from './remaining-access.js';

export type RunOutcome =
  /** Invalid inputs (or an unusable environment, once the settings were read): nothing was sent. */
  | { stage: 'inputs'; problem: Problem; settings?: Settings }
  /** The permission gate refused the run: nothing was sent to Cloudflare. */
  | { stage: 'gate'; settings: Settings; problem: Problem }
  /** The removal ran, to its end or until the run was stopped: one record per member. */
  | { stage: 'removal'; settings: Settings; records: RemovalRecord[]; interrupted?: StopReason };

/** A problem as the report states it: its message, with the hint that says what to change. */
export type Explain = (problem: Problem) => string;

export interface RunView {
  record: RemovalRecord;
  /** The member as addressed: what the run found, over what the inputs gave. */
  member: Member;
  /** How messages name the member. */
  who: string;
  /** Why the run stopped before any request to Cloudflare. */
  stoppedBefore?: Problem;
  /** Why the run stopped part-way: a signal, or no progress for too long. */
  interrupted?: StopReason;
  settings?: Settings;
  dryRun: boolean;
  ifNotMember: 'fail' | 'skip';
  ifNotInAccount: 'fail' | 'skip';
  allGroups: boolean;
  /** For all-groups runs that reached the removal: what the member still holds. */
  remaining?: RemainingAccess;
}

/** The run as seen for each member it was about: one view per record, or per member given. */
export function views(outcome: RunOutcome): RunView[] {
  const { settings } = outcome;
  const records: RemovalRecord[] =
    outcome.stage === 'removal'
      ? outcome.records
      : (settings?.members ?? [undefined]).map((given) => ({
          member: given ? givenMember(given) : {},
          groups: [],
          warnings: [],
        }));
  return records.map((record) => viewOf(outcome, record));
}

function viewOf(outcome: RunOutcome, record: RemovalRecord): RunView {
  const { settings } = outcome;
  const allGroups = settings?.groups.by === 'all';
  const interrupted = outcome.stage === 'removal' ? outcome.interrupted : undefined;
  const remaining =
    outcome.stage === 'removal' && allGroups
      ? remainingAccess(record, outcome.settings.dryRun, outcome.settings.memberTokens, interrupted)
      : undefined;
  return {
    record,
    member: record.member,
    who: nameMember(record.member),
    ...(outcome.stage !== 'removal' && { stoppedBefore: outcome.problem }),
    ...(interrupted && { interrupted }),
    ...(settings && { settings }),
    dryRun: settings?.dryRun ?? false,
    ifNotMember: settings?.ifNotMember ?? 'fail',
    ifNotInAccount: settings?.ifNotInAccount ?? 'fail',
    allGroups,
    ...(remaining && { remaining }),
  };
}
