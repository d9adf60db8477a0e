// What the member still holds in the account after an all-groups run: removing someone from user
// groups leaves their account membership, their direct roles and policies, and any group whose
// removal failed (a SCIM-managed one, say). Pure: built from the run's record, no request of its own.
import type { Policy } from './cloudflare.js';
import type { RemovalRecord } from './removal.js';

export interface RemainingAccess {
  /** Whether the member is still an account member; false when the run found no such member. */
  inAccount: boolean;
  status?: string;
  /** Direct role names; null when the account member record did not say. */
  roles: string[] | null;
  /** Direct policies; null when the account member record did not say. */
  policies: Policy[] | null;
  /** Groups that still hold the member after this run, and why. */
  groups: Array<{ id: string; name?: string; why: string }>;
}

export function remainingAccess(record: RemovalRecord, dryRun: boolean): RemainingAccess | undefined {
  const member = record.accountMember;
  if (member === undefined) return record.notInAccount !== undefined ? { inAccount: false, roles: [], policies: [], groups: [] } : undefined;
  const groups = record.groups.flatMap(({ group, outcome, problem }) => {
    const named = { id: group.id, ...(group.name !== undefined && { name: group.name }) };
    if (outcome === 'would-remove') return [{ ...named, why: dryRun ? 'dry run: not removed' : 'not removed' }];
    if (outcome === 'failed') return [{ ...named, why: `the removal failed or the group could not be read: ${problem?.message ?? 'unknown error'}` }];
    return [];
  });
  return {
    inAccount: true,
    ...(member.status !== undefined && { status: member.status }),
    roles: member.roles ?? null,
    policies: member.policies ?? null,
    groups,
  };
}

/** True when nothing but the account membership itself remains. */
export function onlyMembershipRemains(access: RemainingAccess): boolean {
  return access.groups.length === 0 && access.roles !== null && access.roles.length === 0 && access.policies !== null && access.policies.length === 0;
}
