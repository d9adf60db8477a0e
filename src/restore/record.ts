// The record of an earlier offboarding, as the restore reads it: the `result`, `members` or
// `accounts` output of the main action, parsed strictly. It reaches the restore through a
// workflow input, an artifact or a comment, so every field may be hostile: a value of the wrong
// type, a key the action never writes, an id that is not 32 hexadecimal characters, or a shape
// between two of the outputs is a refusal that says where, never a guess. A record that was
// shortened to fit an output (a `…LeftOut` count anywhere) is refused whole. What it yields is only
// what a restore reads: each member's entry, with the signature that must vouch for it.
import { isId, quote } from '../identifiers.js';
import type { AuditState, GroupOutcome, StepOutcome, TokenState } from '../model.js';

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

export type ParsedRecord = { entries: RecordEntry[] } | { problem: string };

/** Far above any output (GitHub allows 1 MB each); a larger text is no record this action wrote. */
export const MAX_RECORD_CHARACTERS = 4_000_000;
/** A record is nested a few levels deep; the remaining access at most seven. */
const MAX_DEPTH = 16;

const NOT_A_RECORD = 'record: not a record this action writes';

/**
 * The first key that one object of this JSON text has twice; the text is valid JSON (JSON.parse
 * read it), which keeps the last value and says nothing.
 */
function repeatedKey(text: string): string | undefined {
  const objects: Array<Set<string> | undefined> = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '{') objects.push(new Set());
    else if (char === '[') objects.push(undefined);
    else if (char === '}' || char === ']') objects.pop();
    else if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const token = text.slice(i, end + 1);
      i = end;
      let next = end + 1;
      while (text[next] === ' ' || text[next] === '\n' || text[next] === '\r' || text[next] === '\t') next++;
      const keys = objects.at(-1);
      if (keys === undefined || text[next] !== ':') continue;
      const key = JSON.parse(token) as string;
      if (keys.has(key)) return key;
      keys.add(key);
    }
  }
  return undefined;
}

export function parseRecord(text: string): ParsedRecord {
  if (text.length > MAX_RECORD_CHARACTERS)
    return { problem: `${NOT_A_RECORD}: ${text.length} characters, more than any of its outputs can hold.` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      problem: `${NOT_A_RECORD}: it is not JSON. Give the result, members or accounts output of the offboarding run, unchanged.`,
    };
  }
  const twice = repeatedKey(text);
  if (twice !== undefined)
    return {
      problem: `${NOT_A_RECORD}: an object in it has the key ${quote(twice)} twice, and JSON readers differ on which one counts. Give the output of the offboarding run, unchanged.`,
    };
  try {
    const shortened = leftOut(value, '', 0);
    if (shortened !== undefined)
      return {
        problem: `record: shortened to fit an output (${shortened} counts what it left out), so it is refused whole: a restore never acts on part of a record. Give the whole record: the accounts output as the offboarding run wrote it (its artifact, say), not the result comment.`,
      };
    return { entries: entriesOf(value) };
  } catch (error) {
    if (error instanceof RecordError) return { problem: `${NOT_A_RECORD}: ${error.message}.` };
    throw error;
  }
}

class RecordError extends Error {}

function refuse(where: string, why: string): never {
  throw new RecordError(`${where === '' ? 'the record' : where} ${why}`);
}

