// The restore as a pipeline of values: the member is still the account member the record names
// (and not protected), then each user group the offboarding removed them from, then each API token
// it disabled. It never re-creates an account membership and never restores Access sessions.
// Every item is settled on its own, and whatever happens the result says what this run put back.
import { AccessClient } from '../cloudflare/access-client.js';
import { CloudflareClient } from '../cloudflare/client.js';
import type { Transport } from '../cloudflare/transport.js';
import type { MemberSelection, Problem, ProtectedMembers } from '../model.js';
import { restoreGroups } from './groups.js';
import { checkMember, type MemberState } from './member.js';
import type { Proven } from './proof.js';
import { restoreTokens } from './tokens.js';

/** `unknown`: a change was sent, and neither its answer nor a read settled whether it took effect. */
export type RestoreOutcome = 'restored' | 'would-restore' | 'not-needed' | 'failed' | 'unknown';

/** One user group or API token, as this run left it. */
export interface Restored {
  id: string;
  /** As Cloudflare names it, where a read did. */
  name?: string;
  outcome: RestoreOutcome;
  problem?: Problem;
  note?: string;
  /** The `cf-ray` of each answered attempt of the write. */
  rays?: string[];
}

export type RestoreApi = Pick<
  CloudflareClient,
  'getAccountMember' | 'listGroups' | 'listGroupMembers' | 'addGroupMember'
> &
  Pick<AccessClient, 'getToken' | 'setTokenStatus' | 'ownToken'>;

/** The endpoints of one account, over one transport. */
export function restoreApi(transport: Transport, accountId: string): RestoreApi {
  const groups = new CloudflareClient(transport, accountId);
  const access = new AccessClient(transport, accountId);
  return {
    getAccountMember: (member) => groups.getAccountMember(member),
    listGroups: (filter) => groups.listGroups(filter),
    listGroupMembers: (group) => groups.listGroupMembers(group),
    addGroupMember: (group, member) => groups.addGroupMember(group, member),
    getToken: (token) => access.getToken(token),
    setTokenStatus: (token, status) => access.setTokenStatus(token, status),
    ownToken: () => access.ownToken(),
  };
}

/** What the restore is asked to do: put back what the proven record says, for the person the inputs name. */
export interface RestorePlan {
  readonly proven: Proven;
  readonly wanted: MemberSelection;
  readonly dryRun: boolean;
  readonly protectedMembers: ProtectedMembers;
  /** The run authenticates with an API token (which it never changes), not a Global API key. */
  readonly usesToken: boolean;
}

export interface RestoreRecord {
  member: MemberState;
  groups: Restored[];
  tokens: Restored[];
}

export type Log = (message: string) => void;

/** Carries out the restore and returns its record. Never throws. */
export async function runRestore(plan: RestorePlan, api: RestoreApi, log: Log): Promise<RestoreRecord> {
  const member = await checkMember(api, plan);
  if (member.kind !== 'present') return { member, groups: [], tokens: [] };
  const { proven, dryRun } = plan;
  const groups = await restoreGroups(api, unique(proven.removedGroups), proven.memberId, dryRun, log);
  const tokens = await restoreTokens(api, unique(proven.disabledTokens), dryRun, plan.usesToken, log);
  return { member, groups, tokens };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

/** A result line for the log: what, its outcome, and why. */
export function logLine(kind: string, result: Restored): string {
  const name = result.name !== undefined ? `${JSON.stringify(result.name)} (${result.id})` : result.id;
  const about = result.problem ? `: ${result.problem.message}` : result.note ? ` (${result.note})` : '';
  return `${kind} ${name}: ${result.outcome}${about}`;
}
