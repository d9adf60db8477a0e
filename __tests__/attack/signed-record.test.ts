// Attack on the signed record (record-key): what the signature vouches for is what a
// restore puts back, so it must cover only what this run itself removed or disabled; and the key
// never shows.
import { describe, expect, it } from 'vitest';
import { signedBy } from '../../src/signature.ts';
import { expectNoTrace } from '../helpers/hostile.ts';
import { json, seeded } from '../helpers/fixture.ts';

const KEY = 'k3y-For-Restore_0123456789abcdefghij%2F"<&>|';

describe('a removal the run cannot tell from "not a member"', () => {
  it('bundle: is not signed as removed by this run', async () => {
    // Cloudflare may answer 200 to a DELETE of someone not in the group (undocumented; a mode of the simulator).
    const { account, ann, billing, bundle } = await seeded({ notMemberAnswer: 200 });
    expect(billing.memberIds).not.toContain(ann.id);
    const result = await bundle({ 'user-group-id': billing.id, 'member-id': ann.id, 'record-key': KEY });
    // With a signed record, the group is read before the DELETE: she is not in it, and
    // if-not-member (fail, by default) says so.
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toContain('is not in this group');
    const [entry] = json(result.outputs.members);
    // Ann was never in Billing. A signature over "removed from Billing" is what the restore action
    // trusts to add her to Billing (contract v1.3: restore refuses "any entry that run did not itself remove").
    const grants = {
      account,
      memberId: ann.id,
      removedGroups: [billing.id],
      disabledTokens: [],
      at: entry.signature?.at ?? '',
    };
    expect(entry.signature === undefined || !signedBy(KEY, grants, entry.signature.value)).toBe(true);
  });
});

describe('a token already disabled when the run reads it', () => {
  it('is not signed as disabled by this run', async () => {
    const { sim, account, ann, run } = await seeded();
    const token = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
    // Listed active; disabled by another admin before the run's read of it.
    sim.onRequest = (request) => {
      if (
        request.method === 'GET' &&
        request.path.endsWith(`/tokens/${token.id}`) &&
        sim.token(account, token.id).status === 'active'
      )
        sim.token(account, token.id).status = 'disabled';
    };
    const result = await run({
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'member-tokens': 'disable',
      'record-key': KEY,
    });
    const [entry] = json(result.outputs.members);
    const restorable = {
      account,
      memberId: ann.id,
      email: 'ann@example.com',
      removedGroups: entry.removedGroups,
      disabledTokens: [token.id],
      at: entry.signature.at,
    };
    // The restore action would set it active again: undoing another admin's disable, which this run
    // did not make (contract v1.3: "sets exactly the tokens that run disabled back to active").
    expect(signedBy(KEY, restorable, entry.signature.value)).toBe(false);
  });
});

describe('holds: the key', () => {
  it('bundle: never shows, in any escaped form or fragment, in a run that fails and signs', async () => {
    const { sim, bundle } = await seeded();
    sim.faults.push({ kind: 'echo-credentials', path: /\/iam\/user_groups$/ });
    const result = await bundle({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'record-key': KEY });
    expect(result.exitCode).toBe(1);
    expectNoTrace(result, KEY);
  });
});
