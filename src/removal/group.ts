// One group's part of the removal: does it hold the member, the DELETE, and what an answer that is
// not a plain "removed" means. Only a read proves "not a member", and only a read settles an
// unclear answer: a refused or unclear DELETE is checked against the group's member list.
import type { RemovalAnswer } from '../cloudflare/client.js';
import { ApiError } from '../cloudflare/api-error.js';
import {
  withRays,
  messageOf,
  unexpected,
  type GroupResult,
  type Member,
  type Problem,
  type UserGroup,
} from '../model.js';
import { labelOf } from '../identifiers.js';
import { StoppedError, type StopReason } from '../watchdog.js';
import { problemOf, type Log, type RemovalApi } from './api.js';

/**
 * One group settled: its result (none when it is no target), what a DELETE answer said of the
 * member, or, when the run stopped before the group was settled, why.
 */
export interface GroupSettlement {
  result?: GroupResult;
  answered?: Pick<Member, 'email' | 'status'>;
  unsettled?: StopReason;
}

async function holds(api: RemovalApi, group: UserGroup, memberId: string): Promise<boolean> {
  return (await api.listGroupMembers(group.id)).includes(memberId);
}

/** Whether the group's member list has the member; a failed result when it cannot be read. */
export async function membership(api: RemovalApi, group: UserGroup, memberId: string): Promise<boolean | GroupResult> {
  try {
    return await holds(api, group, memberId);
  } catch (error) {
    if (error instanceof StoppedError) throw error;
    return { group, outcome: 'failed', problem: problemOf(error, "Could not read the group's members: ") };
  }
}

/** A group of a sweep, already known to hold the member. */
export function settleHeld(
  api: RemovalApi,
  group: UserGroup,
  memberId: string,
  dryRun: boolean,
): Promise<GroupSettlement> | GroupSettlement {
  return dryRun ? { result: { group, outcome: 'would-remove' } } : removeFromGroup(api, group, memberId);
}

export async function removeFromGroup(api: RemovalApi, group: UserGroup, memberId: string): Promise<GroupSettlement> {
  let answer: RemovalAnswer;
  try {
    answer = await api.removeGroupMember(group.id, memberId);
  } catch (error) {
    if (error instanceof StoppedError && error.sent) {
      return {
        result: { group, outcome: 'unknown', problem: { message: `DELETE: ${error.message}: check the group.` } },
      };
    }
    if (!(error instanceof ApiError)) throw error;
    const settled = error.unclear
      ? await settleUnclear(api, group, memberId, problemOf(error))
      : await confirmRefusal(api, group, memberId, error);
    return { result: { ...settled, ...withRays(error.rays) } };
  }
  if (!answer.removed) {
    const settled = await settleUnclear(api, group, memberId, { message: `DELETE answered ${answer.unclear}` });
    return { result: { ...settled, ...withRays(answer.rays) } };
  }
  const { email, status } = answer;
  return {
    result: { group, outcome: 'removed', ...withRays(answer.rays) },
    answered: { ...(email && { email }), ...(status && { status }) },
  };
}

// An answer that says neither "removed" nor "not removed" (a 2xx without an envelope, a 5xx after
// which the change may have happened, no answer at all): the group's member list settles it.
async function settleUnclear(
  api: RemovalApi,
  group: UserGroup,
  memberId: string,
  unclear: Problem,
): Promise<GroupResult> {
  const why = unclear.message.replace(/\.$/, '');
  let held: boolean;
  try {
    held = await holds(api, group, memberId);
  } catch (error) {
    const after =
      error instanceof StoppedError
        ? 'the run stopped before a read could settle it'
        : `a read to settle it failed: ${messageOf(error)}`;
    return {
      group,
      outcome: 'unknown',
      problem: {
        ...unclear,
        message: `The answer to the removal was unclear (${why}), and ${after}; check the group.`,
      },
    };
  }
  if (held)
    return { group, outcome: 'failed', problem: { ...unclear, message: `${why}. The member is still in the group.` } };
  return {
    group,
    outcome: 'removed',
    note: `the answer was unclear (${why}); a read shows the member is no longer in the group`,
  };
}

// A DELETE refused with 400 or 404 (whatever its code), or refused after an earlier attempt that
// may have taken effect, is checked against the group's member list; any other refusal fails the group.
async function confirmRefusal(
  api: RemovalApi,
  group: UserGroup,
  memberId: string,
  refused: ApiError,
): Promise<GroupResult> {
  const settles = refused.status === 400 || refused.status === 404 || refused.earlierAttemptUncertain;
  if (!settles) return { group, outcome: 'failed', problem: problemOf(refused) };
  let held: boolean;
  try {
    held = await holds(api, group, memberId);
  } catch (listing) {
    const why = listing instanceof StoppedError ? 'the run stopped before a read could confirm it' : messageOf(listing);
    const problem = problemOf(refused, '', ` Could not confirm whether the member is in the group: ${why}`);
    // An earlier attempt without a clear answer may have removed them: then nothing is known.
    return { group, outcome: refused.earlierAttemptUncertain ? 'unknown' : 'failed', problem };
  }
  if (held) return { group, outcome: 'failed', problem: problemOf(refused, '', ' The member is still in the group.') };
  // An earlier attempt that timed out or hit a 5xx may have removed the member already.
  if (refused.earlierAttemptUncertain) {
    const note =
      'an earlier attempt had no clear answer, and the member is no longer in the group: that attempt removed them, or they were not in it';
    return { group, outcome: 'removed', note };
  }
  return { group, outcome: 'not-member' };
}

/** Runs one group's work; an unexpected error fails that group only, a stop leaves it unsettled. Logs the result. */
export async function handleGroup(
  group: UserGroup,
  work: () => Promise<GroupSettlement> | GroupSettlement,
  log: Log,
): Promise<GroupSettlement> {
  let settled: GroupSettlement;
  try {
    settled = await work();
  } catch (error) {
    if (error instanceof StoppedError) return { unsettled: error.reason };
    settled = { result: { group, outcome: 'failed', problem: { message: unexpected(error) } } };
  }
  const { result } = settled;
  if (result) {
    const note = result.note ? ` (${result.note})` : '';
    const problem = result.problem ? `: ${result.problem.message}` : '';
    log(`${labelOf(result.group)}: ${result.outcome}${note}${problem}`);
  }
  return settled;
}
