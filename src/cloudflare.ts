// The Cloudflare API client: the endpoints the action uses, pagination, and the shape of every
// answer. Everything an answer carries is untrusted: an entry of the wrong shape fails the listing
// it is in, and an id reaches a URL only if it is 32 hexadecimal characters. Knows nothing of GitHub.
import type { Priority } from './pacing.js';
import { ApiError, describeValue as describe, type Requester } from './requests.js';

export { ApiError, type Credentials } from './requests.js';

export interface UserGroup {
  id: string;
  name?: string;
}

export interface Policy {
  access?: string;
  permissionGroups: string[];
  resourceGroups: string[];
}

export interface AccountMember {
  id: string;
  email: string | undefined;
  status?: string;
  /** Role names; undefined when the record has no roles field. */
  roles?: string[];
  /** Direct policies; undefined when the record has no policies field. */
  policies?: Policy[];
}

/** What an answer to a removal says of the member, kept only when it names the member removed. */
export interface RemovedMember {
  email?: string;
  status?: string;
}

/** Page sizes at the bounds of Cloudflare's schema: 1 to 500 for user groups, 5 to 50 for account members. */
export const PAGE_SIZE = { groups: 500, accountMembers: 50 } as const;
const MAX_PAGES = 1_000;
// Answers the Cloudflare API would not give: the report says where to look.
const UNLIKE_THE_API = { foreign: true };
const ID = /^[0-9a-fA-F]{32}$/;

export class CloudflareClient {
  private readonly requests: Requester;
  private readonly accountId: string;

  constructor(requests: Requester, accountId: string) {
    this.requests = requests;
    this.accountId = accountId;
  }

  /** Every user group (or those the API returns for `name`); `onPage` may stop the listing by returning false. */
  listGroups(filter: { name?: string; onPage?: (groups: UserGroup[]) => boolean | void } = {}): Promise<UserGroup[]> {
    const query: Record<string, string> = filter.name !== undefined ? { name: filter.name } : {};
    return this.list(this.path('iam', 'user_groups'), query, PAGE_SIZE.groups, 'listing', parseGroup, filter.onPage);
  }

  /** The account member IDs in a group, lower-cased. */
  async listGroupMembers(groupId: string): Promise<string[]> {
    const members = await this.list(this.path('iam', 'user_groups', id(groupId), 'members'), {}, PAGE_SIZE.groups, 'lookup', parseGroupMember);
    return members.map((member) => member.id);
  }

  listAccountMembers(): Promise<AccountMember[]> {
    return this.list(this.path('members'), {}, PAGE_SIZE.accountMembers, 'listing', parseAccountMember);
  }

  async getAccountMember(memberId: string): Promise<AccountMember> {
    const path = this.path('members', id(memberId));
    const { result } = await this.requests.send('GET', path, {}, 'listing');
    return parseAccountMember(result, `GET ${path}: the answer`);
  }

  async removeMember(groupId: string, memberId: string): Promise<RemovedMember> {
    const { result } = await this.requests.send('DELETE', this.path('iam', 'user_groups', id(groupId), 'members', id(memberId)), {}, 'removal');
    const member = isObject(result) ? result : {};
    if (typeof member.id !== 'string' || member.id.toLowerCase() !== memberId.toLowerCase()) return {};
    return {
      ...(typeof member.email === 'string' && { email: member.email }),
      ...(typeof member.status === 'string' && { status: member.status }),
    };
  }

  private path(...segments: string[]): string {
    return `/accounts/${id(this.accountId)}/${segments.join('/')}`;
  }

