// The same offboarding sweep done with the official Cloudflare SDK (npm `cloudflare`), for the
// benchmark's comparison: find the member by email, list every group, list each group's members,
// remove the member where found. BENCH_WORKERS groups are handled at once (1: sequential). Reads
// the same INPUT_* variables as the action.
import Cloudflare from 'cloudflare';

const input = (name: string) => process.env[`INPUT_${name.toUpperCase()}`] ?? '';
const accountId = input('account-id');
const email = input('member-email').toLowerCase();
const workers = Number(process.env.BENCH_WORKERS ?? 1);
const client = new Cloudflare({ apiToken: input('api-token'), baseURL: input('api-base-url') });

let memberId: string | undefined;
for await (const member of client.accounts.members.list({ account_id: accountId, per_page: 50 })) {
  if (member.user?.email?.toLowerCase() === email) memberId = member.id;
}
if (!memberId) throw new Error(`no member ${email}`);

const groups: string[] = [];
for await (const group of client.iam.userGroups.list({ account_id: accountId, per_page: 500 })) groups.push(group.id);

const removed: string[] = [];
let next = 0;
async function worker() {
  while (next < groups.length) {
    const group = groups[next++]!;
    for await (const member of client.iam.userGroups.members.list(group, { account_id: accountId, per_page: 500 })) {
      if (member.id === memberId) {
        await client.iam.userGroups.members.delete(memberId, { account_id: accountId, user_group_id: group });
        removed.push(group);
      }
    }
  }
}
await Promise.all(Array.from({ length: workers }, worker));
console.log(`removed from ${removed.length} groups`);
