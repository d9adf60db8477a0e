// The removal as a pipeline of values: settle who the member is, find the target groups, settle
// each group, then fold the results into the record. Refusals are values in the record, never
// exceptions; whatever happens, the record says what this run actually removed.
import {
  givenMember,
  messageOf,
  unexpected,
  type AccountMember,
  type GroupResult,
  type Member,
  type MemberSelection,
  type Problem,
  type StepResult,
  type TokensResult,
} from '../model.js';
import type { Log, RemovalApi, RemovalPlan } from './api.js';
import { endAccess } from './end-access.js';
import type { GroupSettlement } from './group.js';
import {
  notInAccount,
  protection,
  readsTheAccount,
  settleIdentity,
  stillInAccount,
  type Identity,
} from './identity.js';
import { lastSuperAdminGuard, type LastSuperAdminGuard } from './last-super-admin.js';
import { sweep, targeted, type GroupsSettled } from './settle-groups.js';

export interface RemovalRecord {
  /** The person as the inputs named them; absent only when the inputs could not be read. */
  given?: MemberSelection;
  /** The member as the run found them, where it did; else as given. */
  member: Member;
  groups: GroupResult[];
  /** Set when the member turned out not to be in the account at all: what to tell the admin. */
  notInAccount?: string;
  /** Set when the run stopped as a whole (refused, or a listing failed): why. */
  stopped?: Problem;
  /** The account member as read during the run, where it was. */
  accountMember?: AccountMember;
  /** Groups of a sweep that were listed but not settled, because the run stopped. */
  unsettled?: number;
  /** What the admin should look at, though nothing failed (a protected email no member has). */
  warnings: string[];
  /** The steps beyond the groups, each when asked: tokens, Access sessions, account membership. */
  tokens?: TokensResult;
  sessions?: StepResult;
  account?: StepResult;
}

/** With several members: who each was settled to be, and the guard that all of them share. */
export interface Prepared {
  identity: Identity;
  guard: LastSuperAdminGuard;
}

/**
 * Carries out the removal the plan describes and returns its record; `settled`, when given, says
 * who the member was settled to be, and the run's guard. Never throws.
 */
export async function runRemoval(
  plan: RemovalPlan,
  api: RemovalApi,
  log: Log,
  settled?: Prepared,
): Promise<RemovalRecord> {
  const given = givenMember(plan.member);
  // The member as given is checked first: a protected email or id costs no request at all.
  const guarded = givenProtection(plan);
  if (guarded) return { given: plan.member, member: given, groups: [], stopped: guarded, warnings: [] };
  try {
    // Who the member is, settled before any DELETE; targets are found meanwhile.
    if (settled && settled.identity.kind !== 'member' && plan.groups.by === 'all') {
      // Settled beforehand as not in this account (or refused): no group of it is read.
      return await remove(plan, api, log, Promise.resolve(settled.identity), settled.guard, { skipGroups: true });
    }
    const identity = settled ? Promise.resolve(settled.identity) : settleIdentity(plan, api);
    const guard = settled?.guard ?? guardFor(plan, api, identity);
    return await remove(plan, api, log, identity, guard);
  } catch (error) {
    return { given: plan.member, member: given, groups: [], stopped: { message: unexpected(error) }, warnings: [] };
  }
}

// Wherever the run reads the account anyway, no write may take the last Super Administrator
// grant away; the bare removal by ids (one DELETE, as promised) acts on the ids given alone.
function guardFor(plan: RemovalPlan, api: RemovalApi, identity: Promise<Identity>): LastSuperAdminGuard | undefined {
  if (!readsTheAccount(plan)) return undefined;
  const leavers = identity.then((who) =>
    who.kind === 'member' ? [{ id: who.id, accountMember: who.accountMember }] : [],
  );
  return lastSuperAdminGuard(api, plan, leavers);
}

/** A problem when the member as given (before any read) is protected. */
export function givenProtection(plan: RemovalPlan): Problem | undefined {
  const given = givenMember(plan.member);
  return protection(plan.protectedMembers, given.id, given.email !== undefined ? [given.email] : []);
}

