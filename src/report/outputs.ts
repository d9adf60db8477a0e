// The step's outputs, from the view of the run: the singular ones describe the one member (empty
// with several), the lists and `removed` cover every member, and the JSON ones are valid JSON
// whatever text they carry, each bounded by shortening its per-group detail.
import { jsonText, type SafeText } from '../safe-text.js';
import { fitting, OUTPUT_CHARACTERS, SHORTER, type Detail } from './detail.js';
import { removedMembership, unknownChange } from './changes.js';
import { accessRemains } from './remaining-access.js';
import {
  memberEntry,
  memberJson,
  memberResult,
  NAME_CHARACTERS,
  presentEntry,
  remainingJson,
  scopeResult,
} from './record-json.js';
import type { AccountView, MemberView, RunView } from './run-view.js';

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
  'accounts',
  'result',
] as const;

export type Outputs = Record<(typeof OUTPUTS)[number], string>;

const fits = (value: string) => value.length <= OUTPUT_CHARACTERS;
/**
 * JSON outputs shorten per-group detail first; past that, lists of tokens (never of groups, which
 * later steps read) are cut to their first rows, each cut list saying how many it left out.
 */
const JSON_DETAIL = SHORTER;

export function outputs(view: RunView, text: SafeText): Outputs {
  const { members } = view;
  const one = members.length === 1 ? members[0] : undefined;
  const removed = groupIds(members, 'removed');
  const several = view.accounts.length > 1;
  const result = (detail: Detail) =>
    several
      ? jsonText({
          dryRun: view.facts.dryRun,
          ...(view.interrupted && { interrupted: view.interrupted }),
          accounts: view.accounts.map((account) => ({
            ...accountJson(account, text),
            ...scopeResult(account, text, detail),
          })),
          ...(view.failure !== undefined && { failure: text.excerpt(view.failure, 8_000) }),
        })
      : jsonText({
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
    jsonText(
      several
        ? view.accounts.flatMap((account) =>
            account.members.map((member) => ({
              accountId: account.id,
              ...presentEntry(member, account.explain, text, detail),
            })),
          )
        : members.map((member) => memberEntry(member, view.explain, text, detail)),
    );
  const accounts = (detail: Detail) =>
    jsonText(
      view.accounts.map((account) => ({
        ...accountJson(account, text),
        members: account.members.map((member) => presentEntry(member, account.explain, text, detail)),
      })),
    );
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
    accounts: fitting(accounts, fits, JSON_DETAIL),
    result: fitting(result, fits, JSON_DETAIL),
  };
}

function accountJson({ id, name }: AccountView, text: SafeText) {
  return { id, ...(name !== undefined && { name: text.excerpt(name, NAME_CHARACTERS) }) };
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
