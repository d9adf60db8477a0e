// Several members in one run: each settled exactly as one member would be, all of them before any
// DELETE; a member who is protected, or who cannot be settled, refuses the whole run. Then each
// member's removal runs over reads shared by all (one listing of the groups, one read of each
// group's members), so that ten members cost little more than one. One member failing does not
// stop the others.
import { givenMember, nameMember, unexpected, type MemberSelection, type Problem } from '../model.js';
import type { Log, RemovalApi, RemovalPlan } from './api.js';
import { settleIdentity, type Identity } from './identity.js';
import { lastSuperAdminGuard } from './last-super-admin.js';
import { givenProtection, runRemoval, type RemovalRecord } from './removal.js';
import { sharedReads } from './shared-reads.js';

/** The removal asked for: one plan for every member. */
export type RunPlan = Omit<RemovalPlan, 'member'> & { readonly members: MemberSelection[] };

/** One record per member, in the order given (two entries naming one member make one record). Never throws. */
export async function runRemovals(plan: RunPlan, api: RemovalApi, log: Log): Promise<RemovalRecord[]> {
  const plans = plan.members.map((member): RemovalPlan => ({ ...plan, member }));
  const shared = sharedReads(api);
  if (plans.length === 1) return [await runRemoval(plans[0]!, shared, log)];
  const settled = await Promise.all(plans.map((one) => settle(one, shared)));
  const refusal = settled.find((entry) => entry.problem !== undefined);
  if (refusal) return settled.map((entry) => refused(entry, refusal));
  const unique = once(settled);
  // One guard for the run: no member's removal counts on another member who leaves in it.
  const leavers = unique.flatMap(({ identity }) =>
    identity?.kind === 'member' ? [{ id: identity.id, record: identity.record }] : [],
  );
  const guard = lastSuperAdminGuard(shared, plan, Promise.resolve(leavers));
  return Promise.all(
    unique.map(async ({ plan: one, identity, warnings }) => {
      const who = nameMember(givenMember(one.member));
      const record = await runRemoval(one, shared, (message) => log(`${who}: ${message}`), {
        identity: identity!,
        guard,
      });
      return { ...record, warnings: [...warnings, ...record.warnings] };
    }),
  );
}

interface Settled {
  plan: RemovalPlan;
  identity?: Identity;
  /** Why this member refuses the run. */
  problem?: Problem;
  warnings: string[];
}

async function settle(plan: RemovalPlan, api: RemovalApi): Promise<Settled> {
  const guarded = givenProtection(plan);
  if (guarded) return { plan, problem: guarded, warnings: [] };
  try {
    const identity = await settleIdentity(plan, api);
    if (identity.kind === 'stopped') return { plan, identity, problem: identity.problem, warnings: [] };
    return { plan, identity, warnings: [] };
  } catch (error) {
    return { plan, problem: { message: unexpected(error) }, warnings: [] };
  }
}

// Every member's record says the run was refused; the member who caused it says why.
function refused(entry: Settled, cause: Settled): RemovalRecord {
  const record = entry.identity?.kind === 'stopped' ? entry.identity.record : undefined;
  const member = record
    ? { id: record.id, ...(record.email && { email: record.email }) }
    : givenMember(entry.plan.member);
  const stopped =
    entry.problem ??
    ({
      message: `Not started: the run was refused because of ${nameMember(givenMember(cause.plan.member))}, before any removal.`,
    } satisfies Problem);
  return { member, groups: [], stopped, warnings: entry.identity?.warnings ?? [] };
}

// Two entries that turn out to name one account member (its id, and an email it carries) are one.
function once(settled: Settled[]): Settled[] {
  const first = new Map<string, Settled>();
  const unique: Settled[] = [];
  for (const entry of settled) {
    const id = entry.identity?.kind === 'member' ? entry.identity.id : undefined;
    const earlier = id !== undefined ? first.get(id) : undefined;
    if (earlier) {
      earlier.warnings.push(
        `${nameMember(givenMember(entry.plan.member))} and ${nameMember(givenMember(earlier.plan.member))} name the same account member (${id}); it was handled once.`,
      );
      continue;
    }
    if (id !== undefined) first.set(id, entry);
    unique.push(entry);
  }
  return unique;
}
