// One member's entry of a record, in either of its forms: a member's part of `result` (each group
// with its outcome) or an entry of the members and accounts outputs (the groups by outcome); and
// the signature that must vouch for it.
import { groupResult, stepsOf } from './record-outcomes.js';
import { fields, id, ids, list, literal, object, refuse, text, type Fields } from './strict-json.js';

/** The signature a run with record-key gives each member's record. */
interface Signature {
  account: string;
  /** When the run signed it (ISO 8601), as it wrote it. */
  at: string;
  /** HMAC-SHA256, 64 hexadecimal characters. */
  value: string;
}

/** One member's entry of a record: who, where, what that run removed and disabled, and its signature. */
export interface RecordEntry {
  /** Where in the record it is, for messages: `result`, `members[2]`, `accounts[1].members[0]`. */
  where: string;
  /** The account the record files it under, where it says so outside the signature. */
  account?: string;
  /** Lower-cased. */
  memberId?: string;
  email?: string;
  /** The groups that run removed the member from (outcome `removed`), lower-cased, in the record's order. */
  removedGroups: string[];
  /** The member's tokens that run disabled (outcome `disabled`), lower-cased. */
  disabledTokens: string[];
  /** The groups and tokens whose change that run sent without learning whether it took effect (outcome `unknown`). */
  unsettled: { groups: string[]; tokens: string[] };
  signature?: Signature;
}

/** The keys of one member's part of `result`. */
export const RESULT_MEMBER_KEYS = ['member', 'groups', 'tokens', 'sessions', 'account', 'notInAccount', 'signature'];

// A member's part of `result`: the member, the outcome of each group, the steps beyond them.
export function resultEntry(value: unknown, where: string, account: string | undefined): RecordEntry {
  const entry = fields(object(value, where, 'is not a member of the record'), where, RESULT_MEMBER_KEYS, [
    'member',
    'groups',
  ]);
  const member = fields(object(entry.member, `${where}.member`, 'is not a member'), `${where}.member`, [
    'id',
    'email',
    'status',
  ]);
  const groups = list(entry.groups, `${where}.groups`).map((item, i) => groupResult(item, `${where}.groups[${i}]`));
  const steps = stepsOf(entry, where);
  if (entry.notInAccount !== undefined) literal(entry.notInAccount, `${where}.notInAccount`, [true]);
  return {
    where,
    ...(account !== undefined && { account }),
    ...person(member, `${where}.member`),
    removedGroups: groups.filter((group) => group.outcome === 'removed').map((group) => group.id),
    disabledTokens: steps.disabledTokens,
    unsettled: {
      groups: groups.filter((group) => group.outcome === 'unknown').map((group) => group.id),
      tokens: steps.unknownTokens,
    },
    ...(entry.signature !== undefined && { signature: signature(entry.signature, `${where}.signature`) }),
  };
}

/** The keys of an entry of the members output; with several accounts, `accountId` and `inAccount` too. */
const MEMBER_ENTRY_KEYS = [
  'id',
  'email',
  'status',
  'removedGroups',
  'skippedGroups',
  'unknownGroups',
  'tokens',
  'sessions',
  'account',
  'notInAccount',
  'remainingAccess',
  'accessRemains',
  'signature',
];

// An entry of the members output (with `accountId` when it covers several accounts), or of an
// account's members in the accounts output (with `inAccount`).
export function memberEntry(
  value: unknown,
  where: string,
  output: 'members' | 'accounts',
  account?: string,
): RecordEntry {
  const known =
    output === 'accounts' ? [...MEMBER_ENTRY_KEYS, 'inAccount'] : ['accountId', ...MEMBER_ENTRY_KEYS, 'inAccount'];
  const required = output === 'accounts' ? ['inAccount'] : [];
  const entry = fields(object(value, where, 'is not a member of the record'), where, known, [
    'removedGroups',
    'skippedGroups',
    ...required,
  ]);
  // With several accounts the members output names each entry's account, and whether it holds them.
  if (output === 'members' && (entry.accountId === undefined) !== (entry.inAccount === undefined))
    refuse(where, 'has one of accountId and inAccount without the other');
  const accountId = entry.accountId === undefined ? account : id(entry.accountId, `${where}.accountId`);
  const removedGroups = ids(entry.removedGroups, `${where}.removedGroups`);
  ids(entry.skippedGroups, `${where}.skippedGroups`);
  const unknownGroups = entry.unknownGroups === undefined ? [] : ids(entry.unknownGroups, `${where}.unknownGroups`);
  const steps = stepsOf(entry, where);
  if (entry.notInAccount !== undefined) literal(entry.notInAccount, `${where}.notInAccount`, [true]);
  if (entry.inAccount !== undefined) literal(entry.inAccount, `${where}.inAccount`, [true, false, null]);
  if (entry.accessRemains !== undefined) literal(entry.accessRemains, `${where}.accessRemains`, [true, false]);
  // What remains is not read: only its type is checked (a `…LeftOut` inside it refused the record already).
  if (entry.remainingAccess !== undefined)
    object(entry.remainingAccess, `${where}.remainingAccess`, 'is not an object');
  return {
    where,
    ...(accountId !== undefined && { account: accountId }),
    ...person(entry, where),
    removedGroups,
    disabledTokens: steps.disabledTokens,
    unsettled: { groups: unknownGroups, tokens: steps.unknownTokens },
    ...(entry.signature !== undefined && { signature: signature(entry.signature, `${where}.signature`) }),
  };
}

// Who the entry is about: the member id and email, where it names them, and their status.
function person(member: Fields, where: string): Pick<RecordEntry, 'memberId' | 'email'> {
  if (member.status !== undefined) literal(member.status, `${where}.status`, ['accepted', 'pending']);
  return {
    ...(member.id !== undefined && { memberId: id(member.id, `${where}.id`) }),
    ...(member.email !== undefined && { email: text(member.email, `${where}.email`, 1_000) }),
  };
}

const SIGNED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function signature(value: unknown, where: string): Signature {
  const {
    account,
    at,
    value: hmac,
  } = fields(object(value, where, 'is not a signature'), where, ['account', 'at', 'value'], ['account', 'at', 'value']);
  if (typeof at !== 'string' || !SIGNED_AT.test(at))
    refuse(`${where}.at`, 'is not a time as the action writes it (ISO 8601, UTC)');
  if (typeof hmac !== 'string' || !/^[0-9a-f]{64}$/.test(hmac))
    refuse(`${where}.value`, 'is not a signature the action writes (64 lower-case hexadecimal characters)');
  return { account: id(account, `${where}.account`), at, value: hmac };
}
