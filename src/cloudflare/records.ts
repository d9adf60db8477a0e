// The entries of Cloudflare answers, parsed strictly: an entry of the wrong shape is an error that
// says which entry and why, and an id is kept only if it is 32 hexadecimal characters.
import { memberStatus, type AccountMember, type Policy, type UserGroup } from '../model.js';
import { foldEmail, isId } from '../identifiers.js';
import { describeValue as describe, isObject } from './answer.js';
import { ApiError } from './api-error.js';

/** Answers the Cloudflare API would not give: the report says where to look. */
export const UNLIKE_THE_API = { foreign: true };

export type Parse<T> = (entry: unknown, where: string) => T;

/** An id for a URL: exactly 32 hexadecimal characters, or the request is never built. */
export function pathId(value: string): string {
  if (!isId(value))
    throw new ApiError(`Refusing to build a request for the id ${describe(value)}: not 32 hexadecimal characters.`);
  return value.toLowerCase();
}

export function parseGroup(entry: unknown, where: string, accountId: string): UserGroup {
  const group = entryObject(entry, where, 'a user group');
  const groupId = entryId(group, where, 'a user group');
  if (group.name !== undefined && typeof group.name !== 'string') {
    throw shapeError(where, 'a user group', `"name" is ${describe(group.name)}, not text`);
  }
  return {
    id: groupId,
    ...(typeof group.name === 'string' && { name: group.name }),
    ...(Array.isArray(group.policies) && { policies: group.policies.map((p) => parsePolicy(p, accountId)) }),
  };
}

/** An account the credentials see, from GET /accounts. */
export function parseAccount(entry: unknown, where: string): { id: string; name?: string } {
  const account = entryObject(entry, where, 'an account');
  const accountId = entryId(account, where, 'an account');
  if (account.name !== undefined && typeof account.name !== 'string')
    throw shapeError(where, 'an account', `"name" is ${describe(account.name)}, not text`);
  return { id: accountId, ...(typeof account.name === 'string' && { name: account.name }) };
}

export function parseGroupMember(entry: unknown, where: string): { id: string } {
  return { id: entryId(entryObject(entry, where, 'a group member'), where, 'a group member') };
}

export function parseAccountMember(entry: unknown, where: string, accountId: string): AccountMember {
  const what = 'an account member';
  const member = entryObject(entry, where, what);
  const memberId = entryId(member, where, what);
  const user = isObject(member.user) ? member.user : {};
  // The user's email first: both are read, and a record whose two emails differ says so.
  const given = [user.email, member.email].filter((email) => email !== undefined && email !== null);
  const bad = given.find((email) => typeof email !== 'string');
  if (bad !== undefined) throw shapeError(where, what, `the email is ${describe(bad)}, not text`);
  const emails = (given as string[]).filter(
    (email, i, all) => all.findIndex((other) => foldEmail(other) === foldEmail(email)) === i,
  );
  const status = memberStatus(member.status);
  return {
    id: memberId,
    email: given[0] as string | undefined,
    emails,
    ...(status && { status }),
    ...(Array.isArray(member.roles) && { roles: member.roles.map(roleName) }),
    ...(Array.isArray(member.policies) && { policies: member.policies.map((p) => parsePolicy(p, accountId)) }),
  };
}

function roleName(role: unknown): string {
  if (isObject(role) && typeof role.name === 'string') return role.name;
  if (isObject(role) && typeof role.id === 'string') return `role ${role.id}`;
  return '(a role the answer does not name)';
}

function parsePolicy(policy: unknown, accountId: string): Policy {
  const record = isObject(policy) ? policy : {};
  return {
    ...(typeof record.access === 'string' && { access: record.access }),
    permissionGroups: names(record.permission_groups, 'permission group'),
    resourceGroups: names(record.resource_groups, 'resource group'),
    scope: scopeOf(record.resource_groups, accountId),
  };
}

/**
 * The whole account when a resource group's scope is the account itself with every object in it
 * (`com.cloudflare.api.account.<account id>` with the object `*`); less than that when every
 * scope is readable and none is; unknown when a scope is missing or not of that shape.
 */
function scopeOf(resourceGroups: unknown, accountId: string): Policy['scope'] {
  if (!Array.isArray(resourceGroups) || resourceGroups.length === 0) return 'unknown';
  const scopes = resourceGroups.map((group) => (isObject(group) ? group.scope : undefined));
  if (!scopes.every((scope) => Array.isArray(scope) && scope.length > 0)) return 'unknown';
  const entries = (scopes as unknown[][]).flat();
  const readable = entries.every(
    (entry) =>
      isObject(entry) &&
      typeof entry.key === 'string' &&
      Array.isArray(entry.objects) &&
      entry.objects.every((object) => isObject(object) && typeof object.key === 'string'),
  );
  if (!readable) return 'unknown';
  const account = `com.cloudflare.api.account.${accountId.toLowerCase()}`;
  const whole = (entries as Array<{ key: string; objects: Array<{ key: string }> }>).some(
    (entry) => entry.key.toLowerCase() === account && entry.objects.some((object) => object.key === '*'),
  );
  return whole ? 'account' : 'part';
}

function names(list: unknown, kind: string): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    if (isObject(item) && typeof item.name === 'string') return item.name;
    if (isObject(item) && typeof item.id === 'string') return `${kind} ${item.id}`;
    return `(a ${kind} the answer does not name)`;
  });
}

function entryObject(entry: unknown, where: string, what: string): Record<string, unknown> {
  if (!isObject(entry)) throw shapeError(where, what, `it is ${describe(entry)}`);
  return entry;
}

function entryId(entry: Record<string, unknown>, where: string, what: string): string {
  if (!isId(entry.id))
    throw shapeError(where, what, `its "id" is ${describe(entry.id)}, not 32 hexadecimal characters`);
  return entry.id.toLowerCase();
}

function shapeError(where: string, what: string, why: string): ApiError {
  return new ApiError(`${where} is not ${what}: ${why}.`, UNLIKE_THE_API);
}

/** An account-owned API token as read: what the report shows, and every writable field as it came, for a PUT. */
export interface AccountToken {
  id: string;
  name: string;
  status: string;
  /** creator_email_at_creation, where the answer gives one. */
  creator?: string;
  /** name, policies, condition, expires_on, not_before: exactly as read, so that a PUT changes nothing else. */
  writable: Record<string, unknown>;
}

const WRITABLE = ['name', 'policies', 'condition', 'expires_on', 'not_before'];

export function parseToken(entry: unknown, where: string): AccountToken {
  const what = 'an API token';
  const token = entryObject(entry, where, what);
  const tokenId = entryId(token, where, what);
  if (typeof token.name !== 'string') throw shapeError(where, what, `its "name" is ${describe(token.name)}, not text`);
  if (typeof token.status !== 'string')
    throw shapeError(where, what, `its "status" is ${describe(token.status)}, not text`);
  const creator = token.creator_email_at_creation;
  if (creator !== undefined && creator !== null && typeof creator !== 'string') {
    throw shapeError(where, what, `its "creator_email_at_creation" is ${describe(creator)}, not text`);
  }
  const writable = Object.fromEntries(
    WRITABLE.filter((key) => token[key] !== undefined).map((key) => [key, token[key]]),
  );
  return {
    id: tokenId,
    name: token.name,
    status: token.status,
    ...(typeof creator === 'string' && creator !== '' && { creator }),
    writable,
  };
}