  // Pages while each is full by the page size the server reports (which may be less than asked);
  // without result_info, until an empty page. Guards fail the listing, never cut it short.
  private async list<T extends { id: string }>(
    path: string,
    query: Record<string, string>,
    perPage: number,
    priority: Priority,
    parse: (entry: unknown, where: string) => T,
    onPage?: (items: T[]) => boolean | void,
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      if (page > MAX_PAGES) throw new ApiError(`GET ${path}: still not at the end after ${MAX_PAGES} pages; stopping rather than listing forever.`, UNLIKE_THE_API);
      const { result, info } = await this.requests.send('GET', path, { ...query, page: String(page), per_page: String(perPage) }, priority);
      const where = `GET ${path} page ${page}`;
      if (result !== null && result !== undefined && !Array.isArray(result)) throw new ApiError(`${where}: "result" is not a list.`, UNLIKE_THE_API);
      if (info && info.page !== undefined && Number(info.page) !== page) throw new ApiError(`${where}: the answer says it is page ${describe(info.page)}; the listing does not advance.`, UNLIKE_THE_API);
      const batch = (result ?? []) as unknown[];
      if (batch.length === 0) break;
      const parsed = batch.map((entry, index) => parse(entry, `${where}: entry ${index + 1}`));
      // The same id twice (within a page or across pages) is one item.
      const fresh = parsed.filter((item) => !seen.has(item.id) && seen.add(item.id));
      if (fresh.length === 0) throw new ApiError(`${where}: repeats earlier entries only; the listing does not advance.`, UNLIKE_THE_API);
      items.push(...fresh);
      if (onPage?.(fresh) === false) break;
      const reported = typeof info?.per_page === 'number' && info.per_page >= 1 ? info.per_page : undefined;
      if (reported !== undefined && batch.length < Math.min(reported, perPage)) break;
    }
    return items;
  }
}

/** An id for a URL: exactly 32 hexadecimal characters, or the request is never built. */
function id(value: string): string {
  if (!ID.test(value)) throw new ApiError(`Refusing to build a request for the id ${describe(value)}: not 32 hexadecimal characters.`);
  return value.toLowerCase();
}

function parseGroup(entry: unknown, where: string): UserGroup {
  const group = entryObject(entry, where, 'a user group');
  const groupId = entryId(group, where, 'a user group');
  if (group.name !== undefined && typeof group.name !== 'string') throw shapeError(where, 'a user group', `"name" is ${describe(group.name)}, not text`);
  return { id: groupId, ...(typeof group.name === 'string' && { name: group.name }) };
}

function parseGroupMember(entry: unknown, where: string): { id: string } {
  return { id: entryId(entryObject(entry, where, 'a group member'), where, 'a group member') };
}

function parseAccountMember(entry: unknown, where: string): AccountMember {
  const what = 'an account member';
  const member = entryObject(entry, where, what);
  const memberId = entryId(member, where, what);
  const user = isObject(member.user) ? member.user : {};
  const email = user.email ?? member.email;
  if (email !== undefined && typeof email !== 'string') throw shapeError(where, what, `the email is ${describe(email)}, not text`);
  return {
    id: memberId,
    email,
    ...(typeof member.status === 'string' && { status: member.status }),
    ...(Array.isArray(member.roles) && { roles: member.roles.map(roleName) }),
    ...(Array.isArray(member.policies) && { policies: member.policies.map(parsePolicy) }),
  };
}

function roleName(role: unknown): string {
  if (isObject(role) && typeof role.name === 'string') return role.name;
  if (isObject(role) && typeof role.id === 'string') return `role ${role.id}`;
  return '(a role the answer does not name)';
}

function parsePolicy(policy: unknown): Policy {
  const names = (list: unknown, kind: string) =>
    Array.isArray(list)
      ? list.map((item) => (isObject(item) && typeof item.name === 'string' ? item.name : isObject(item) && typeof item.id === 'string' ? `${kind} ${item.id}` : `(a ${kind} the answer does not name)`))
      : [];
  const record = isObject(policy) ? policy : {};
  return {
    ...(typeof record.access === 'string' && { access: record.access }),
    permissionGroups: names(record.permission_groups, 'permission group'),
    resourceGroups: names(record.resource_groups, 'resource group'),
  };
}

function entryObject(entry: unknown, where: string, what: string): Record<string, unknown> {
  if (!isObject(entry)) throw shapeError(where, what, `it is ${describe(entry)}`);
  return entry;
}

function entryId(entry: Record<string, unknown>, where: string, what: string): string {
  if (typeof entry.id !== 'string' || !ID.test(entry.id)) throw shapeError(where, what, `its "id" is ${describe(entry.id)}, not 32 hexadecimal characters`);
  return entry.id.toLowerCase();
}

function shapeError(where: string, what: string, why: string): ApiError {
  return new ApiError(`${where} is not ${what}: ${why}.`, UNLIKE_THE_API);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
