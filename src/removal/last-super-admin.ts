// No run leaves an account without a Super Administrator. Before any write that could take a
// Super Administrator grant away (a removal from a group whose policies grant it, the account
// removal of a member who holds it), the run's planned end state is checked once, for the whole
// run: who loses a grant in this run (they are not counted), and whether another accepted member
// keeps one. Doubt protects: a grant that is not clear, or a list that cannot be read, proves no
// other Super Administrator, and the write is refused.
import {
  messageOf,
  nameMember,
  type AccountMember,
  type GroupSelection,
  type Problem,
  type UserGroup,
} from '../model.js';
import { quote } from '../identifiers.js';
import { problemOf, type RemovalApi } from './api.js';
import { deniesRole, groupGrant, memberGrant, mentions, type Grant } from './super-admin.js';

/** A member this run acts on, as settled. */
export interface Leaver {
  id: string;
  accountMember?: AccountMember;
}

export interface LastSuperAdminGuard {
  /** Why removing the member from this group must not be done, or undefined when it may. */
  groupRemoval(member: Leaver, group: UserGroup): Promise<Problem | undefined>;
  /** Why removing the member from the account must not be done, or undefined when it may. */
  accountRemoval(member: Leaver): Promise<Problem | undefined>;
}

export interface GuardPlan {
  readonly groups: GroupSelection;
  readonly removeFromAccount: boolean;
}

/** What the run takes from a member: through what, and whether any of it surely grants the role. */
interface Loss {
  through: string[];
  sure: boolean;
}

/** Who loses a grant in this run, and what refuses their writes (none when another one remains). */
interface Verdict {
  losing: Map<string, Loss>;
  refusal?: (id: string) => Problem;
}

export function lastSuperAdminGuard(api: RemovalApi, plan: GuardPlan, leavers: Promise<Leaver[]>): LastSuperAdminGuard {
  let verdict: Promise<Verdict> | undefined;
  const decide = () => (verdict ??= decideOnce(api, plan, leavers));
  const refused = async (member: Leaver) => {
    const { losing, refusal } = await decide();
    return refusal && losing.has(member.id) ? refusal(member.id) : undefined;
  };
  return {
    async groupRemoval(member, group) {
      if (member.accountMember?.status === 'pending') return undefined;
      const grant = group.policies !== undefined ? groupGrant(group) : await listedGrant(api, group);
      return grant === 'no' ? undefined : refused(member);
    },
    accountRemoval: (member) =>
      member.accountMember?.status === 'pending' ? Promise.resolve(undefined) : refused(member),
  };
}

// A group given by id carries no policies: the account's group listing has them. A group the
// listing does not show cannot be ruled out.
async function listedGrant(api: RemovalApi, group: UserGroup): Promise<Grant> {
  try {
    const listed = (await api.listGroups()).find((each) => each.id === group.id);
    return listed ? groupGrant(listed) : 'unclear';
  } catch {
    return 'unclear';
  }
}

/** A group whose policies name the role (to grant or to deny it), with its members where they were read. */
interface NamingGroup {
  group: UserGroup;
  grant: Grant;
  members?: ReadonlySet<string>;
}

async function decideOnce(api: RemovalApi, plan: GuardPlan, leaving: Promise<Leaver[]>): Promise<Verdict> {
  const leavers = (await leaving).filter((leaver) => leaver.accountMember?.status !== 'pending');
  let naming: NamingGroup[];
  let listed: ReadonlySet<string>;
  try {
    const groups = await api.listGroups();
    listed = new Set(groups.map((group) => group.id));
    naming = await namingGroups(api, groups);
  } catch (error) {
    const losing = new Map(
      leavers.map((leaver) => [leaver.id, { through: ['whatever this run takes from them'], sure: false }]),
    );
    const why = `the account's user groups could not be listed to see who holds it`;
    return { losing, refusal: (id) => refusal(leavers, losing, id, { why, error }) };
  }
  const losing = new Map<string, Loss>();
  for (const leaver of leavers) {
    const lost = grantsLost(leaver, naming, listed, plan);
    if (lost.through.length > 0) losing.set(leaver.id, lost);
  }
  if (losing.size === 0) return { losing };
  let members: AccountMember[];
  try {
    members = await api.listAccountMembers();
  } catch (error) {
    const why = 'the account members could not be listed to check that another one remains';
    return { losing, refusal: (id) => refusal(leavers, losing, id, { why, error }) };
  }
  // A group that denies the role, whose members could not be read, may deny it to anyone.
  const anyoneDenied = naming.some(({ group, members: inGroup }) => inGroup === undefined && deniesRole(group));
  const keeps = (member: AccountMember) =>
    member.status === 'accepted' &&
    !losing.has(member.id) &&
    !anyoneDenied &&
    memberGrant(
      member,
      naming.filter(({ members: inGroup }) => inGroup?.has(member.id) === true).map(({ group }) => group),
    ) === 'yes';
  if (members.some(keeps)) return { losing };
  const unread = naming.some((each) => each.members === undefined)
    ? { why: 'no other one is proven: the members of a group whose policies name the role could not be read' }
    : undefined;
  return { losing, refusal: (id) => refusal(leavers, losing, id, unread) };
}

