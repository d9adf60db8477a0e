// What makes a Super Administrator, from what the API says of a member and a group. Cloudflare
// names the role and its permission group "Super Administrator - All Privileges" (role id
// 33666b9c79b9a5273fc7344ff42f953d in its SCIM documentation); those names are Cloudflare's. What
// a policy covers comes from its scope keys, never from the resource group names users choose.
import type { AccountMember, Policy, UserGroup } from '../model.js';

/** Whether something grants Super Administrator over the whole account: surely, surely not, or unclear. */
export type Grant = 'yes' | 'unclear' | 'no';

const NAME = 'Super Administrator - All Privileges';
const ROLE_ID = '33666b9c79b9a5273fc7344ff42f953d';
const LOOKS_LIKE = /super\s*-?\s*admin/i;

function named(name: string): Grant {
  if (name === NAME || name === `role ${ROLE_ID}`) return 'yes';
  return LOOKS_LIKE.test(name) || name.includes(ROLE_ID) ? 'unclear' : 'no';
}

/** The strongest of several grants. */
export function strongest(grants: Grant[]): Grant {
  return grants.includes('yes') ? 'yes' : grants.includes('unclear') ? 'unclear' : 'no';
}

// An allow over the whole account; a grant of less (a zone, a resource group of zones) does not
// count, and one whose access or scope the answer does not make clear is unclear.
function policyGrant(policy: Policy): Grant {
  const grant = strongest(policy.permissionGroups.map(named));
  if (grant === 'no' || policy.access === 'deny') return 'no';
  if (policy.access !== 'allow' || policy.scope === 'unknown') return 'unclear';
  return policy.scope === 'account' ? grant : 'no';
}

// A deny that names the role may take it away again: the grant is then unclear.
function denied(policies: Policy[]): boolean {
  return policies.some((policy) => policy.access !== 'allow' && strongest(policy.permissionGroups.map(named)) !== 'no');
}

function grantOf(policies: Policy[], roles: string[] = []): Grant {
  const grant = strongest([...roles.map(named), ...policies.map(policyGrant)]);
  return grant === 'yes' && denied(policies) ? 'unclear' : grant;
}

/** What a member holds directly: a legacy role (account-wide by definition) or a direct policy. */
export function directGrant(member: AccountMember): Grant {
  const grant = grantOf(member.policies ?? [], member.roles ?? []);
  // A record that does not list its roles or policies may hold it.
  return grant === 'no' && (member.roles === undefined || member.policies === undefined) ? 'unclear' : grant;
}

/** What a user group gives each of its members; unclear when the answer carries no policies. */
export function groupGrant(group: UserGroup): Grant {
  return group.policies === undefined ? 'unclear' : grantOf(group.policies);
}
