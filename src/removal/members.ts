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
  const shared = sharedReads(api);
  if (plan.members.length === 1) return [await runRemoval({ ...plan, member: plan.members[0]! }, shared, log)];
  return removeIdentified(plan, shared, await identifyAll(plan, shared), log);
}

/** Each member settled, before any DELETE; `api` shares its reads between them. */
export function identifyAll(plan: RunPlan, api: RemovalApi): Promise<Identified[]> {
  return Promise.all(plan.members.map((member) => identify({ ...plan, member }, api)));
}

/**
 * The removals of members settled beforehand: none when one of them refuses the run (each record
 * says why); else each over the shared reads, under one guard, so that no member's removal counts
 * on another member who leaves in it.
 */
export async function removeIdentified(
  plan: RunPlan,
  api: RemovalApi,
  identified: Identified[],
  log: Log,
): Promise<RemovalRecord[]> {
  const refusal = identified.find((entry) => entry.problem !== undefined);
  if (refusal) return identified.map((entry) => refusedRecord(entry, refusedBecauseOf(refusal)));
  const unique = distinct(identified);
  const leavers = unique.flatMap(({ identity }) =>
    identity?.kind === 'member' ? [{ id: identity.id, accountMember: identity.accountMember }] : [],
  );
  const guard = lastSuperAdminGuard(api, plan, Promise.resolve(leavers));
  const several = plan.members.length > 1;
  return Promise.all(
    unique.map(async ({ plan: one, identity, warnings }) => {
      const name = nameMember(givenMember(one.member));
      const said = several ? (message: string) => log(`${name}: ${message}`) : log;
      const record = await runRemoval(one, api, said, { identity: identity!, guard });
      return { ...record, warnings: [...warnings, ...record.warnings] };
    }),
  );
}

/** A member settled before any removal: who they are in the account, or why the run cannot go on. */
export interface Identified {
  plan: RemovalPlan;
  identity?: Identity;
  /** Why this member refuses the run. */
  problem?: Problem;
  warnings: string[];
}

async function identify(plan: RemovalPlan, api: RemovalApi): Promise<Identified> {
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

/** Every member's record says the run was refused, and why; the member who caused it says their own why. */
export function refusedRecord(entry: Identified, why: string): RemovalRecord {
  const { identity } = entry;
  const record = identity?.kind === 'stopped' || identity?.kind === 'member' ? identity.accountMember : undefined;
  const member = record
    ? { id: record.id, ...(record.email && { email: record.email }) }
    : givenMember(entry.plan.member);
  return {
    given: entry.plan.member,
    member,
    groups: [],
    ...(record && { accountMember: record }),
    ...(identity?.kind === 'absent' && { notInAccount: identity.notInAccount }),
    stopped: entry.problem ?? { message: `Not started: ${why}, before any removal.` },
    warnings: identity?.warnings ?? [],
  };
}

/** Why the run was refused, in the words of every other member's record. */
export function refusedBecauseOf(cause: Identified, where = ''): string {
  return `the run was refused because of ${nameMember(givenMember(cause.plan.member))}${where}`;
}

// Two entries that turn out to name one account member (its id, and an email it carries) are one.
function distinct(settled: Identified[]): Identified[] {
  const first = new Map<string, Identified>();
  const unique: Identified[] = [];
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