async function remove(
  plan: RemovalPlan,
  api: RemovalApi,
  log: Log,
  identity: Promise<Identity>,
  guard: LastSuperAdminGuard | undefined,
  { skipGroups = false } = {},
): Promise<RemovalRecord> {
  const groups = skipGroups
    ? { settled: [] }
    : plan.groups.by === 'all'
      ? await sweep(plan, api, identity, log, guard)
      : await targeted(plan, api, identity, log, guard);
  const who = await identity;
  const record = await afterGroups(plan, api, who, fold(plan, who, groups), log);
  // The steps beyond the groups read the account, so they always have the guard; they go by the
  // record as completed after the groups.
  const settled = who.kind === 'member' ? { ...who, accountMember: record.accountMember ?? who.accountMember } : who;
  const steps = guard ? await endAccess(plan, api, settled, guard) : {};
  return { ...record, ...steps };
}

function fold(plan: RemovalPlan, who: Identity, { settled, problem }: GroupsSettled): RemovalRecord {
  const stopped = who.kind === 'stopped' ? who.problem : problem;
  const record = who.kind !== 'absent' ? who.accountMember : undefined;
  const unsettled = settled.filter((s) => s.unsettled !== undefined).length;
  return {
    given: plan.member,
    member: memberOf(plan, who, settled),
    groups: settled.flatMap(({ result }) => (result ? [result] : [])),
    ...(who.kind === 'absent' && { notInAccount: who.notInAccount }),
    ...(stopped && { stopped }),
    ...(record && { accountMember: record }),
    ...(unsettled > 0 && { unsettled }),
    warnings: who.warnings ?? [],
  };
}

async function afterGroups(
  plan: RemovalPlan,
  api: RemovalApi,
  who: Identity,
  record: RemovalRecord,
  log: Log,
): Promise<RemovalRecord> {
  // A refused DELETE is the first sign that a member never read may not be in the account at all.
  const unread = who.kind === 'member' && who.accountMember === undefined;
  if (unread && record.groups.some((r) => r.outcome === 'not-member') && !(await stillInAccount(api, who.id))) {
    return { ...record, notInAccount: notInAccount(plan.accountId, { by: 'id', id: who.id }) };
  }
  if (plan.groups.by === 'all' && plan.member.by === 'email' && record.accountMember) {
    return { ...record, accountMember: await completeRecord(api, record.accountMember, log) };
  }
  return record;
}

// The member this run addressed: as read, where it was, else as given; what DELETE answers
// naming that member said of its email and status fills what the read did not.
function memberOf(plan: RemovalPlan, who: Identity, settled: GroupSettlement[]): Member {
  const record = who.kind !== 'absent' ? who.accountMember : undefined;
  const base: Member = record ? fromRecord(record) : who.kind === 'member' ? { id: who.id } : givenMember(plan.member);
  const answers = settled.flatMap(({ answered }) => (answered ? [answered] : []));
  const email = base.email ?? answers.find((a) => a.email !== undefined)?.email;
  const status = base.status ?? answers.find((a) => a.status !== undefined)?.status;
  return { ...base, ...(email !== undefined && { email }), ...(status !== undefined && { status }) };
}

function fromRecord({ id, email, status }: AccountMember): Member {
  return { id, ...(email !== undefined && { email }), ...(status !== undefined && { status }) };
}

// The access report of a sweep needs the member's roles and policies: an entry of the account
// member list that lacks them is read once more on its own.
async function completeRecord(api: RemovalApi, record: AccountMember, log: Log): Promise<AccountMember> {
  if (record.roles !== undefined && record.policies !== undefined) return record;
  try {
    const read = await api.getAccountMember(record.id);
    return read.id === record.id ? read : record;
  } catch (error) {
    log(`Could not read the roles and policies of account member ${record.id}: ${messageOf(error)}`);
    return record;
  }
}
