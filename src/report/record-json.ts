// The parts of the JSON outputs that describe members: one member's result (groups, steps,
// tokens), their entry of `members`, what remains for them; names and lists bounded by the detail.
import type { Member, StepResult, TokensResult, TokenState } from '../model.js';
import type { SafeText } from '../safe-text.js';
import type { Detail } from './detail.js';
import type { Explain } from './facts.js';
import { accessRemains, type RemainingAccess } from './remaining-access.js';
import type { AccountView, MemberView } from './run-view.js';

/** A name from the API (a group's, a token's), in characters. */
export const NAME_CHARACTERS = 1_000;

/** One account's part of the `result` output with several accounts: as `result` is with one. */
export function scopeResult({ members, explain }: AccountView, text: SafeText, detail: Detail) {
  const only = members.length === 1 ? members[0] : undefined;
  if (only) return { member: memberJson(only.record.member), ...memberResult(only, explain, text, detail) };
  return {
    members: members.map((member) => ({
      member: memberJson(member.record.member),
      ...memberResult(member, explain, text, detail),
    })),
  };
}

/** A member's entry with whether the account holds them: true, false, or null when it was not read. */
export function presentEntry(member: MemberView, explain: Explain, text: SafeText, detail: Detail) {
  const { record } = member;
  const inAccount = record.notInAccount !== undefined ? false : record.accountMember !== undefined ? true : null;
  return { ...memberEntry(member, explain, text, detail), inAccount };
}

/** One member's part of the `result` output: the groups and the steps beyond them. */
export function memberResult({ record, signature }: MemberView, explain: Explain, text: SafeText, detail: Detail) {
  return {
    groups: record.groups.map((r) => ({
      id: r.group.id,
      ...(r.group.name !== undefined && { name: text.excerpt(r.group.name, NAME_CHARACTERS) }),
      outcome: r.outcome,
      ...(r.problem !== undefined &&
        detail.perGroup > 0 && { error: text.excerpt(explain(r.problem), 2 * detail.perGroup) }),
      ...(r.note !== undefined && detail.perGroup > 0 && { note: text.excerpt(r.note, detail.perGroup) }),
      ...(r.rays && { rays: r.rays }),
      ...(r.audit && { audit: r.audit }),
    })),
    ...steps(record, explain, text, detail),
    ...(record.notInAccount !== undefined && { notInAccount: true }),
    ...(signature && { signature }),
  };
}

/** One member's entry of the `members` output. */
export function memberEntry(
  { record, remaining, signature }: MemberView,
  explain: Explain,
  text: SafeText,
  detail: Detail,
) {
  const ids = (outcome: string) => record.groups.filter((r) => r.outcome === outcome).map((r) => r.group.id);
  const remains = accessRemains(remaining);
  return {
    ...memberJson(record.member),
    removedGroups: ids('removed'),
    skippedGroups: ids('not-member'),
    // A removal that was sent and not settled: never in removedGroups, never left out.
    ...(ids('unknown').length > 0 && { unknownGroups: ids('unknown') }),
    ...steps(record, explain, text, detail),
    ...(record.notInAccount !== undefined && { notInAccount: true }),
    ...(remaining && { remainingAccess: remainingJson(remaining, text, detail) }),
    ...(remains !== '' && { accessRemains: remains === 'true' }),
    ...(signature && { signature }),
  };
}

export function remainingJson(remaining: RemainingAccess, text: SafeText, detail: Detail) {
  const { tokens, unattributedTokens, ...rest } = remaining;
  const list = (key: 'tokens' | 'unattributedTokens', value: TokenState[] | null | undefined) =>
    value === undefined ? {} : value === null ? { [key]: null } : tokenList(key, value, text, detail);
  return {
    ...rest,
    groups: remaining.groups.map((g) => ({
      ...g,
      ...(g.name !== undefined && { name: text.excerpt(g.name, NAME_CHARACTERS) }),
      why: text.excerpt(g.why, 2 * detail.perGroup),
    })),
    ...list('tokens', tokens),
    ...list('unattributedTokens', unattributedTokens),
  };
}

function steps({ tokens, sessions, account }: MemberView['record'], explain: Explain, text: SafeText, detail: Detail) {
  return {
    ...(tokens && { tokens: stepJson(tokens, explain, text, detail) }),
    ...(sessions && { sessions: stepJson(sessions, explain, text, detail) }),
    ...(account && { account: stepJson(account, explain, text, detail) }),
  };
}

/**
 * A step for the `result` and `members` outputs: its outcome, the error or note, and `checked:
 * false` when it could not look; the tokens step lists its tokens only when it read them.
 */
function stepJson(step: StepResult | TokensResult, explain: Explain, text: SafeText, detail: Detail) {
  const { outcome, problem, note, devices, rays, audit } = step;
  const excerpt = (about: string) => text.excerpt(about, 2 * detail.perGroup || 200);
  const found = 'found' in step ? step.found : undefined;
  const tokens = found?.read
    ? {
        ...tokenList('tokens', found.items.tokens, text, detail, explain),
        ...tokenList('unattributed', found.items.unattributed, text, detail),
      }
    : {};
  const unchecked = step.checked === false || found?.read === false;
  return {
    outcome,
    ...(problem && { error: excerpt(explain(problem)) }),
    ...(note && { note }),
    ...(devices && { devices }),
    ...(rays && { rays }),
    ...(audit && { audit }),
    ...(unchecked && { checked: false }),
    ...tokens,
  };
}

// A list of tokens under `key`, names bounded; cut to the detail's rows, with `<key>LeftOut` saying
// how many were left out.
function tokenList(key: string, tokens: TokenState[], text: SafeText, detail: Detail, explain?: Explain) {
  const shown = tokens.slice(0, detail.rows).map(({ problem, ...token }) => ({
    ...token,
    name: text.excerpt(token.name, NAME_CHARACTERS),
    ...(problem && explain && { error: text.excerpt(explain(problem), 2 * detail.perGroup || 200) }),
  }));
  const left = tokens.length - shown.length;
  return { [key]: shown, ...(left > 0 && { [`${key}LeftOut`]: left }) };
}

export function memberJson(member: Member): Member {
  return {
    ...(member.id !== undefined && { id: member.id }),
    ...(member.email !== undefined && { email: member.email }),
    ...(member.status !== undefined && { status: member.status }),
  };
}
