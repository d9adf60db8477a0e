// Decides what to remove: which user groups are targets, and who the member is in each.
// Only reads; every DELETE waits until the whole plan is known and checked.
import { ApiError, type CloudflareClient, type Member, type UserGroup } from './cloudflare.js';
import { describeMember, type Settings } from './inputs.js';
import { Refusal } from './refusal.js';

export type GroupPlan =
  | { group: UserGroup; state: 'member'; member: Member }
  | { group: UserGroup; state: 'not-member' }
  | { group: UserGroup; state: 'failed'; error: string };

type Client = Pick<CloudflareClient, 'listGroups' | 'listGroupMembers' | 'getAccountMember'>;

/**
 * Which groups are targets, and who the member is in each; `then` continues with each group as
 * soon as its plan is known (by default the plan itself). A lookup is needed when the member is
 * given by email, in a dry run (to say truthfully what would be removed) and for all-groups (to
 * find the groups that hold the member); otherwise the DELETE itself is the check, and the plan
 * costs no request. With all-groups, groups that do not hold the member are dropped: they are
 * not targets. The client bounds how many requests run at once.
 */
export async function planGroups<T = GroupPlan>(
  settings: Settings,
  client: Client,
  then: (plan: GroupPlan) => Promise<T> | T = (plan) => plan as T,
): Promise<T[]> {
  const selection = settings.groups;
  if (selection.by === 'all') {
    // Each page's groups are looked up while the next page loads.
    const steps: Array<Promise<T | undefined>> = [];
    const step = async (group: UserGroup) => {
      const plan = await findMember(settings, group, client);
      return plan.state === 'not-member' ? undefined : then(plan);
    };
    try {
      await client.listGroups({ onPage: (groups) => steps.push(...groups.map(step)) });
    } catch (error) {
      await Promise.allSettled(steps);
      if (error instanceof ApiError) throw new Refusal(`Could not list the user groups of the account: ${error.message}`);
      throw error;
    }
    return (await Promise.all(steps)).filter((result): result is Awaited<T> => result !== undefined);
  }
  const groups = selection.by === 'id' ? selection.ids.map((id) => ({ id })) : await groupsNamed(selection.names, settings, client);
  const lookup = settings.member.by === 'email' || settings.dryRun;
  return Promise.all(
    groups.map(async (group) => then(lookup ? await findMember(settings, group, client) : { group, state: 'member', member: givenMember(settings) })),
  );
}

async function groupsNamed(names: string[], settings: Settings, client: Client): Promise<UserGroup[]> {
  const problems: string[] = [];
  const found = await Promise.all(
    names.map(async (name) => {
      let groups: UserGroup[];
      try {
        groups = await client.listGroups({ name });
      } catch (error) {
        if (error instanceof ApiError) throw new Refusal(`Could not look up user-group-name "${name}": ${error.message}`);
        throw error;
      }
      // The API filter may be looser than exact (or ignored); the match is ours, case and all.
      const exact = groups.filter((group) => group.name === name);
      if (exact.length === 0) problems.push(`user-group-name: no user group is named "${name}" in account ${settings.accountId} (names match exactly, case included).`);
      if (exact.length > 1) problems.push(`user-group-name: ${exact.length} user groups are named "${name}" (${exact.map((g) => g.id).join(', ')}); use user-group-id to choose.`);
      return exact;
    }),
  );
  if (problems.length > 0) throw new Refusal(problems.join('\n'));
  return [...new Map(found.flat().map((group) => [group.id, group])).values()];
}

async function findMember(settings: Settings, group: UserGroup, client: Client): Promise<GroupPlan> {
  const { member } = settings;
  try {
    const members = member.by === 'email'
      ? (await client.listGroupMembers(group.id, { fuzzyEmail: member.email })).filter((m) => m.email?.toLowerCase() === member.email)
      : (await client.listGroupMembers(group.id)).filter((m) => m.id.toLowerCase() === member.id);
    if (members.length > 1) {
      return { group, state: 'failed', error: `${members.length} members of this group match ${describeMember(settings)} (${members.map((m) => m.id).join(', ')}); refusing to guess: use member-id.` };
    }
    const [found] = members;
    return found ? { group, state: 'member', member: found } : { group, state: 'not-member' };
  } catch (error) {
    if (error instanceof ApiError) return { group, state: 'failed', error: `could not list the group's members: ${error.message}` };
    throw error;
  }
}

/**
 * The member as the inputs give it. With member-id and protected emails, the email is read from
 * the account's member list, so the protection check never depends on which groups are listed.
 */
export async function memberIdentity(settings: Settings, client: Client): Promise<Member> {
  const { member } = settings;
  if (member.by === 'email' || settings.protectedMembers.emails.size === 0) return givenMember(settings);
  try {
    return await client.getAccountMember(member.id);
  } catch (error) {
    if (error instanceof ApiError) throw new Refusal(`protected-members: could not read the email of member ${member.id} to check it against the protected emails: ${error.message}`);
    throw error;
  }
}

/**
 * Whether members found by lookups must be checked before any DELETE: only when the member is
 * given by email and IDs are protected. Every other protection is checked against the member
 * as the inputs give it (memberIdentity), before the first group request.
 */
export function needsCheckAfterLookup(settings: Settings): boolean {
  return settings.member.by === 'email' && settings.protectedMembers.ids.size > 0;
}

/** The member exactly as the inputs give it: an id, or an email with no id yet. */
export function givenMember(settings: Settings): Member {
  return settings.member.by === 'id' ? { id: settings.member.id } : { id: '', email: settings.member.email };
}

/** Refuses, before any DELETE, when any of these members is protected. */
export function checkProtected(settings: Settings, members: Member[]): void {
  const { ids, emails } = settings.protectedMembers;
  for (const member of members) {
    const email = member.email?.toLowerCase();
    const match = email !== undefined && emails.has(email) ? member.email : ids.has(member.id.toLowerCase()) ? member.id : undefined;
    if (match !== undefined) {
      throw new Refusal(`protected-members: ${match} is protected and is never removed; nothing was removed. Take it out of protected-members only if this removal is intended.`);
    }
  }
}
