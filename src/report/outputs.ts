// The step's outputs, from the view of the run: the singular ones describe the one member (empty
// with several), the lists and `removed` cover every member, and the JSON ones are valid JSON
// whatever text they carry, each bounded by shortening its per-group detail.
import type { Member, StepResult, TokensResult, TokenState } from '../model.js';
import { jsonText, type SafeText } from '../safe-text.js';
import { fitting, SHORTER, type Detail } from './detail.js';
import { removedMembership, unknownChange } from './changes.js';
import type { Explain } from './facts.js';
import { accessRemains, type RemainingAccess } from './remaining-access.js';
import type { MemberView, RunView } from './run-view.js';

export const OUTPUTS = [
  'id',
  'email',
  'status',
  'removed',
  'removed-groups',
  'skipped-groups',
  'remaining-access',
  'access-remains',
  'members',
  'result',
] as const;

export type Outputs = Record<(typeof OUTPUTS)[number], string>;

/** GitHub allows 1 MB per output. */
const OUTPUT_CHARACTERS = 900_000;
const fits = (value: string) => value.length <= OUTPUT_CHARACTERS;
/**
 * JSON outputs shorten per-group detail first; past that, lists of tokens (never of groups, which
 * later steps read) are cut to their first rows, each cut list saying how many it left out.
 */
const JSON_DETAIL = SHORTER;
/** A name from the API (a group's, a token's), in characters. */
const NAME_CHARACTERS = 1_000;

export function outputs(view: RunView, text: SafeText): Outputs {
  const { members } = view;
  const one = members.length === 1 ? members[0] : undefined;
  const removed = groupIds(members, 'removed');
  const result = (detail: Detail) =>
    jsonText({
      ...(one && { member: memberJson(one.record.member) }),
      dryRun: view.facts.dryRun,
      ...(view.interrupted && { interrupted: view.interrupted }),
      ...(one
        ? memberResult(one, view.explain, text, detail)
        : {
            members: members.map((member) => ({
              member: memberJson(member.record.member),
              ...memberResult(member, view.explain, text, detail),
            })),
          }),
      ...(view.failure !== undefined && { failure: text.excerpt(view.failure, 8_000) }),
    });
  const entries = (detail: Detail) =>
    jsonText(members.map((member) => memberEntry(member, view.explain, text, detail)));
  const remains = members.map((member) => accessRemains(member.remaining));
  return {
    id: one?.record.member.id ?? '',
    email: one?.record.member.email ?? '',
    status: one?.record.member.status ?? '',
    removed: removedOutput(members),
    'removed-groups': jsonText(removed),
    'skipped-groups': jsonText(groupIds(members, 'not-member')),
    'remaining-access': one?.remaining
      ? fitting((detail) => jsonText(remainingJson(one.remaining!, text, detail)), fits, JSON_DETAIL)
      : '',
    'access-remains': remains.includes('true') ? 'true' : remains.every((value) => value === 'false') ? 'false' : '',
    members: fitting(entries, fits, JSON_DETAIL),
    result: fitting(result, fits, JSON_DETAIL),
  };
}

function groupIds(members: MemberView[], outcome: string): string[] {
  const ids = members.flatMap(({ record }) =>
    record.groups.filter((r) => r.outcome === outcome).map((r) => r.group.id),
  );
  return [...new Set(ids)];
}

/**
 * `removed`: true when this run removed a group membership or the account membership; empty when
 * it removed none for sure but sent a change whose effect is unknown; else false.
 */
function removedOutput(members: MemberView[]): 'true' | 'false' | '' {
  const records = members.map((member) => member.record);
  if (records.some(removedMembership)) return 'true';
  return records.some(unknownChange) ? '' : 'false';
}

/** One member's part of the `result` output: the groups and the steps beyond them. */
function memberResult({ record }: MemberView, explain: Explain, text: SafeText, detail: Detail) {
  return {
    groups: record.groups.map((r) => ({
      id: r.group.id,
      ...(r.group.name !== undefined && { name: text.excerpt(r.group.name, NAME_CHARACTERS) }),
      outcome: r.outcome,
      ...(r.problem !== undefined &&
        detail.perGroup > 0 && { error: text.excerpt(explain(r.problem), 2 * detail.perGroup) }),
      ...(r.note !== undefined && detail.perGroup > 0 && { note: text.excerpt(r.note, detail.perGroup) }),
    })),
    ...steps(record, explain, text, detail),
    ...(record.notInAccount !== undefined && { notInAccount: true }),
  };
}

/** One member's entry of the `members` output. */
function memberEntry({ record, remaining }: MemberView, explain: Explain, text: SafeText, detail: Detail) {
  const ids = (outcome: string) => record.groups.filter((r) => r.outcome === outcome).map((r) => r.group.id);
  const remains = accessRemains(remaining);
  return {
    ...memberJson(record.member),
    removedGroups: ids('removed'),
    skippedGroups: ids('not-member'),
    ...steps(record, explain, text, detail),
    ...(record.notInAccount !== undefined && { notInAccount: true }),
    ...(remaining && { remainingAccess: remainingJson(remaining, text, detail) }),
    ...(remains !== '' && { accessRemains: remains === 'true' }),
  };
}

function remainingJson(remaining: RemainingAccess, text: SafeText, detail: Detail) {
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
  const { outcome, problem, note } = step;
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

function memberJson(member: Member): Member {
  return {
    ...(member.id !== undefined && { id: member.id }),
    ...(member.email !== undefined && { email: member.email }),
    ...(member.status !== undefined && { status: member.status }),
  };
}
