// Carries out checked plans: one DELETE per group that holds the member, in parallel (the
// client bounds requests in flight). A failed DELETE counts as "not a member" only once a
// listing confirms it.
import { ApiError, type CloudflareClient, type Member, type UserGroup } from './cloudflare.js';
import type { GroupPlan } from './plan.js';
import type { Settings } from './inputs.js';

export type Outcome = 'removed' | 'not-member' | 'would-remove' | 'failed';

export interface GroupResult {
  group: UserGroup;
  outcome: Outcome;
  member?: Member;
  error?: string;
  note?: string;
}

type Client = Pick<CloudflareClient, 'removeMember' | 'listGroupMembers'>;

export async function execute(settings: Settings, plans: GroupPlan[], client: Client): Promise<GroupResult[]> {
  return Promise.all(plans.map((plan) => removeFrom(settings, plan, client)));
}

/** One group's outcome: its DELETE, or what the plan already says (dry run, not a member, failed). */
export async function removeFrom(settings: Settings, plan: GroupPlan, client: Client): Promise<GroupResult> {
  const { group } = plan;
  if (plan.state === 'not-member') return { group, outcome: 'not-member' };
  if (plan.state === 'failed') return { group, outcome: 'failed', error: plan.error };
  if (settings.dryRun) return { group, outcome: 'would-remove', member: plan.member };
  try {
    const removed = await client.removeMember(group.id, plan.member.id);
    return { group, outcome: 'removed', member: { ...plan.member, ...defined(removed) } };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return confirmAbsence(group, plan.member, error, client);
  }
}

// Cloudflare answers a DELETE of a non-member with 404 or with 400 (code 400); neither is
// documented, and a 400 may also mean a refusal such as a SCIM-managed group. So only those
// two statuses lead to a check, and only a listing without the member makes it "not a member".
async function confirmAbsence(group: UserGroup, member: Member, error: ApiError, client: Client): Promise<GroupResult> {
  if (error.status !== 404 && error.status !== 400) return { group, outcome: 'failed', member, error: error.message };
  let members: Member[];
  try {
    members = await client.listGroupMembers(group.id);
  } catch (listing) {
    if (!(listing instanceof ApiError)) throw listing;
    return { group, outcome: 'failed', member, error: `${error.message} Could not confirm whether the member is in the group: ${listing.message}` };
  }
  if (members.some((m) => m.id.toLowerCase() === member.id.toLowerCase())) {
    return { group, outcome: 'failed', member, error: `${error.message} The member is still in the group.` };
  }
  // An earlier attempt that timed out or hit a 5xx may have removed the member already.
  if (error.earlierAttemptUncertain) {
    return { group, outcome: 'removed', member, note: 'an earlier attempt had no clear answer; the member is no longer in the group' };
  }
  return { group, outcome: 'not-member' };
}

function defined(member: Member): Partial<Member> {
  return Object.fromEntries(Object.entries(member).filter(([, value]) => value !== undefined && value !== ''));
}
