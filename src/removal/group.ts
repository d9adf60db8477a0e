// One group's part of the removal: does it hold the member, the DELETE, and what a refused DELETE
// means. Only a read proves "not a member": a refused DELETE is checked against the member list.
import type { RemovedMember } from '../cloudflare/client.js';
import { ApiError } from '../cloudflare/transport.js';
import { groupLabel, messageOf, unexpected, type GroupResult, type UserGroup } from '../model.js';
import { problemOf, type Log, type RemovalApi } from './api.js';

/** One group settled: its result (none when it is no target), and what a DELETE answer said of the member. */
export interface Settled {
  result?: GroupResult;
  answered?: RemovedMember;
}

async function holds(api: RemovalApi, group: UserGroup, memberId: string): Promise<boolean> {
  return (await api.listGroupMembers(group.id)).includes(memberId);
}

/** Whether the group's member list has the member; a failed result when it cannot be read. */
export async function membership(api: RemovalApi, group: UserGroup, memberId: string): Promise<boolean | GroupResult> {
  try {
    return await holds(api, group, memberId);
  } catch (error) {
    return { group, outcome: 'failed', problem: problemOf(error, "Could not read the group's members: ") };
  }
}

/** A group given by id or name: removed, or in a dry run looked up. */
export async function settleTarget(
  api: RemovalApi,
  group: UserGroup,
  memberId: string,
  dryRun: boolean,
): Promise<Settled> {
  if (!dryRun) return removeFromGroup(api, group, memberId);
  const held = await membership(api, group, memberId);
  if (held === true) return { result: { group, outcome: 'would-remove' } };
  return { result: held === false ? { group, outcome: 'not-member' } : held };
}

/** A group of a sweep, already known to hold the member. */
export function settleHeld(
  api: RemovalApi,
  group: UserGroup,
  memberId: string,
  dryRun: boolean,
): Promise<Settled> | Settled {
  return dryRun ? { result: { group, outcome: 'would-remove' } } : removeFromGroup(api, group, memberId);
}

export async function removeFromGroup(api: RemovalApi, group: UserGroup, memberId: string): Promise<Settled> {
  try {
    const answered = await api.removeGroupMember(group.id, memberId);
    return { result: { group, outcome: 'removed' }, answered };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { result: await confirmRefusal(api, group, memberId, error) };
  }
}

// A DELETE refused with 400 or 404 (whatever its code) is checked against the group's member
// list; a refusal of any other status fails the group.
async function confirmRefusal(
  api: RemovalApi,
  group: UserGroup,
  memberId: string,
  refused: ApiError,
): Promise<GroupResult> {
  if (refused.status !== 400 && refused.status !== 404)
    return { group, outcome: 'failed', problem: problemOf(refused) };
  let held: boolean;
  try {
    held = await holds(api, group, memberId);
  } catch (listing) {
    const problem = problemOf(
      refused,
      '',
      ` Could not confirm whether the member is in the group: ${messageOf(listing)}`,
    );
    return { group, outcome: 'failed', problem };
  }
  if (held) return { group, outcome: 'failed', problem: problemOf(refused, '', ' The member is still in the group.') };
  // An earlier attempt that timed out or hit a 5xx may have removed the member already.
  if (refused.earlierAttemptUncertain) {
    return {
      group,
      outcome: 'removed',
      note: 'an earlier attempt had no clear answer; the member is no longer in the group',
    };
  }
  return { group, outcome: 'not-member' };
}

/** Runs one group's work; an unexpected error fails that group only. Logs the result. */
export async function settle(group: UserGroup, work: () => Promise<Settled> | Settled, log: Log): Promise<Settled> {
  let settled: Settled;
  try {
    settled = await work();
  } catch (error) {
    settled = { result: { group, outcome: 'failed', problem: { message: unexpected(error) } } };
  }
  const { result } = settled;
  if (result) {
    const note = result.note ? ` (${result.note})` : '';
    const problem = result.problem ? `: ${result.problem.message}` : '';
    log(`${groupLabel(result.group)}: ${result.outcome}${note}${problem}`);
  }
  return settled;
}
