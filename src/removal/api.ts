// What the removal needs of the Cloudflare client, and how a client error becomes a problem.
import type { CloudflareClient } from '../cloudflare/client.js';
import { ApiError } from '../cloudflare/transport.js';
import { messageOf, type GroupSelection, type MemberSelection, type Problem, type ProtectedMembers } from '../model.js';

export type RemovalApi = Pick<
  CloudflareClient,
  'listGroups' | 'listGroupMembers' | 'listAccountMembers' | 'getAccountMember' | 'removeGroupMember'
>;

/** What the removal is asked to do. */
export interface RemovalPlan {
  readonly accountId: string;
  readonly groups: GroupSelection;
  readonly member: MemberSelection;
  readonly dryRun: boolean;
  readonly protectedMembers: ProtectedMembers;
}

export type Log = (message: string) => void;

export function problemOf(error: unknown, before = '', after = ''): Problem {
  const message = `${before}${messageOf(error)}${after}`;
  if (!(error instanceof ApiError)) return { message };
  return {
    message,
    ...(error.status !== undefined && { status: error.status }),
    codes: error.codes,
    foreign: error.foreign,
  };
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
