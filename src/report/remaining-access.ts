// What the member still holds in the account after an all-groups run: removing someone from user
// groups leaves their account membership, their direct roles and policies, and any group whose
// removal failed (a SCIM-managed one, say). Built from the run's record, with no request of its own.
import type { Policy } from '../model.js';
import type { RemovalRecord } from '../removal/removal.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { shorten, type Detail } from './detail.js';
import type { StopReason } from '../watchdog.js';

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
  /** False whenever something was not checked: a listing failed, the run was refused or stopped, the record left roles or policies out. */
  complete: boolean;
}

export function remainingAccess(
  record: RemovalRecord,
  dryRun: boolean,
  interrupted?: StopReason,
): RemainingAccess | undefined {
  const member = record.accountMember;
  const checked = record.stopped === undefined && interrupted === undefined && record.unsettled === undefined;
  if (member === undefined) {
    if (record.notInAccount === undefined) return undefined;
    return { inAccount: false, roles: [], policies: [], groups: [], complete: checked };
  }
  const groups = record.groups.flatMap(({ group, outcome, problem }) => {
    const named = { id: group.id, ...(group.name !== undefined && { name: group.name }) };
    if (outcome === 'would-remove') return [{ ...named, why: dryRun ? 'dry run: not removed' : 'not removed' }];
    if (outcome === 'failed') {
      return [
        { ...named, why: `the removal failed or the group could not be read: ${problem?.message ?? 'unknown error'}` },
      ];
    }
    return [];
  });
  return {
    inAccount: true,
    ...(member.status !== undefined && { status: member.status }),
    roles: member.roles ?? null,
    policies: member.policies ?? null,
    groups,
    complete: checked && member.roles !== undefined && member.policies !== undefined,
  };
}

/** True when nothing but the account membership itself remains. */
function onlyMembershipRemains(access: RemainingAccess): boolean {
  const none = (list: unknown[] | null) => list !== null && list.length === 0;
  return access.groups.length === 0 && none(access.roles) && none(access.policies);
}

export function remainingMarkdown(
  access: RemainingAccess,
  text: SafeText,
  detail: Detail,
): Array<string | SafeMarkdown> {
  const md: Array<string | SafeMarkdown> = ['### Access that remains\n\n'];
  if (!access.complete) {
    md.push(
      '**Incomplete**: this run did not check everything (it stopped, was refused, or a read failed), so more access may remain than is listed here.\n\n',
    );
  }
  if (!access.inAccount) {
    md.push(
      access.complete
        ? 'The member is not in the account: no access remains through it.\n\n'
        : 'The member is not in the account.\n\n',
    );
    return md;
  }
  const status: Array<string | SafeMarkdown> = access.status ? [' (status ', text.code(access.status), ')'] : [];
  md.push('- Still an account member', ...status, '.\n');
  md.push(...rolesMarkdown(access.roles, text), ...policiesMarkdown(access.policies, text));
  if (access.groups.length > 0) {
    md.push('- User groups that still hold the member:\n');
    for (const group of access.groups.slice(0, detail.rows)) {
      md.push('  - ', text.code(group.name ?? group.id), ' (', text.code(group.id), ')');
      if (detail.perGroup > 0) md.push(': ', text.code(shorten(group.why, detail.perGroup, text)));
      md.push('\n');
    }
    const left = access.groups.length - Math.min(access.groups.length, detail.rows);
    if (left > 0) md.push(`  - and ${left} more: the \`remaining-access\` output lists every one.\n`);
  }
  md.push('\n');
  if (!access.complete) return md;
  if (onlyMembershipRemains(access)) {
    md.push(
      'Nothing remains beyond the account membership itself. Removing someone from user groups does not remove them from the account: remove the account member too (Manage Account > Members, or `DELETE /accounts/{account_id}/members/{member_id}`) to end their access.\n\n',
    );
  } else {
    md.push(
      'Removing someone from user groups does not remove them from the account: the roles, policies and groups above still give access. Remove the account member (Manage Account > Members) to end it all; for a group managed by SCIM, remove the person in the identity provider.\n\n',
    );
  }
  return md;
}

function rolesMarkdown(roles: string[] | null, text: SafeText): Array<string | SafeMarkdown> {
  if (roles === null) return ['- Direct roles: the account member record does not list them.\n'];
  if (roles.length === 0) return ['- Direct roles: none.\n'];
  return ['- Direct roles: ', ...join(roles.map((role) => text.code(role))), '.\n'];
}

function policiesMarkdown(policies: Policy[] | null, text: SafeText): Array<string | SafeMarkdown> {
  if (policies === null) return ['- Direct policies: the account member record does not list them.\n'];
  if (policies.length === 0) return ['- Direct policies: none.\n'];
  return [
    '- Direct policies:\n',
    ...policies.flatMap((policy) => [
      '  - ',
      text.code(policy.access ?? 'access not given'),
      ': ',
      ...join(policy.permissionGroups.map((name) => text.code(name))),
      ' on ',
      ...join(policy.resourceGroups.map((name) => text.code(name))),
      '\n',
    ]),
  ];
}

export function join(parts: SafeMarkdown[]): Array<string | SafeMarkdown> {
  if (parts.length === 0) return ['(none named)'];
  return parts.flatMap((part, index) => (index === 0 ? [part] : [', ', part]));
}
