// The user groups the offboarding removed the member from, each put back: the group must still
// exist (the account's group listing says so, and names it), the member must not be in it already,
// then one POST adds them, and a read of the group's members confirms it. A refusal is checked
// against that read too; a SCIM-managed group's refusal says to change it in the identity
// provider. A POST that was sent and not settled is `unknown`, never "not done".
import type { AdditionAnswer } from '../cloudflare/client.js';
import { ApiError } from '../cloudflare/api-error.js';
import { messageOf, withRays, type Problem, type UserGroup } from '../model.js';
import { isNotFound, problemOf } from '../removal/api.js';
import { describeStop, StoppedError } from '../watchdog.js';
import type { RestoreApi } from './api.js';
import { logLine, settled, type Log, type Restored } from './restored.js';

export async function restoreGroups(
  api: RestoreApi,
  groupIds: string[],
  memberId: string,
  dryRun: boolean,
  log: Log,
): Promise<Restored[]> {
  if (groupIds.length === 0) return [];
  let listed: Map<string, UserGroup>;
  try {
    listed = new Map((await api.listGroups()).map((group) => [group.id, group]));
  } catch (error) {
    const problem =
      error instanceof StoppedError
        ? { message: `Not done: the run stopped (${describeStop(error.reason)}) before the groups were read.` }
        : problemOf(error, "Could not list the account's user groups, so none was restored: ");
    return groupIds.map((id) => ({ id, outcome: 'failed', problem }));
  }
  return Promise.all(
    groupIds.map(async (id) => {
      const result = await settled(id, 'group', () => restoreGroup(api, id, listed.get(id), memberId, dryRun));
      log(logLine('User group', result));
      return result;
    }),
  );
}

async function restoreGroup(
  api: RestoreApi,
  id: string,
  group: UserGroup | undefined,
  memberId: string,
  dryRun: boolean,
): Promise<Restored> {
  if (group === undefined)
    return {
      id,
      outcome: 'failed',
      problem: {
        message:
          "The group no longer exists: the account's user group listing does not have it (it was deleted since the offboarding). A new group has another ID: add the member to it by hand.",
      },
    };
  const named = { id, ...(group.name !== undefined && { name: group.name }) };
  let held: boolean;
  try {
    held = await holds(api, id, memberId);
  } catch (error) {
    if (error instanceof StoppedError) throw error;
    return { ...named, outcome: 'failed', problem: problemOf(error, "Could not read the group's members: ") };
  }
  if (held) return { ...named, outcome: 'not-needed', note: 'the member is in the group already' };
  if (dryRun) return { ...named, outcome: 'would-restore' };
  let answer: AdditionAnswer;
  try {
    answer = await api.addGroupMember(id, memberId);
  } catch (error) {
    if (error instanceof StoppedError && error.sent)
      return {
        ...named,
        outcome: 'unknown',
        problem: { message: `POST: ${error.message}: check the group's members.` },
      };
    if (!(error instanceof ApiError)) throw error;
    return { ...(await refused(api, named, memberId, error)), ...withRays(error.rays) };
  }
  const unclear = answer.added ? undefined : `the answer was unclear (${answer.unclear})`;
  return { ...(await confirm(api, named, memberId, unclear)), ...withRays(answer.rays) };
}

async function holds(api: RestoreApi, groupId: string, memberId: string): Promise<boolean> {
  return (await api.listGroupMembers(groupId)).includes(memberId);
}

// The read after the POST settles it: the member is in the group, or is not; or, with no read, unknown.
async function confirm(
  api: RestoreApi,
  named: Pick<Restored, 'id' | 'name'>,
  memberId: string,
  unclear?: string,
): Promise<Restored> {
  const sent = unclear !== undefined ? `${unclear}, and` : 'Cloudflare answered that it added the member, but';
  let held: boolean;
  try {
    held = await holds(api, named.id, memberId);
  } catch (error) {
    const why =
      error instanceof StoppedError
        ? `the run stopped (${describeStop(error.reason)}) before a read confirmed it`
        : `the read to confirm it failed: ${messageOf(error)}`;
    return {
      ...named,
      outcome: 'unknown',
      problem: { message: `Whether the member was added is unknown: ${sent} ${why}. Check the group's members.` },
    };
  }
  if (held)
    return {
      ...named,
      outcome: 'restored',
      ...(unclear !== undefined && { note: `${unclear}; a read shows the member in the group` }),
    };
  return {
    ...named,
    outcome: 'failed',
    problem: {
      message: `${unclear !== undefined ? `${unclear[0]!.toUpperCase()}${unclear.slice(1)}` : 'Cloudflare answered that it added the member'}, but a read right after shows the member not in the group. Run the restore again.`,
    },
  };
}

// A refused POST: a group deleted since the listing, a SCIM-managed group, a permission; a 5xx or
// no answer may have taken effect, and a read settles it.
async function refused(
  api: RestoreApi,
  named: Pick<Restored, 'id' | 'name'>,
  memberId: string,
  error: ApiError,
): Promise<Restored> {
  const said = error.message.replace(/\.$/, '');
  if (error.unclear) return confirm(api, named, memberId, `the answer was unclear (${said})`);
  // An earlier attempt may have added the member before the one that was refused.
  if (error.earlierAttemptUncertain && error.status !== 400)
    return confirm(api, named, memberId, `an earlier attempt had no clear answer, and the last one failed (${said})`);
  if (isNotFound(error))
    return {
      ...named,
      outcome: 'failed',
      problem: problemOf(
        error,
        '',
        ' The group no longer exists (deleted since the offboarding): add the member to its successor by hand.',
      ),
    };
  if (error.status !== 400) return { ...named, outcome: 'failed', problem: problemOf(error) };
  let held: boolean;
  try {
    held = await holds(api, named.id, memberId);
  } catch (listing) {
    const why = listing instanceof StoppedError ? 'the run stopped before a read could check it' : messageOf(listing);
    const problem = problemOf(error, '', ` Could not read whether the member is in the group: ${why}.`);
    return { ...named, outcome: error.earlierAttemptUncertain ? 'unknown' : 'failed', problem };
  }
  if (held)
    return error.earlierAttemptUncertain
      ? {
          ...named,
          outcome: 'restored',
          note: 'an earlier attempt had no clear answer, and a read shows the member in the group',
        }
      : {
          ...named,
          outcome: 'not-needed',
          note: 'Cloudflare refused the addition, and a read shows the member in the group already',
        };
  return { ...named, outcome: 'failed', problem: scimRefusal(error) };
}

// Cloudflare documents no error code for it: a 400 that leaves the member out of the group is most
// likely a group that SCIM manages, which the API may not change.
function scimRefusal(error: ApiError): Problem {
  const scim = /scim/i.test(error.message);
  const because = scim
    ? 'The group is managed by SCIM (synced from an identity provider), and such a group cannot be changed through the API:'
    : 'Cloudflare refused to add the member; if the group is managed by SCIM (synced from an identity provider), it cannot be changed through the API:';
  return problemOf(
    error,
    '',
    ` ${because} add the person to the group in the identity provider, which syncs it to Cloudflare.`,
  );
}
