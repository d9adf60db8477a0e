// Turns what the run did into the step's outputs, its job summary (also the issue comment) and its
// failure message. Pure. Hints that name the action's inputs are added here, at the edge; outside
// text reaches the Markdown only through safe-text.
import { onlyMembershipRemains, type RemainingAccess } from './access.js';
import type { Credentials } from './cloudflare.js';
import { describeMember, type MemberSelection } from './inputs.js';
import { groupLabel, type GroupResult, type Member, type Problem, type RemovalRecord } from './removal.js';
import type { SafeMarkdown, SafeText } from './safe-text.js';

export const OUTPUTS = ['id', 'email', 'status', 'removed', 'removed-groups', 'skipped-groups', 'remaining-access', 'result'] as const;

export interface Report {
  outputs: Record<(typeof OUTPUTS)[number], string>;
  summary: SafeMarkdown;
  /** Set when the step must fail: everything that failed, and why. */
  failure?: string;
  warnings: string[];
}

/** What is known of the run; `settings` parts are missing when the inputs were invalid. */
export interface RunFacts {
  record: RemovalRecord;
  /** Why the run stopped before the removal began (invalid inputs, the permission gate). */
  stoppedBefore?: Problem;
  accountId?: string;
  member?: MemberSelection;
  credentials?: Credentials;
  dryRun: boolean;
  ifNotMember: 'fail' | 'skip';
  allGroups: boolean;
  remaining?: RemainingAccess;
}

const ERROR_TEXT_LIMIT = 2_000;

export function buildReport(facts: RunFacts, text: SafeText): Report {
  const { record, dryRun } = facts;
  const who = record.member.email ?? (facts.member ? describeMember(facts.member) : 'the member');
  const explain = (problem: Problem) => withHint(problem, facts);
  const removed = record.groups.filter((r) => r.outcome === 'removed').map((r) => r.group.id);
  const skipped = record.groups.filter((r) => r.outcome === 'not-member').map((r) => r.group.id);
  const failure = failureMessage(facts, who, explain);
  const warnings: string[] = [];
  const noneHeld = facts.allGroups && record.groups.length === 0 && failure === undefined && record.notInAccount === undefined;
  if (noneHeld) warnings.push(`No user group of account ${facts.accountId} holds ${who}; nothing to remove.`);
  if (record.notInAccount !== undefined && failure === undefined) warnings.push(record.notInAccount);

  const result = {
    member: memberJson(record.member),
    dryRun,
    groups: record.groups.map((r) => ({
      id: r.group.id,
      ...(r.group.name !== undefined && { name: r.group.name }),
      outcome: r.outcome,
      ...(r.problem !== undefined && { error: text.excerpt(explain(r.problem), ERROR_TEXT_LIMIT) }),
      ...(r.note !== undefined && { note: r.note }),
    })),
    ...(record.notInAccount !== undefined && { notInAccount: true }),
    ...(failure !== undefined && { failure: text.excerpt(failure, ERROR_TEXT_LIMIT * 4) }),
  };
  return {
    outputs: {
      id: record.member.id ?? '',
      email: record.member.email ?? '',
      status: record.member.status ?? '',
      removed: String(removed.length > 0),
      'removed-groups': JSON.stringify(removed),
      'skipped-groups': JSON.stringify(skipped),
      'remaining-access': facts.remaining ? JSON.stringify({ ...facts.remaining, groups: facts.remaining.groups.map((g) => ({ ...g, why: text.excerpt(g.why, ERROR_TEXT_LIMIT) })) }) : '',
      result: JSON.stringify(result),
    },
    summary: summaryMarkdown(facts, failure, noneHeld, explain, text),
    ...(failure !== undefined && { failure }),
    warnings,
  };
}

function memberJson(member: Member): Member {
  return {
    ...(member.id !== undefined && { id: member.id }),
    ...(member.email !== undefined && { email: member.email }),
    ...(member.status !== undefined && { status: member.status }),
  };
}

