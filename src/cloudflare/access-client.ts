// The Cloudflare endpoints that end the rest of a person's access, in API terms: the account
// membership, their Access sessions, the account-owned API tokens, and which token this run uses.

import { describeValue as describe, isObject } from './answer.js';
import type { RemovalAnswer } from './client.js';
import { list } from './listing.js';
import { parseToken, pathId, type AccountToken } from './records.js';
import { ApiError } from './api-error.js';
import type { Transport } from './transport.js';

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
    const { status, result, rays } = await this.transport.send(
      'DELETE',
      this.path('members', pathId(memberId)),
      {},
      'normal',
    );
    if (status !== 200) return { removed: false, unclear: `HTTP ${status} instead of 200`, rays };
    const named = isObject(result) ? result.id : undefined;
    if (typeof named === 'string' && named.toLowerCase() === memberId) return { removed: true, rays };
    return {
      removed: false,
      rays,
      unclear: named === undefined ? 'the answer names no member' : `the answer names ${describe(named)}`,
    };
  }

  /**
   * Ends every Access session of the user with this email: what Cloudflare says of it, or unclear
   * (and why) when it says "no" after an earlier attempt without a clear answer (which may have done
   * it), or accepts the request with a result that is neither yes nor no.
   */
  async revokeAccessSessions(
    email: string,
    devices = false,
  ): Promise<{ state: 'revoked' | 'not-revoked' | 'unclear'; rays: string[]; unclear?: string }> {
    const path = this.path('access', 'organizations', 'revoke_user');
    // `devices` ends every WARP device registration of the user; `warp_session_reauth` their WARP
    // session ("when false, the user's WARP session will remain active").
    const body = devices ? { email, devices: true, warp_session_reauth: true } : { email };
    const { result, afterUnclear, rays } = await this.transport.send('POST', path, {}, 'normal', body);
    if (typeof result !== 'boolean')
      return {
        state: 'unclear',
        rays,
        unclear: `Cloudflare accepted the request, with "result" ${describe(result)}, not true or false`,
      };
    if (result) return { state: 'revoked', rays };
    if (!afterUnclear) return { state: 'not-revoked', rays };
    return {
      state: 'unclear',
      rays,
      unclear: 'An earlier attempt had no clear answer, and the next one answered "result: false"',
    };
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

  /** Writes the token back as read, with this status: the token as the answer gives it, and the rays. */
  async setTokenStatus(
    token: AccountToken,
    status: 'disabled' | 'active',
  ): Promise<{ token: AccountToken; rays: string[] }> {
    const path = this.path('tokens', pathId(token.id));
    const { result, rays } = await this.transport.send('PUT', path, {}, 'normal', { ...token.writable, status });
    return { token: parseToken(result, `PUT ${path}: the answer`), rays };
  }

  /**
   * The token this run authenticates with: its id as the verify endpoint gives it, and whether it
   * is owned by the account or by a user; undefined when neither endpoint answers with one.
   */
  async ownToken(): Promise<{ id: string; owner: 'account' | 'user' } | undefined> {
    const endpoints = [
      { path: this.path('tokens', 'verify'), owner: 'account' as const },
      { path: '/user/tokens/verify', owner: 'user' as const },
    ];
    for (const { path, owner } of endpoints) {
      try {
        const { result } = await this.transport.send('GET', path, {}, 'high');
        const tokenId = isObject(result) ? result.id : undefined;
        if (typeof tokenId === 'string' && tokenId !== '') return { id: tokenId, owner };
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
