// The restore as a pipeline of values: the member is still the account member the record names
// (and not protected), then each user group the offboarding removed them from, then each API token
// it disabled. It never re-creates an account membership and never restores Access sessions.
// Every item is settled on its own, and whatever happens the result says what this run put back.
import type { RestoreApi, RestorePlan } from './api.js';
import { restoreGroups } from './groups.js';
import { checkMember, type MemberState } from './member.js';
import type { Log, Restored } from './restored.js';
import { restoreTokens } from './tokens.js';

export interface RestoreRecord {
  member: MemberState;
  groups: Restored[];
  tokens: Restored[];
}

/** Carries out the restore and returns its record. Never throws. */
export async function runRestore(plan: RestorePlan, api: RestoreApi, log: Log): Promise<RestoreRecord> {
  const member = await checkMember(api, plan);
  if (member.kind !== 'present') return { member, groups: [], tokens: [] };
  const { proven, dryRun } = plan;
  const groups = await restoreGroups(api, unique(proven.removedGroups), proven.memberId, dryRun, log);
  const tokens = await restoreTokens(api, unique(proven.disabledTokens), dryRun, plan.usesToken, log);
  return { member, groups, tokens };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}