function failureMessage(facts: RunFacts, who: string, explain: (problem: Problem) => string): string | undefined {
  const { record } = facts;
  const parts: string[] = [];
  if (facts.stoppedBefore) parts.push(explain(facts.stoppedBefore));
  if (record.refusal) parts.push(explain(record.refusal));
  if (record.notInAccount !== undefined && facts.ifNotMember === 'fail') parts.push(`${record.notInAccount} (Set if-not-member: skip to accept that.)`);
  const lines: string[] = [];
  for (const r of record.groups) {
    if (r.outcome === 'failed') lines.push(`${groupLabel(r.group)}: ${explain(r.problem!)}`);
    if (r.outcome === 'not-member' && facts.ifNotMember === 'fail' && record.notInAccount === undefined) {
      lines.push(`${groupLabel(r.group)}: ${who} is not in this group (set if-not-member: skip to accept that).`);
    }
  }
  if (lines.length > 0) {
    const verb = facts.dryRun ? 'check' : 'remove';
    const total = record.groups.length;
    parts.push(`Could not ${verb} ${who} in ${lines.length} of ${total} user group${total === 1 ? '' : 's'}:\n- ${lines.join('\n- ')}`);
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

// What to change, for the failures a user can fix; the client's message says what happened.
function withHint(problem: Problem, facts: RunFacts): string {
  const hint = hintFor(problem, facts);
  if (!hint) return problem.message;
  return `${problem.message.replace(/\s+$/, '')}${/[.!?]$/.test(problem.message.trim()) ? '' : '.'} ${hint}.`;
}

function hintFor({ status, codes = [], foreign, message }: Problem, { accountId, credentials }: RunFacts): string | undefined {
  const has = (...wanted: number[]) => codes.some((code) => wanted.includes(Number(code)));
  if (has(9109)) {
    return 'The token is restricted by client IP (code 9109), and GitHub-hosted runners use changing addresses: remove the IP filter or use a self-hosted runner with a fixed address';
  }
  if ((status === 401 || status === 403) && credentials?.scheme === 'global-key') {
    return `Check api-email and api-key: they must belong to a user with access to account ${accountId} who may change its user groups; an API token with "Account Settings Write" or "SCIM Provisioning" is recommended instead. User groups may also need an Enterprise plan`;
  }
  if (status === 401 || status === 403) {
    return `Check the credentials: the token needs the "Account Settings Write" or "SCIM Provisioning" permission on account ${accountId}. Tokens restricted by client IP fail on GitHub-hosted runners (code 9109). User groups may also need an Enterprise plan`;
  }
  if (status === 400 && has(6003, 6111, 6103, 6102)) {
    return 'The credentials are malformed: an API token goes in api-token; a Global API key goes in api-key together with api-email';
  }
  if (status === 400 && /policy validation failed/i.test(message)) {
    return "Cloudflare cannot validate this group's policies, so its members cannot be read: check the group's policies in the Cloudflare dashboard, then run again";
  }
  if (status === 400 && /still in the group/.test(message)) {
    return 'Cloudflare refused to change this group while the member is in it; a group managed by SCIM (synced from an identity provider) can only be changed there: remove the person in the identity provider';
  }
  if (status === 429) {
    return 'Cloudflare allows 1,200 requests per five minutes per token and refuses every call of the token for five minutes past that: run again later, or lower concurrency';
  }
  if (foreign) return 'This is not an answer the Cloudflare API gives: check api-base-url and any proxy (HTTPS_PROXY, NO_PROXY); if they are right, run again later';
  return undefined;
}

const OUTCOME_TEXT: Record<GroupResult['outcome'], string> = {
  removed: '✅ removed',
  'would-remove': '🔍 would remove (dry run)',
  'not-member': '➖ not a member',
  failed: '❌ failed',
};

function summaryMarkdown(facts: RunFacts, failure: string | undefined, noneHeld: boolean, explain: (problem: Problem) => string, text: SafeText): SafeMarkdown {
  const { record } = facts;
  const named = record.member.email ?? (facts.member?.by === 'email' ? facts.member.email : undefined);
  const id = record.member.id ?? (facts.member?.by === 'id' ? facts.member.id : undefined);
  const heading = named !== undefined ? [text.code(named)] : id !== undefined ? ['member ', text.code(id)] : ['the member'];
  const md: Array<string | SafeMarkdown> = ['## Remove ', ...heading, ' from Cloudflare user groups\n\n'];
  if (facts.dryRun) md.push('**Dry run**: nothing was removed; the table shows what would be.\n\n');
  if (facts.stoppedBefore) {
    md.push('The run stopped before any request to Cloudflare; nothing was removed.\n\n');
  } else if (record.groups.length > 0) {
    md.push('| User group | ID | Outcome |\n| --- | --- | --- |\n');
    for (const r of record.groups) {
      md.push('| ', text.code(r.group.name ?? ''), ' | ', text.code(r.group.id), ' | ', OUTCOME_TEXT[r.outcome]);
      const detail = r.problem ? explain(r.problem) : r.note;
      if (detail) md.push(': ', text.code(detail));
      md.push(' |\n');
    }
    md.push('\n');
  } else if (noneHeld) {
    md.push('No user group of the account holds this member; nothing to remove.\n\n');
  }
  if (record.notInAccount !== undefined) md.push(text.code(record.notInAccount), '\n\n');
  else if (record.groups.length === 0 && failure !== undefined && !facts.stoppedBefore) md.push('Nothing was removed.\n\n');
  if (record.refusal && record.groups.some((r) => r.outcome === 'removed')) {
    md.push('The run stopped part-way; the table lists what was removed before it stopped.\n\n');
  }
  if (failure !== undefined) md.push('**Failed:**\n\n', text.block(failure), '\n\n');
  if (facts.remaining) md.push(...remainingMarkdown(facts.remaining, text));
  return text.markdown(md);
}

function remainingMarkdown(access: RemainingAccess, text: SafeText): Array<string | SafeMarkdown> {
  const md: Array<string | SafeMarkdown> = ['### Access that remains\n\n'];
  if (!access.inAccount) {
    md.push('The member is not in the account: no access remains through it.\n\n');
    return md;
  }
  md.push(`- Still an account member${access.status ? ' (status ' : ''}`, access.status ? text.code(access.status) : '', access.status ? ')' : '', '.\n');
  if (access.roles === null) md.push('- Direct roles: the account member record does not list them.\n');
  else if (access.roles.length === 0) md.push('- Direct roles: none.\n');
  else md.push('- Direct roles: ', ...join(access.roles.map((role) => text.code(role))), '.\n');
  if (access.policies === null) md.push('- Direct policies: the account member record does not list them.\n');
  else if (access.policies.length === 0) md.push('- Direct policies: none.\n');
  else {
    md.push('- Direct policies:\n');
    for (const policy of access.policies) {
      md.push('  - ', text.code(policy.access ?? 'access not given'), ': ', ...join(policy.permissionGroups.map((name) => text.code(name))), ' on ', ...join(policy.resourceGroups.map((name) => text.code(name))), '\n');
    }
  }
  if (access.groups.length > 0) {
    md.push('- User groups that still hold the member:\n');
    for (const group of access.groups) md.push('  - ', text.code(group.name ?? group.id), ' (', text.code(group.id), '): ', text.code(group.why), '\n');
  }
  md.push('\n');
  if (onlyMembershipRemains(access)) {
    md.push('Nothing remains beyond the account membership itself. Removing someone from user groups does not remove them from the account: remove the account member too (Manage Account > Members, or `DELETE /accounts/{account_id}/members/{member_id}`) to end their access.\n\n');
  } else {
    md.push(
      'Removing someone from user groups does not remove them from the account: the roles, policies and groups above still give access. Remove the account member (Manage Account > Members) to end it all; for a group managed by SCIM, remove the person in the identity provider.\n\n',
    );
  }
  return md;
}

function join(parts: SafeMarkdown[]): Array<string | SafeMarkdown> {
  if (parts.length === 0) return ['(none named)'];
  return parts.flatMap((part, index) => (index === 0 ? [part] : [', ', part]));
}