// The first `…LeftOut` key anywhere in the value, by its path; refuses a value nested deeper than a record is.
function leftOut(value: unknown, where: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) refuse(where, `is nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = leftOut(item, `${where}[${index}]`, depth + 1);
      if (found !== undefined) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const path = where === '' ? key : `${where}.${key}`;
      if (key.endsWith('LeftOut')) return path;
      const found = leftOut(item, path, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

// ---- the three outputs ------------------------------------------------------------------------

type Fields = Record<string, unknown>;

// One of the three outputs, told apart by their top-level shape.
function entriesOf(value: unknown): RecordEntry[] {
  if (Array.isArray(value)) {
    // The accounts output: accounts with their members; the members output: member entries.
    if (value.some((item) => isPlainObject(item) && 'members' in item))
      return value.flatMap((item, i) => accountEntry(item, `[${i}]`));
    return value.map((item, i) => memberEntry(item, `[${i}]`, 'members'));
  }
  const record = object(value, '', 'is neither a list (the members or accounts output) nor an object (result)');
  if ('accounts' in record) {
    const { accounts } = aroundMembers(record, 'accounts');
    return list(accounts, 'result.accounts').flatMap((item, i) => scopeEntries(item, `result.accounts[${i}]`));
  }
  if ('members' in record) {
    const { members } = aroundMembers(record, 'members');
    return list(members, 'result.members').map((item, i) => resultEntry(item, `result.members[${i}]`, undefined));
  }
  const one = aroundMembers(record, 'member');
  return [resultEntry(pick(one, RESULT_MEMBER_KEYS), 'result', undefined)];
}

/** The keys of one member's part of `result`. */
const RESULT_MEMBER_KEYS = ['member', 'groups', 'tokens', 'sessions', 'account', 'notInAccount', 'signature'];

// `result` around its members: whether it was a dry run, stopped or failed; then one member's part
// (`member`), several members, or several accounts, never two of them.
function aroundMembers(record: Fields, shape: 'member' | 'members' | 'accounts'): Fields {
  const keys = shape === 'member' ? RESULT_MEMBER_KEYS : [shape];
  const result = fields(record, 'result', ['dryRun', 'interrupted', 'failure', ...keys], ['dryRun', shape]);
  literal(result.dryRun, 'result.dryRun', [true, false]);
  if (result.interrupted !== undefined)
    literal(result.interrupted, 'result.interrupted', ['SIGINT', 'SIGTERM', 'no-progress']);
  if (result.failure !== undefined) text(result.failure, 'result.failure');
  return result;
}

function pick(value: Fields, keys: readonly string[]): Fields {
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]]));
}

// One account's part of `result` with several accounts: its id and name, then one member's part or several.
function scopeEntries(value: unknown, where: string): RecordEntry[] {
  const scope = object(value, where, 'is not an account of the record');
  const account = id(scope.id, `${where}.id`);
  if ('members' in scope) {
    const { members, name } = fields(scope, where, ['id', 'name', 'members'], ['id', 'members']);
    if (name !== undefined) text(name, `${where}.name`);
    return list(members, `${where}.members`).map((item, i) => resultEntry(item, `${where}.members[${i}]`, account));
  }
  const part = fields(scope, where, ['id', 'name', ...RESULT_MEMBER_KEYS], ['id']);
  if (part.name !== undefined) text(part.name, `${where}.name`);
  return [resultEntry(pick(part, RESULT_MEMBER_KEYS), where, account)];
}

// One entry of the accounts output: the account and its members, each as in the members output.
function accountEntry(value: unknown, where: string): RecordEntry[] {
  const {
    id: accountId,
    name,
    members,
  } = fields(object(value, where, 'is not an account'), where, ['id', 'name', 'members'], ['id', 'members']);
  if (name !== undefined) text(name, `${where}.name`);
  const account = id(accountId, `${where}.id`);
  return list(members, `${where}.members`).map((item, i) =>
    memberEntry(item, `${where}.members[${i}]`, 'accounts', account),
  );
}

// ---- one member -------------------------------------------------------------------------------

// A member's part of `result`: the member, the outcome of each group, the steps beyond them.
function resultEntry(value: unknown, where: string, account: string | undefined): RecordEntry {
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
function memberEntry(value: unknown, where: string, output: 'members' | 'accounts', account?: string): RecordEntry {
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

const GROUP_OUTCOMES = {
  removed: true,
  'not-member': true,
  'would-remove': true,
  failed: true,
  unknown: true,
} satisfies Record<GroupOutcome, true>;

function groupResult(value: unknown, where: string): { id: string; outcome: string } {
  const group = fields(
    object(value, where, 'is not a group'),
    where,
    ['id', 'name', 'outcome', 'error', 'note', 'rays', 'audit'],
    ['id', 'outcome'],
  );
  const outcome = literal(group.outcome, `${where}.outcome`, Object.keys(GROUP_OUTCOMES));
  for (const key of ['name', 'error', 'note'] as const)
    if (group[key] !== undefined) text(group[key], `${where}.${key}`);
  if (group.rays !== undefined) rays(group.rays, `${where}.rays`);
  audit(group.audit, `${where}.audit`);
  return { id: id(group.id, `${where}.id`), outcome: outcome as string };
}

const STEP_OUTCOMES = {
  removed: true,
  revoked: true,
  disabled: true,
  reported: true,
  'not-needed': true,
  'would-remove': true,
  'would-revoke': true,
  'would-disable': true,
  failed: true,
  unknown: true,
} satisfies Record<StepOutcome, true>;

const TOKEN_OUTCOMES = {
  disabled: true,
  'would-disable': true,
  kept: true,
  failed: true,
  unknown: true,
} satisfies Record<NonNullable<TokenState['outcome']>, true>;

const STEP_KEYS = ['outcome', 'error', 'note', 'devices', 'rays', 'audit', 'checked'];

// The steps beyond the groups: each an outcome; the tokens step lists the member's tokens.
function stepsOf(entry: Fields, where: string): { disabledTokens: string[]; unknownTokens: string[] } {
  for (const key of ['sessions', 'account'] as const)
    if (entry[key] !== undefined) step(entry[key], `${where}.${key}`, STEP_KEYS);
  const none = { disabledTokens: [], unknownTokens: [] };
  if (entry.tokens === undefined) return none;
  const tokens = step(entry.tokens, `${where}.tokens`, [...STEP_KEYS, 'tokens', 'unattributed']);
  if (tokens.unattributed !== undefined)
    list(tokens.unattributed, `${where}.tokens.unattributed`).forEach((item, i) =>
      token(item, `${where}.tokens.unattributed[${i}]`),
    );
  if (tokens.tokens === undefined) return none;
  const found = list(tokens.tokens, `${where}.tokens.tokens`).map((item, i) =>
    token(item, `${where}.tokens.tokens[${i}]`),
  );
  const having = (outcome: string) => found.filter((each) => each.outcome === outcome).map((each) => each.id);
  return { disabledTokens: having('disabled'), unknownTokens: having('unknown') };
}

function step(value: unknown, where: string, keys: string[]): Fields {
  const result = fields(object(value, where, 'is not a step of the record'), where, keys, ['outcome']);
  literal(result.outcome, `${where}.outcome`, Object.keys(STEP_OUTCOMES));
  for (const key of ['error', 'note'] as const) if (result[key] !== undefined) text(result[key], `${where}.${key}`);
  if (result.devices !== undefined) literal(result.devices, `${where}.devices`, [true]);
  if (result.checked !== undefined) literal(result.checked, `${where}.checked`, [false]);
  if (result.rays !== undefined) rays(result.rays, `${where}.rays`);
  audit(result.audit, `${where}.audit`);
  return result;
}

function token(value: unknown, where: string): { id: string; outcome?: string } {
  const entry = fields(
    object(value, where, 'is not a token'),
    where,
    ['id', 'name', 'status', 'outcome', 'error', 'rays', 'audit'],
    ['id', 'name', 'status'],
  );
  text(entry.name, `${where}.name`);
  text(entry.status, `${where}.status`, 100);
  if (entry.error !== undefined) text(entry.error, `${where}.error`);
  if (entry.rays !== undefined) rays(entry.rays, `${where}.rays`);
  audit(entry.audit, `${where}.audit`);
  const outcome =
    entry.outcome === undefined
      ? undefined
      : (literal(entry.outcome, `${where}.outcome`, Object.keys(TOKEN_OUTCOMES)) as string);
  return { id: id(entry.id, `${where}.id`), ...(outcome !== undefined && { outcome }) };
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

// ---- values -----------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, where: string, why: string): Fields {
  if (!isPlainObject(value)) refuse(where, why);
  return value;
}

/** The object's fields, when it has only keys of `known` and every one of `required`. */
function fields(value: Fields, where: string, known: readonly string[], required: readonly string[] = []): Fields {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) refuse(where, `has a field the action never writes there, ${quote(unknown)}`);
  const missing = required.find((key) => !(key in value));
  if (missing !== undefined) refuse(where, `has no ${quote(missing)}`);
  // Null-prototype: what the record names is data, never a property of every object.
  return Object.assign(Object.create(null) as Fields, value);
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) refuse(where, 'is not a list');
  return value;
}

function id(value: unknown, where: string): string {
  if (!isId(value)) refuse(where, 'is not an ID (32 hexadecimal characters)');
  return value.toLowerCase();
}

function ids(value: unknown, where: string): string[] {
  return list(value, where).map((item, i) => id(item, `${where}[${i}]`));
}

function text(value: unknown, where: string, limit = 100_000): string {
  if (typeof value !== 'string') refuse(where, 'is not text');
  if (value.length > limit) refuse(where, `is longer than the action writes (${limit} characters)`);
  return value;
}

function literal(value: unknown, where: string, allowed: readonly unknown[]): unknown {
  if (!allowed.includes(value))
    refuse(where, `is not one of ${allowed.map((each) => JSON.stringify(each)).join(', ')}`);
  return value;
}

const AUDIT_STATES = { confirmed: true, 'not-yet-seen': true } satisfies Record<AuditState, true>;

// With confirm-in-audit-log: whether the account's audit log showed the write.
function audit(value: unknown, where: string): void {
  if (value !== undefined) literal(value, where, Object.keys(AUDIT_STATES));
}

const RAY = /^[0-9a-f]{16}(-[A-Za-z0-9]{2,5})?$/i;

function rays(value: unknown, where: string): void {
  list(value, where).forEach((item, i) => {
    if (typeof item !== 'string' || !RAY.test(item)) refuse(`${where}[${i}]`, 'is not a cf-ray');
  });
}
