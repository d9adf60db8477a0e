// The access that remains, for the job summary: policies first (direct account roles are deprecated
// in favour of them), then roles, groups, API tokens and Access sessions, and what no API here can
// see. An incomplete report says so first, and never that nothing remains.
import type { Policy, TokenState } from '../model.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { shorten, type Detail } from './detail.js';
import type { RemainingAccess } from './remaining-access.js';

type Md = Array<string | SafeMarkdown>;

export const UNSEEN =
  'No API here can see: API tokens a person owns themselves (User API tokens, visible only to that user); Organization Super Administrators, who hold every child account without being its members; and a group managed by Terraform (`cloudflare_user_group_members`) or by SCIM, or an account membership provisioned by SCIM, which gets the member back on the next sync or apply unless the identity provider (or the Terraform code) drops them.\n\n';

/**
 * The section on one member's remaining access; with several members, `about` names the member in
 * its heading and what no API can see is said once, after the last (`unseen: false` leaves it out).
 */
export function remainingMarkdown(
  access: RemainingAccess,
  text: SafeText,
  detail: Detail,
  { about, unseen = true }: { about?: SafeMarkdown; unseen?: boolean } = {},
): Md {
  const md: Md = about ? ['### Access that remains: ', about, '\n\n'] : ['### Access that remains\n\n'];
  if (!access.complete) {
    md.push(
      '**Incomplete**: this run did not check everything (it stopped, was refused, or a read failed), so more access may remain than is listed here.\n\n',
    );
  }
  if (access.inAccount === false) {
    md.push(
      access.complete
        ? 'The member is not in the account: no access remains through the account membership.\n'
        : 'The member is not in the account.\n',
    );
  } else {
    if (access.inAccount === null)
      md.push('- Whether they are still an account member is unknown: check Manage Account > Members.\n');
    const status: Md = access.status ? [' (status ', text.code(access.status), ')'] : [];
    if (access.inAccount === true) md.push('- Still an account member', ...status, '.\n');
    md.push(...policiesMarkdown(access.policies, text), ...rolesMarkdown(access.roles, text));
    md.push(...groupsMarkdown(access, text, detail));
  }
  md.push(...tokensMarkdown(access, text, detail), sessionsLine(access), '\n');
  if (access.complete && access.inAccount === true) md.push(advice(access));
  if (unseen) md.push(UNSEEN);
  return md;
}

function advice(access: RemainingAccess): string {
  const onlyMembership = access.groups.length === 0 && access.roles?.length === 0 && access.policies?.length === 0;
  if (onlyMembership) {
    return 'Nothing remains beyond the account membership itself. Removing someone from user groups does not remove them from the account: end the membership too (`remove-from-account: true`, or Manage Account > Members).\n\n';
  }
  return 'Removing someone from user groups does not remove them from the account: the policies, roles and groups above still give access. End the membership too (`remove-from-account: true`, or Manage Account > Members); for a group managed by SCIM, remove the person in the identity provider.\n\n';
}

function policiesMarkdown(policies: Policy[] | null, text: SafeText): Md {
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

function rolesMarkdown(roles: string[] | null, text: SafeText): Md {
  if (roles === null) return ['- Direct roles (deprecated): the account member record does not list them.\n'];
  if (roles.length === 0) return ['- Direct roles (deprecated): none.\n'];
  return ['- Direct roles (deprecated in favour of policies): ', ...join(roles.map((role) => text.code(role))), '.\n'];
}

function groupsMarkdown(access: RemainingAccess, text: SafeText, detail: Detail): Md {
  if (access.groups.length === 0) return [];
  const md: Md = ['- User groups that still hold the member:\n'];
  for (const group of access.groups.slice(0, detail.rows)) {
    md.push('  - ', text.code(group.name ?? group.id), ' (', text.code(group.id), ')');
    if (detail.perGroup > 0) md.push(': ', text.code(shorten(group.why, detail.perGroup, text)));
    md.push('\n');
  }
  const left = access.groups.length - Math.min(access.groups.length, detail.rows);
  if (left > 0) md.push(`  - and ${left} more: the \`remaining-access\` output lists every one.\n`);
  return md;
}

function tokensMarkdown(access: RemainingAccess, text: SafeText, detail: Detail): Md {
  if (access.tokens === undefined) return [];
  if (access.tokens === null)
    return ["- Account API tokens they created: not known, the account's tokens could not be read (see above).\n"];
  const list = (tokens: TokenState[]) => tokenLines(tokens.slice(0, detail.rows), text, '  ');
  const md: Md =
    access.tokens.length === 0
      ? ['- Account API tokens they created: none.\n']
      : ['- Account API tokens they created:\n', ...list(access.tokens)];
  const unattributed = access.unattributedTokens ?? [];
  if (unattributed.length > 0) md.push(`- ${unattributedHeading(unattributed.length)}:\n`, ...list(unattributed));
  return md;
}

/** Tokens as list items: each by name, id and status, never its value. */
export function tokenLines(tokens: TokenState[], text: SafeText, indent = ''): Md {
  return tokens.flatMap((token) => [
    `${indent}- `,
    text.code(token.name),
    ' (',
    text.code(token.id),
    '): ',
    text.code(token.status),
    '\n',
  ]);
}

export function unattributedHeading(count: number): string {
  return `Account API tokens with no known creator (${count}; made before 2026-10 or by an unknown creator): review them, the run never touches them`;
}

function sessionsLine({ sessions, devices }: RemainingAccess): string {
  if (sessions === 'revoked' && devices)
    return '- Access sessions: revoked by this run, with the WARP devices and WARP sessions.\n';
  if (sessions === 'revoked')
    return '- Access sessions: revoked by this run (devices and WARP sessions are not: `revoke-devices: true` ends them).\n';
  if (sessions === 'not-revoked') return '- Access sessions: not known to be ended.\n';
  if (sessions === 'unknown')
    return '- Access sessions: a revocation was sent, and whether it took effect is unknown: check the user in Cloudflare Zero Trust > Users.\n';
  return '- Access sessions: not checked (`revoke-access-sessions: true` ends them).\n';
}

function join(parts: SafeMarkdown[]): Md {
  if (parts.length === 0) return ['(none named)'];
  return parts.flatMap((part, index) => (index === 0 ? [part] : [', ', part]));
}
