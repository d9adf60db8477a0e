// The Cloudflare endpoints that end the rest of a person's access, in API terms: the account
// membership, their Access sessions, the account-owned API tokens, and which token this run uses.

import { describeValue as describe, isObject } from './answer.js';
import type { RemovalAnswer } from './client.js';
import { list } from './listing.js';
import { parseToken, pathId, UNLIKE_THE_API, type AccountToken } from './records.js';
import { ApiError, type Transport } from './transport.js';

/** Tokens are listed 50 to a page, the schema's bound. */
const TOKENS_PER_PAGE = 50;

export class AccessClient {
  private readonly transport: Transport;
  private readonly accountId: string;

  constructor(transport: Transport, accountId: string) {
    this.transport = transport;
    this.accountId = accountId;
  }

  /** DELETE of the account membership: plainly removed, or an answer a read must settle. */
  async removeAccountMember(memberId: string): Promise<RemovalAnswer> {
    const { status, result } = await this.transport.send(
      'DELETE',
      this.path('members', pathId(memberId)),
      {},
      'normal',
    );
    if (status !== 200) return { removed: false, unclear: `HTTP ${status} instead of 200` };
    const named = isObject(result) ? result.id : undefined;
    if (typeof named === 'string' && named.toLowerCase() === memberId) return { removed: true };
    return {
      removed: false,
      unclear: named === undefined ? 'the answer names no member' : `the answer names ${describe(named)}`,
    };
  }

  /** Ends every Access session of the user with this email: true when Cloudflare says it did. */
  async revokeAccessSessions(email: string): Promise<boolean> {
    const path = this.path('access', 'organizations', 'revoke_user');
    const { result } = await this.transport.send('POST', path, {}, 'normal', { email });
    if (typeof result !== 'boolean')
      throw new ApiError(`POST ${path}: "result" is ${describe(result)}, not true or false.`, UNLIKE_THE_API);
    return result;
  }

  listTokens(): Promise<AccountToken[]> {
    return list(this.transport, {
      path: this.path('tokens'),
      perPage: TOKENS_PER_PAGE,
      priority: 'high',
      parse: parseToken,
    });
  }

  async getToken(tokenId: string): Promise<AccountToken> {
    const path = this.path('tokens', pathId(tokenId));
    return parseToken((await this.transport.send('GET', path, {}, 'high')).result, `GET ${path}: the answer`);
  }

  /** Writes the token back as read, with this status. */
  async setTokenStatus(token: AccountToken, status: 'disabled'): Promise<AccountToken> {
    const path = this.path('tokens', pathId(token.id));
    const { result } = await this.transport.send('PUT', path, {}, 'normal', { ...token.writable, status });
    return parseToken(result, `PUT ${path}: the answer`);
  }

  /** The id of the token this run authenticates with: account-owned, else a user's; undefined when neither answers. */
  async ownTokenId(): Promise<string | undefined> {
    for (const path of [this.path('tokens', 'verify'), '/user/tokens/verify']) {
      try {
        const { result } = await this.transport.send('GET', path, {}, 'high');
        const tokenId = isObject(result) ? result.id : undefined;
        if (typeof tokenId === 'string' && tokenId !== '') return tokenId;
      } catch (error) {
        if (!(error instanceof ApiError) || error.status === undefined || error.status >= 500) throw error;
      }
    }
    return undefined;
  }

  private path(...segments: string[]): string {
    return `/accounts/${pathId(this.accountId)}/${segments.join('/')}`;
  }
}
