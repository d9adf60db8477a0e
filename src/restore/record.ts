// The record of an earlier offboarding, as the restore reads it: the `result`, `members` or
// `accounts` output of the main action, parsed strictly. It reaches the restore through a
// workflow input, an artifact or a comment, so every field may be hostile: a value of the wrong
// type, a key the action never writes, an id that is not 32 hexadecimal characters, or a shape
// between two of the outputs is a refusal that says where, never a guess. A record that was
// shortened to fit an output (a `…LeftOut` count anywhere) is refused whole. What it yields is only
// what a restore reads: each member's entry, with the signature that must vouch for it.
import { quote } from '../identifiers.js';
import { memberEntry, resultEntry, RESULT_MEMBER_KEYS, type RecordEntry } from './record-entry.js';
import {
  fields,
  isPlainObject,
  leftOut,
  list,
  literal,
  object,
  RecordError,
  repeatedKey,
  text,
  id,
  type Fields,
} from './strict-json.js';

export type ParsedRecord = { entries: RecordEntry[] } | { problem: string };

/** Far above any output (GitHub allows 1 MB each); a larger text is no record this action wrote. */
export const MAX_RECORD_CHARACTERS = 4_000_000;

const NOT_A_RECORD = 'record: not a record this action writes';

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

// ---- the three outputs ------------------------------------------------------------------------

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
