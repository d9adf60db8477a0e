// Ending the rest of the access, one run of the bundle per option: the account membership, the
// Access sessions, the API tokens the member created. Their variants run in this process.
import { describe, expect, it } from 'vitest';
import { json, seeded } from '../helpers/fixture.ts';

describe('beyond the groups', () => {
  it('removes the member from the account after every group, with remove-from-account', async () => {
    const { sim, account, ann, bundle } = await seeded();
    const result = await bundle({
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'remove-from-account': 'true',
    });
    expect(result.exitCode).toBe(0);
    expect(sim.accounts.get(account)!.members.has(ann.id)).toBe(false);
    expect(sim.requestLines().at(-1)).toBe(`DELETE /accounts/${account}/members/${ann.id}`);
    const removal = sim.requests.find(
      (r) => r.method === 'DELETE' && r.path.endsWith(`/members/${ann.id}`) && !r.path.includes('user_groups'),
    )!;
    expect(json(result.outputs.result).account).toEqual({ outcome: 'removed', rays: [removal.ray] });
    expect(json(result.outputs['remaining-access'])).toMatchObject({ inAccount: false, complete: true });
  });

  it('ends the member Access sessions, with revoke-access-sessions', async () => {
    const { sim, account, engineers, bundle } = await seeded();
    sim.addSessions(account, 'ann@example.com', 3);
    const result = await bundle({
      'user-group-id': engineers.id,
      'member-email': 'ann@example.com',
      'revoke-access-sessions': 'true',
    });
    expect(result.exitCode).toBe(0);
    expect(sim.sessions(account, 'ann@example.com')).toBe(0);
    const revocation = sim.requests.find((r) => r.path.endsWith('/revoke_user'))!;
    expect(json(result.outputs.result).sessions).toEqual({ outcome: 'revoked', rays: [revocation.ray] });
    expect(result.summary).toContain('| Access sessions | ✅ revoked · cf-ray `');
  });

  it('disables the active tokens the member created, and only those, with member-tokens: disable', async () => {
    const { sim, account, joann, bundle } = await seeded();
    const theirs = sim.addToken(account, { name: 'deploy', creator: 'joann@example.com' });
    const unknown = sim.addToken(account, { name: 'legacy' });
    const result = await bundle({ 'all-groups': 'true', 'member-id': joann.id, 'member-tokens': 'disable' });
    expect(result.exitCode).toBe(0);
    expect(sim.token(account, theirs.id).status).toBe('disabled');
    expect(sim.token(account, unknown.id).status).toBe('active');
    expect(json(result.outputs['remaining-access']).tokens).toEqual([
      // With the cf-ray of the update, by which the account's audit log knows it.
      {
        id: theirs.id,
        name: 'deploy',
        status: 'disabled',
        outcome: 'disabled',
        rays: [sim.requests.find((r) => r.method === 'PUT')!.ray],
      },
    ]);
    expect(result.summary).toContain('` legacy `');
  });
});
