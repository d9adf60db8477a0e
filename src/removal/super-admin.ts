// What makes a Super Administrator, from what the API says of a member and of the groups they are
// in. Cloudflare names the role and its permission group "Super Administrator - All Privileges"
// (role id 33666b9c79b9a5273fc7344ff42f953d in its SCIM documentation); those names are
// Cloudflare's. What a policy covers comes from its scope keys, never from the resource group
// names users choose. A deny from any source may take the grant away again.
import type { AccountMember, Policy, UserGroup } from '../model.js';

/** Whether something grants Super Administrator over the whole account: surely, surely not, or unclear. */
export type Grant = 'yes' | 'unclear' | 'no';

const NAME = 'Super Administrator - All Privileges';
const ROLE_ID = '33666b9c79b9a5273fc7344ff42f953d';
const LOOKS_LIKE = /super\s*-?\s*admin/i;
// How records.ts names a role or permission group the answer gives by id only.
const UNNAMED = /^(role|permission group) [0-9a-f-]+$|^\(a (role|permission group) the answer does not name\)$/i;

function named(name: string, kind: 'role' | 'permission group'): Grant {
  if (name === NAME || name === `role ${ROLE_ID}`) return 'yes';
  if (LOOKS_LIKE.test(name) || name.includes(ROLE_ID)) return 'unclear';
  // A role given by id only is not the Super Administrator role, whose id is known; a permission
  // group given by id only may be anything.
  return kind === 'permission group' && UNNAMED.test(name) ? 'unclear' : 'no';
}

/** The strongest of several grants. */
export function strongest(grants: Grant[]): Grant {
  return grants.includes('yes') ? 'yes' : grants.includes('unclear') ? 'unclear' : 'no';
}

function permissionGrant(policy: Policy): Grant {
  return strongest(policy.permissionGroups.map((name) => named(name, 'permission group')));
}

// An allow over the whole account; a grant of less (a zone, a resource group of zones) does not
// count, and one whose access or scope the answer does not make clear is unclear.
function policyGrant(policy: Policy): Grant {
  const grant = permissionGrant(policy);
  if (grant === 'no' || policy.access === 'deny') return 'no';
  if (policy.access !== 'allow' || policy.scope === 'unknown') return 'unclear';
  return policy.scope === 'account' ? grant : 'no';
}

/**
 * What roles and policies from every source grant together: the strongest allow, made unclear by
 * any policy that is not a plain allow of the role (a deny of it, on any scope).
 */
function grantOf(roles: string[], policies: Policy[]): Grant {
  const grant = strongest([...roles.map((role) => named(role, 'role')), ...policies.map(policyGrant)]);
  const denied = policies.some((policy) => policy.access !== 'allow' && permissionGrant(policy) !== 'no');
  return grant === 'yes' && denied ? 'unclear' : grant;
}

/**
 * What a member holds directly, as a legacy role (account-wide by definition) or a direct policy,
 * together with the policies of the groups given. A record that does not list its policies may
 * hide a deny; one that does not list its roles may hide a role.
 */
export function memberGrant(member: AccountMember, groups: UserGroup[] = []): Grant {
  const policies = [...(member.policies ?? []), ...groups.flatMap((group) => group.policies ?? [])];
  const grant = grantOf(member.roles ?? [], policies);
  if (member.policies === undefined || groups.some((group) => group.policies === undefined)) return 'unclear';
  return member.roles === undefined && grant === 'no' ? 'unclear' : grant;
}

/** What a user group's policies grant each of its members; unclear when the answer carries none. */
export function groupGrant(group: UserGroup): Grant {
  return group.policies === undefined ? 'unclear' : grantOf([], group.policies);
}

/** Whether a group's policies name the role at all, to grant it or to deny it. */
export function mentions(group: UserGroup): boolean {
  return group.policies === undefined || group.policies.some((policy) => permissionGrant(policy) !== 'no');
}

/** Whether a group's policies may deny the role to its members, or do not say. */
export function deniesRole(group: UserGroup): boolean {
  return (
    group.policies === undefined ||
    group.policies.some((policy) => policy.access !== 'allow' && permissionGrant(policy) !== 'no')
  );
}
