// What the removal needs of the Cloudflare clients, what it is asked to do, and how a client
// error becomes a problem.
import type { AccessClient } from '../cloudflare/access-client.js';
import type { CloudflareClient } from '../cloudflare/client.js';
import { ApiError } from '../cloudflare/transport.js';
import {
  messageOf,
  type GroupSelection,
  type MemberSelection,
  type Problem,
  type ProtectedMembers,
  type TokenMode,
} from '../model.js';

export type RemovalApi = Pick<
  CloudflareClient,
  'listGroups' | 'listGroupMembers' | 'listAccountMembers' | 'getAccountMember' | 'removeGroupMember'
> &
  Pick<
    AccessClient,
    'removeAccountMember' | 'revokeAccessSessions' | 'listTokens' | 'getToken' | 'setTokenStatus' | 'ownTokenId'
  >;

/** What the removal is asked to do. */
export interface RemovalPlan {
  readonly accountId: string;
  readonly groups: GroupSelection;
  readonly member: MemberSelection;
  readonly dryRun: boolean;
  readonly protectedMembers: ProtectedMembers;
  readonly ifNotInAccount: 'fail' | 'skip';
  readonly removeFromAccount: boolean;
  readonly revokeSessions: boolean;
  readonly memberTokens: TokenMode;
  /** Whether the run authenticates with an API token (which must never disable itself), not a Global API key. */
  readonly usesToken: boolean;
}

export type Log = (message: string) => void;

/** A client error as a problem; `needs` names the permission the operation takes, for the report's hint. */
export function problemOf(error: unknown, before = '', after = '', needs?: string): Problem {
  const message = `${before}${messageOf(error)}${after}`;
  const permission = needs !== undefined ? { needs } : {};
  if (!(error instanceof ApiError)) return { message, ...permission };
  return {
    message,
    ...(error.status !== undefined && { status: error.status }),
    codes: error.codes,
    foreign: error.foreign,
    ...permission,
  };
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
