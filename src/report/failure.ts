// Why the step fails, in one message: everything that failed, each with what to change. Hints
// that name the action's inputs are added here, at the edge; the client's message says what happened.
import { type Problem } from '../model.js';
import { labelOf } from '../identifiers.js';
import type { RemovalRecord } from '../removal/removal.js';
import { describeStop, type StopReason } from '../watchdog.js';
import type { Explain, RunFacts } from './facts.js';
import { stepsAsked } from './steps.js';

export function explainer(facts: RunFacts): Explain {
  return (problem) => withHint(problem, facts);
}

/** What failed for one member (not what concerns the whole run): each part with what to change. */
export function memberFailure(
  record: RemovalRecord,
  name: string,
  facts: RunFacts,
  explain: Explain,
): string | undefined {
  const parts: string[] = [];
  if (record.stopped) parts.push(explain(record.stopped));
  if (record.notInAccount !== undefined && facts.ifNotInAccount === 'fail') {
    parts.push(`${record.notInAccount} (Set if-not-in-account: skip to accept that.)`);
  }
  const lines: string[] = [];
  for (const r of record.groups) {
    if (r.outcome === 'failed' || r.outcome === 'unknown') lines.push(`${labelOf(r.group)}: ${explain(r.problem!)}`);
    if (r.outcome === 'not-member' && facts.ifNotMember === 'fail' && record.notInAccount === undefined) {
      lines.push(`${labelOf(r.group)}: ${name} is not in this group (set if-not-member: skip to accept that).`);
    }
  }
  for (const [label, step] of stepsAsked(record)) {
    if ((step.outcome === 'failed' || step.outcome === 'unknown') && step.problem)
      parts.push(`${label}: ${explain(step.problem)}`);
  }
  if (lines.length > 0) {
    const verb = facts.dryRun ? 'check' : 'remove';
    const total = record.groups.length;
    parts.push(
      `Could not ${verb} ${name} in ${lines.length} of ${total} user group${total === 1 ? '' : 's'}:\n- ${lines.join('\n- ')}`,
    );
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

interface Failing {
  record: RemovalRecord;
  name: string;
  person: { name: string; key: string };
  failure?: string;
}

/**
 * Everything that failed: what concerns the whole run once (a stop, a refusal before any request),
 * then what failed for each member, by name when there are several, in each account, by name when
 * there are several; and a person whom no account holds, when that is a failure.
 */
export function runFailure(
  accounts: ReadonlyArray<{ id?: string; name?: string; members: readonly Failing[] }>,
  explain: Explain,
  interrupted: StopReason | undefined,
  stoppedBefore: Problem | undefined,
  facts: RunFacts,
): string | undefined {
  const parts: string[] = [];
  const all = accounts.flatMap((account) => account.members);
  if (interrupted)
    parts.push(
      stoppedMessage(
        interrupted,
        all.map((member) => member.record),
      ),
    );
  if (stoppedBefore) parts.push(explain(stoppedBefore));
  const several = accounts.length > 1;
  for (const account of accounts) {
    for (const { name, failure } of account.members) {
      if (failure === undefined) continue;
      const who = account.members.length > 1 ? `${name}: ` : '';
      const where = several && account.id !== undefined ? `Account ${labelOf({ ...account, id: account.id })}: ` : '';
      const own = `${who}${failure.replace(/\n/g, '\n  ')}`;
      parts.push(where === '' && who === '' ? failure : `${where}${own}`);
    }
  }
  if (several && facts.ifNotInAccount === 'fail') parts.push(...inNoAccount(accounts.length, all));
  return parts.length > 0 ? parts.join('\n') : undefined;
}

// With several accounts, a person that every account read says it does not hold.
function inNoAccount(count: number, members: readonly Failing[]): string[] {
  const people = new Map(members.map(({ person }) => [person.key, person.name]));
  return [...people]
    .filter(([key]) =>
      members.filter(({ person }) => person.key === key).every((member) => member.record.notInAccount !== undefined),
    )
    .map(
      ([, name]) =>
        `No member of any of the ${count} accounts is ${name}: check for a typo; if they already left every account, there is nothing to remove. (Set if-not-in-account: skip to accept that.)`,
    );
}

/** What a run that was stopped part-way removed, over every member's record. */
function stoppedMessage(reason: StopReason, records: RemovalRecord[]): string {
  const groupResults = records.flatMap((record) => record.groups);
  const removed = groupResults.filter((r) => r.outcome === 'removed').length;
  const unknown = groupResults.filter((r) => r.outcome === 'unknown').length;
  const unsettled = records.reduce((sum, record) => sum + (record.unsettled ?? 0), 0);
  const groups = `${removed} user group${removed === 1 ? '' : 's'}`;
  const more =
    (unknown > 0 ? ` Whether ${unknown} more removals took effect is unknown: check them.` : '') +
    (unsettled > 0 ? ` ${unsettled} listed user groups were not checked.` : '');
  const memberships = records.length > 1 ? ` memberships in ${groups}` : ` from ${groups}`;
  return `Stopped: ${describeStop(reason)}. Removed${memberships} before it stopped.${more} Run the job again to finish.`;
}

function withHint(problem: Problem, facts: RunFacts): string {
  const hint = hintFor(problem, facts);
  if (!hint) return problem.message;
  return `${problem.message.replace(/\s+$/, '')}${/[.!?]$/.test(problem.message.trim()) ? '' : '.'} ${hint}.`;
}

function hintFor({ status, codes = [], foreign, message, needs }: Problem, facts: RunFacts): string | undefined {
  const has = (...wanted: number[]) => codes.some((code) => wanted.includes(Number(code)));
  const { accountId } = facts;
  if (has(9109)) {
    return 'The token is restricted by client IP (code 9109), and GitHub-hosted runners use changing addresses: remove the IP filter or use a self-hosted runner with a fixed address';
  }
  if ((status === 401 || status === 403) && facts.globalKey) {
    return `Check api-email and api-key: they must belong to a user with access to account ${accountId} who may change its user groups; an API token with "Account Settings Write" or "SCIM Provisioning" is recommended instead. User groups may also need an Enterprise plan`;
  }
  if ((status === 401 || status === 403) && needs !== undefined) {
    return `Check the credentials: this needs the "${needs}" permission on account ${accountId}. Tokens restricted by client IP fail on GitHub-hosted runners (code 9109)`;
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
    return 'Cloudflare allows 1,200 requests per five minutes per user (the dashboard and every token of that user share them) and refuses every call of the user for five minutes past that: run again later, or lower concurrency';
  }
  if (foreign) {
    return 'This is not an answer the Cloudflare API gives: check api-base-url and any proxy (HTTPS_PROXY, NO_PROXY); if they are right, run again later';
  }
  return undefined;
}
