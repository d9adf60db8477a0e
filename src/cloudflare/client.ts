// The Cloudflare API client: the endpoints the action uses, in API terms. Everything an answer
// carries is untrusted: an entry of the wrong shape fails the listing it is in, and an id reaches
// a URL only if it is 32 hexadecimal characters. Knows nothing of GitHub or of the action's inputs.
import { memberStatus, type AccountMember, type MemberStatus, type UserGroup } from '../model.js';
import { describeValue as describe, isObject } from './answer.js';
import { list } from './listing.js';
import { parseAccount, parseAccountMember, parseGroup, parseGroupMember, pathId } from './records.js';
import type { Transport } from './transport.js';

/**
 * What a DELETE answer says: plainly removed (with what it says of the member), or something else
 * that does not say so plainly (a 202, an answer naming another member), which a read must settle.
 */
export type RemovalAnswer = (
  { removed: true; email?: string; status?: MemberStatus } | { removed: false; unclear: string }
) & {
  /** The `cf-ray` of each answered attempt: how the account's audit log knows the request. */
  rays: string[];
};

/** What a POST that adds a member to a group says: plainly added, or something a read must settle. */
export type AdditionAnswer = ({ added: true } | { added: false; unclear: string }) & {
  /** The `cf-ray` of each answered attempt. */
  rays: string[];
};

/** Page sizes at the bounds of Cloudflare's schema: 1 to 500 for user groups, 5 to 50 for account members and accounts. */
export const PAGE_SIZE = { groups: 500, accountMembers: 50, accounts: 50 } as const;

/** Every account the credentials see ("all accounts you have ownership or verified access to"). */
export function listAccounts(transport: Transport): Promise<Array<{ id: string; name?: string }>> {
  return list(transport, { path: '/accounts', perPage: PAGE_SIZE.accounts, priority: 'high', parse: parseAccount });
}

// Listing pages unlock further work and go first; a removal finishes a group's work; a lookup starts one.
export class CloudflareClient {
  private readonly transport: Transport;
  private readonly accountId: string;

  constructor(transport: Transport, accountId: string) {
    this.transport = transport;
    this.accountId = accountId;
  }

  /** Every user group (or those the API returns for `name`); `onPage` may end the listing by returning false. */
  listGroups(filter: { name?: string; onPage?: (groups: UserGroup[]) => boolean | void } = {}): Promise<UserGroup[]> {
    const query: Record<string, string> = filter.name !== undefined ? { name: filter.name } : {};
    const path = this.path('iam', 'user_groups');
    return list(this.transport, {
      path,
      query,
      perPage: PAGE_SIZE.groups,
      priority: 'high',
      parse: (entry, where) => parseGroup(entry, where, this.accountId),
      onPage: filter.onPage,
    });
  }

  /** The account member IDs in a group, lower-cased. */
  async listGroupMembers(groupId: string): Promise<string[]> {
    const path = this.path('iam', 'user_groups', pathId(groupId), 'members');
    const members = await list(this.transport, {
      path,
      perPage: PAGE_SIZE.groups,
      priority: 'low',
      parse: parseGroupMember,
    });
    return members.map((member) => member.id);
  }

  listAccountMembers(): Promise<AccountMember[]> {
    const path = this.path('members');
    return list(this.transport, {
      path,
      perPage: PAGE_SIZE.accountMembers,
      priority: 'high',
      parse: (entry, where) => parseAccountMember(entry, where, this.accountId),
    });
  }

  async getAccountMember(memberId: string): Promise<AccountMember> {
    const path = this.path('members', pathId(memberId));
    const { result } = await this.transport.send('GET', path, {}, 'high');
    return parseAccountMember(result, `GET ${path}: the answer`, this.accountId);
  }

  /** One DELETE of one membership. */
  async removeGroupMember(groupId: string, memberId: string): Promise<RemovalAnswer> {
    const path = this.path('iam', 'user_groups', pathId(groupId), 'members', pathId(memberId));
    const { status, result, rays } = await this.transport.send('DELETE', path, {}, 'normal');
    const member = isObject(result) ? result : {};
    if (status !== 200) return { removed: false, unclear: `HTTP ${status} instead of 200`, rays };
    if (typeof member.id !== 'string') return { removed: false, unclear: 'the answer names no member', rays };
    if (member.id.toLowerCase() !== memberId.toLowerCase()) {
      return { removed: false, unclear: `the answer names another member, ${describe(member.id)}`, rays };
    }
    const memberState = memberStatus(member.status);
    return {
      removed: true,
      rays,
      ...(typeof member.email === 'string' && { email: member.email }),
      ...(memberState && { status: memberState }),
    };
  }

  /**
   * One POST that adds the member to the group (body `[{ id }]`; one who is in it already is
   * fine). Plainly added when the answer lists the member; else what makes it unclear, for a read
   * to settle.
   */
  async addGroupMember(groupId: string, memberId: string): Promise<AdditionAnswer> {
    const path = this.path('iam', 'user_groups', pathId(groupId), 'members');
    const { status, result, rays } = await this.transport.send('POST', path, {}, 'normal', [{ id: pathId(memberId) }]);
    if (status !== 200) return { added: false, unclear: `HTTP ${status} instead of 200`, rays };
    if (!Array.isArray(result)) return { added: false, unclear: `"result" is ${describe(result)}, not a list`, rays };
    const named = result.some(
      (entry) => isObject(entry) && typeof entry.id === 'string' && entry.id.toLowerCase() === memberId.toLowerCase(),
    );
    return named ? { added: true, rays } : { added: false, unclear: 'the answer does not list the member', rays };
  }

  private path(...segments: string[]): string {
    return `/accounts/${pathId(this.accountId)}/${segments.join('/')}`;
  }
}
