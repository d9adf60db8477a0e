// The run as the report sees it: how far it got (inputs, gate, removal), the settings where they
// were read, the record, the problem; and what the report derives from that, once.
import { givenMember, nameMember, type Member, type Problem } from '../model.js';
import type { RemovalRecord } from '../removal/removal.js';
import type { Settings } from '../settings/settings.js';
import { remainingAccess, type RemainingAccess } from './remaining-access.js';

export type RunOutcome =
  /** Invalid inputs: nothing was sent. */
  | { stage: 'inputs'; problem: Problem }
  /** The permission gate refused the run: nothing was sent to Cloudflare. */
  | { stage: 'gate'; settings: Settings; problem: Problem }
  | { stage: 'removal'; settings: Settings; record: RemovalRecord };

export interface RunView {
  record: RemovalRecord;
  /** The member as addressed: what the run found, over what the inputs gave. */
  member: Member;
  /** How messages name the member. */
  who: string;
  /** Why the run stopped before any request to Cloudflare. */
  stoppedBefore?: Problem;
  settings?: Settings;
  dryRun: boolean;
  ifNotMember: 'fail' | 'skip';
  allGroups: boolean;
  /** For all-groups runs that reached the removal: what the member still holds. */
  remaining?: RemainingAccess;
}

export function view(outcome: RunOutcome): RunView {
  const settings = outcome.stage === 'inputs' ? undefined : outcome.settings;
  const given = settings ? givenMember(settings.member) : {};
  const record = outcome.stage === 'removal' ? outcome.record : { member: given, groups: [] };
  const member = { ...given, ...record.member };
  const allGroups = settings?.groups.by === 'all';
  const remaining =
    outcome.stage === 'removal' && allGroups ? remainingAccess(record, outcome.settings.dryRun) : undefined;
  return {
    record,
    member,
    who: nameMember(member),
    ...(outcome.stage !== 'removal' && { stoppedBefore: outcome.problem }),
    ...(settings && { settings }),
    dryRun: settings?.dryRun ?? false,
    ifNotMember: settings?.ifNotMember ?? 'fail',
    allGroups,
    ...(remaining && { remaining }),
  };
}