async function namingGroups(api: RemovalApi, groups: UserGroup[]): Promise<NamingGroup[]> {
  return Promise.all(
    groups.filter(mentions).map(async (group) => {
      const entry = { group, grant: groupGrant(group) };
      try {
        return { ...entry, members: new Set(await api.listGroupMembers(group.id)) };
      } catch {
        return entry;
      }
    }),
  );
}

// The grants this run takes from the member: each group granting it that the run removes them
// from (a target the listing does not show may be one), and, with the account removal, everything
// they hold. A grant that cannot be ruled out counts.
function grantsLost(leaver: Leaver, naming: NamingGroup[], listed: ReadonlySet<string>, plan: GuardPlan): Loss {
  const targeted = (group: UserGroup) =>
    plan.removeFromAccount ||
    plan.groups.by === 'all' ||
    (plan.groups.by === 'id' ? plan.groups.ids.includes(group.id) : plan.groups.names.includes(group.name ?? ''));
  const groups = naming.filter(
    ({ group, grant, members }) =>
      grant !== 'no' && (members === undefined || members.has(leaver.id)) && targeted(group),
  );
  const through = groups.map(
    ({ group }) => `the user group ${group.name !== undefined ? quote(group.name) : group.id}`,
  );
  const grants = groups.map(({ grant, members }) => (members === undefined ? 'unclear' : grant));
  const unlisted = plan.groups.by === 'id' ? plan.groups.ids.filter((id) => !listed.has(id)) : [];
  through.push(...unlisted.map((id) => `the user group ${id}, which the account's group listing does not show`));
  const direct = leaver.accountMember ? memberGrant(leaver.accountMember) : 'unclear';
  if (plan.removeFromAccount && direct !== 'no') {
    through.unshift('their own role or policy');
    grants.push(direct);
  }
  return { through, sure: grants.includes('yes') };
}

// Who is refused, through what, and why no other Super Administrator is proven; `why` is
// undefined when every list was read and none remains.
function refusal(
  leavers: Leaver[],
  losing: Map<string, Loss>,
  id: string,
  doubt?: { why: string; error?: unknown },
): Problem {
  const name = (leaverId: string) => {
    const leaver = leavers.find((each) => each.id === leaverId);
    return nameMember(leaver?.accountMember ?? { id: leaverId });
  };
  const { through, sure } = losing.get(id)!;
  const others = [...losing.keys()].filter((other) => other !== id).map(name);
  const via = ` (through ${through.join(', ')})`;
  const is = sure ? 'is' : 'may be';
  const situation =
    doubt !== undefined
      ? `${name(id)} ${is} a Super Administrator${via}, and ${doubt.why}${doubt.error !== undefined ? ` (${messageOf(doubt.error)})` : ''}`
      : others.length === 0
        ? `${name(id)} ${is} the only accepted Super Administrator of the account${via}`
        : `${name(id)} ${is} a Super Administrator${via}, and no accepted member outside those this run takes it from (${others.join(', ')}) is one`;
  const message = `${situation}: taking that away would lock the account out, so it was not done. Make another member Super Administrator first, then run again.`;
  // A refused read keeps its status, so that the report names the permission it needs.
  return doubt?.error !== undefined ? { ...problemOf(doubt.error), message } : { message };
}
