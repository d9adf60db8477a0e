// The groups of one member's removal, settled: the groups given (by ID or name), each removed or
// looked up; or, in a sweep, every group of the account, those that hold the member removed.
import type { GroupResult, Problem, UserGroup } from '../model.js';
import { describeStop, type StopReason } from '../watchdog.js';
import type { Log, RemovalApi, RemovalPlan } from './api.js';
import { handleGroup, membership, removeFromGroup, settleHeld, type GroupSettlement } from './group.js';
import type { Identity } from './identity.js';
import type { LastSuperAdminGuard } from './last-super-admin.js';
import { groupsNamed, sweepGroups } from './targets.js';

export interface GroupsSettled {
  settled: GroupSettlement[];
  problem?: Problem;
}

// A removal that could take the last Super Administrator grant away is refused before it is sent.
async function unlessLast(
  guard: LastSuperAdminGuard | undefined,
  who: Extract<Identity, { kind: 'member' }>,
  group: UserGroup,
  work: () => Promise<GroupSettlement> | GroupSettlement,
): Promise<GroupSettlement> {
  const refusal = await guard?.groupRemoval(who, group);
  return refusal ? { result: { group, outcome: 'failed', problem: refusal } } : work();
}

// A group given by id or name: removed; in a dry run, or where each removal is to be proven,
// looked up first.
async function settleTarget(
  api: RemovalApi,
  guard: LastSuperAdminGuard | undefined,
  who: Extract<Identity, { kind: 'member' }>,
  group: UserGroup,
  { dryRun, proveRemovals }: RemovalPlan,
): Promise<GroupSettlement> {
  if (!dryRun && !proveRemovals) return unlessLast(guard, who, group, () => removeFromGroup(api, group, who.id));
  const held = await membership(api, group, who.id);
  if (held !== true) return { result: held === false ? { group, outcome: 'not-member' } : held };
  return unlessLast(guard, who, group, () => settleHeld(api, group, who.id, dryRun));
}

export async function targeted(
  plan: RemovalPlan,
  api: RemovalApi,
  identity: Promise<Identity>,
  log: Log,
  guard?: LastSuperAdminGuard,
): Promise<GroupsSettled> {
  const found =
    plan.groups.by === 'name' ? await groupsNamed(api, plan.accountId, plan.groups.names) : { groups: ids(plan) };
  const who = await identity;
  const groups = 'groups' in found ? found.groups : [];
  const problem = 'problem' in found ? found.problem : undefined;
  if (who.kind === 'absent')
    return { settled: groups.map((group) => ({ result: { group, outcome: 'not-member' } })), problem };
  if (who.kind !== 'member' || problem) return { settled: [], problem };
  const settled = await Promise.all(
    groups.map(async (group) => {
      const done = await handleGroup(group, () => settleTarget(api, guard, who, group, plan), log);
      return done.unsettled === undefined ? done : { result: notSettled(group, done.unsettled) };
    }),
  );
  return { settled };
}

// A group the admin named is always in the record, even one the run stopped before.
function notSettled(group: UserGroup, reason: StopReason): GroupResult {
  return {
    group,
    outcome: 'failed',
    problem: { message: `Not settled: the run stopped (${describeStop(reason)}) before this group was handled.` },
  };
}

function ids(plan: RemovalPlan): UserGroup[] {
  return plan.groups.by === 'id' ? plan.groups.ids.map((id) => ({ id })) : [];
}

// Every group of the account; those that hold the member are the targets. Each page's groups are
// looked up while the next page loads, and each removal follows its group's lookup.
export async function sweep(
  plan: RemovalPlan,
  api: RemovalApi,
  identity: Promise<Identity>,
  log: Log,
  guard?: LastSuperAdminGuard,
): Promise<GroupsSettled> {
  const stop = new AbortController();
  void identity.then((who) => who.kind !== 'member' && stop.abort());
  const given = plan.member;
  const swept = (group: UserGroup) =>
    handleGroup(
      group,
      async () => {
        // With member-id the lookup need not wait for the account member read; the removal does.
        const early = given.by === 'id' ? membership(api, group, given.id) : undefined;
        const who = await identity;
        if (who.kind !== 'member') return {};
        const held = await (early ?? membership(api, group, who.id));
        if (held !== true) return held === false ? {} : { result: held };
        return unlessLast(guard, who, group, () => settleHeld(api, group, who.id, plan.dryRun));
      },
      log,
    );
  const { settled, problem } = await sweepGroups(api, swept, stop.signal);
  return { settled, ...(problem && { problem }) };
}
