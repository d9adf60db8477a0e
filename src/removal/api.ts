// What the removal needs of the Cloudflare clients, what it is asked to do, and how a client
// error becomes a problem.
import { AccessClient } from '../cloudflare/access-client.js';
import { auditRays } from '../cloudflare/audit-client.js';
import { CloudflareClient } from '../cloudflare/client.js';
import { ApiError } from '../cloudflare/api-error.js';
import type { Transport } from '../cloudflare/transport.js';
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
    'removeAccountMember' | 'revokeAccessSessions' | 'listTokens' | 'getToken' | 'setTokenStatus' | 'ownToken'
  > & {
    /** The ray ids of the successful requests the account's audit log holds for the span of time; none asked for past `deadline`. */
    auditRays: (since: Date, before: Date, deadline?: number) => Promise<string[]>;
  };

/** The endpoints of one account, over one transport (and so one pacer and one rate budget). */
export function removalApi(transport: Transport, accountId: string): RemovalApi {
  const groups = new CloudflareClient(transport, accountId);
  const access = new AccessClient(transport, accountId);
  return {
    listGroups: (filter) => groups.listGroups(filter),
    listGroupMembers: (group) => groups.listGroupMembers(group),
    listAccountMembers: () => groups.listAccountMembers(),
    getAccountMember: (member) => groups.getAccountMember(member),
    removeGroupMember: (group, member) => groups.removeGroupMember(group, member),
    removeAccountMember: (member) => access.removeAccountMember(member),
    revokeAccessSessions: (email, devices) => access.revokeAccessSessions(email, devices),
    listTokens: () => access.listTokens(),
    getToken: (token) => access.getToken(token),
    setTokenStatus: (token, status) => access.setTokenStatus(token, status),
    ownToken: () => access.ownToken(),
    auditRays: (since, before, deadline) => auditRays(transport, accountId, since, before, deadline),
  };
}

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
  /** With the sessions: the person's WARP device registrations and WARP sessions too. */
  readonly revokeDevices: boolean;
  readonly memberTokens: TokenMode;
  /** Whether the run authenticates with an API token (which must never disable itself), not a Global API key. */
  readonly usesToken: boolean;
  /**
   * Whether each removal from a group given by id or name is proven: the group's members read
   * before the DELETE, so that "removed" (which a signed record vouches for) never stands for a
   * DELETE of someone who was not in the group.
   */
  readonly proveRemovals: boolean;
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

/** Cloudflare's codes for a path that did not reach any resource (a wrong base URL, an unroutable id). */
const NOT_ROUTED = [7000, 7003];

/**
 * A read that says the thing is not there: a 404 in Cloudflare's envelope. A 404 that is not the
 * API's (a proxy's page) or that says the path reached nothing proves nothing.
 */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 404 &&
    !error.foreign &&
    !error.codes.some((code) => NOT_ROUTED.includes(Number(code)))
  );
}
