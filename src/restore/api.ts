// What the restore needs of the Cloudflare clients (the endpoints of one account), and what it is asked to do.
import { AccessClient } from '../cloudflare/access-client.js';
import { CloudflareClient } from '../cloudflare/client.js';
import type { Transport } from '../cloudflare/transport.js';
import type { MemberSelection, ProtectedMembers } from '../model.js';
import type { Proven } from './proof.js';

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
