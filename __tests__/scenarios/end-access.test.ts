// Ending the rest of the access, in this process against the simulator: the account membership,
// the Access sessions and the API tokens the member created, with what remains afterwards.
import { describe, expect, it } from 'vitest';
import { tokenIdOf } from '../../simulator/cloudflare.ts';
import { json, seeded, TOKEN } from '../helpers/fixture.ts';

const EVERYTHING = {
  'all-groups': 'true',
  'member-email': 'ann@example.com',
  'remove-from-account': 'true',
  'revoke-access-sessions': 'true',
  'member-tokens': 'disable',
};

async function offboardingAccount(options = {}) {
  const fixture = await seeded(options);
  const { sim, account } = fixture;
  const deploy = sim.addToken(account, { name: 'deploy', creator: 'ANN@example.com' });
  const old = sim.addToken(account, { name: 'old', creator: 'ann@example.com', status: 'disabled' });
  const someoneElse = sim.addToken(account, { name: 'ci', creator: 'joann@example.com' });
  sim.addSessions(account, 'ann@example.com', 2);
  return { ...fixture, deploy, old, someoneElse };
}

describe('a full offboarding', () => {
  it('disables their tokens, ends their sessions, then removes them from the account, last', async () => {
    const { sim, account, ann, deploy, old, someoneElse, run } = await offboardingAccount();
    const result = await run(EVERYTHING);
    expect(result.exitCode).toBe(0);
    expect(sim.token(account, deploy.id).status).toBe('disabled');
    expect(sim.token(account, old.id).status).toBe('disabled');
    expect(sim.token(account, someoneElse.id).status).toBe('active');
    expect(sim.sessions(account, 'ann@example.com')).toBe(0);
    expect(sim.accounts.get(account)!.members.has(ann.id)).toBe(false);
    const changes = sim.requestLines().filter((line) => /^(PUT|POST|DELETE) /.test(line));
    expect(changes.map((line) => line.replace(/[0-9a-f]{32}/g, 'ID'))).toEqual([
      'DELETE /accounts/ID/iam/user_groups/ID/members/ID',
      'PUT /accounts/ID/tokens/ID',
      'POST /accounts/ID/access/organizations/revoke_user',
      'DELETE /accounts/ID/members/ID',
    ]);
    const outcome = json(result.outputs.result);
    expect([outcome.tokens.outcome, outcome.sessions.outcome, outcome.account.outcome]).toEqual([
      'disabled',
      'revoked',
      'removed',
    ]);
    expect(json(result.outputs['remaining-access'])).toMatchObject({
      inAccount: false,
      sessions: 'revoked',
      complete: true,
      groups: [],
    });
    expect(result.outputs['access-remains']).toBe('false');
    expect(result.summary).toContain('| Account membership | ✅ removed · cf-ray `');
  });

  it('keeps access-remains unknown while a token with no known creator is left to review', async () => {
    const { sim, account, run } = await offboardingAccount();
    sim.addToken(account, { name: 'from before creators were recorded' });
    const result = await run(EVERYTHING);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['access-remains']).toBe('');
    expect(result.summary).toContain('no known creator (1;');
    expect(result.summary).toContain('from before creators were recorded');
  });

  it('changes nothing in a dry run, and says what it would do', async () => {
    const { sim, account, ann, deploy, run } = await offboardingAccount();
    const result = await run({ ...EVERYTHING, 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines().filter((line) => !line.startsWith('GET'))).toEqual([]);
    expect(sim.token(account, deploy.id).status).toBe('active');
    expect(sim.accounts.get(account)!.members.has(ann.id)).toBe(true);
    const outcome = json(result.outputs.result);
    expect([outcome.tokens.outcome, outcome.sessions.outcome, outcome.account.outcome]).toEqual([
      'would-disable',
      'would-revoke',
      'would-remove',
    ]);
    expect(result.outputs['access-remains']).toBe('true');
  });

  it('never disables the token the run uses', async () => {
    const { sim, account, run } = await offboardingAccount();
    sim.addToken(account, { id: tokenIdOf(TOKEN), name: 'offboarding', creator: 'ann@example.com' });
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'member-tokens': 'disable' });
    expect(result.exitCode).toBe(1);
    expect(sim.token(account, tokenIdOf(TOKEN)).status).toBe('active');
    expect(result.errors[0]).toContain(
      'This is the token this run authenticates with: it is never disabled by the run itself.',
    );
  });
});

describe('each option on its own', () => {
  it('names the permission a token lacks, for each step', async () => {
    const { run } = await offboardingAccount({ tokens: { [TOKEN]: { grants: ['groups'] } } });
    const result = await run(EVERYTHING);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('this needs the "Account API Tokens Read" permission');
    expect(result.errors[0]).toContain(
      'this needs the "Access: Organizations Revoke (or Access: Organizations, Identity Providers, and Groups Write)" permission',
    );
    expect(result.errors[0]).toContain('this needs the "Account Settings Write (or SCIM Provisioning)" permission');
  });

  it('does not take "result: false" from a revocation for done', async () => {
    const { run } = await seeded({ noSessionsAnswer: false });
    const result = await run({
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'revoke-access-sessions': 'true',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('Access sessions: Cloudflare answered "result: false"');
    expect(json(result.outputs['remaining-access']).sessions).toBe('not-revoked');
  });

  it('revokes the sessions of an address no account member has, with if-not-in-account: skip', async () => {
    const { sim, account, run } = await seeded();
    sim.addSessions(account, 'contractor@example.com');
    const result = await run({
      'user-group-id': 'a'.repeat(32),
      'member-email': 'contractor@example.com',
      'revoke-access-sessions': 'true',
      'member-tokens': 'report',
      'if-not-in-account': 'skip',
    });
    expect(result.exitCode).toBe(0);
    expect(sim.sessions(account, 'contractor@example.com')).toBe(0);
    expect(json(result.outputs.result).sessions.outcome).toBe('revoked');
    // The tokens that address created are looked for too: none here, and the listing was read.
    expect(json(result.outputs.result).tokens).toEqual({ outcome: 'not-needed', tokens: [], unattributed: [] });
  });

  it('lists the member tokens with member-tokens: report, outside an all-groups run too', async () => {
    const { deploy, engineers, run } = await offboardingAccount();
    const result = await run({
      'user-group-id': engineers.id,
      'member-email': 'ann@example.com',
      'member-tokens': 'report',
    });
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs.result).tokens.tokens.map((t: { id: string }) => t.id)).toContain(deploy.id);
    expect(result.summary).toContain('| API tokens they created | 📋 listed below |');
    expect(result.summary).toContain('deploy');
  });

  it('never removes the last Super Administrator from the account', async () => {
    const { sim, account, run } = await seeded();
    const owner = sim.addMember(account, 'owner@example.com', 'accepted', undefined, {
      roles: [{ id: 'e'.repeat(32), name: 'Super Administrator - All Privileges' }],
      policies: [],
    });
    const result = await run({ 'all-groups': 'true', 'member-id': owner.id, 'remove-from-account': 'true' });
    expect(result.exitCode).toBe(1);
    expect(sim.accounts.get(account)!.members.has(owner.id)).toBe(true);
    expect(result.errors[0]).toContain('owner@example.com is the only accepted Super Administrator of the account');
  });

  it('refuses remove-from-account without all-groups', async () => {
    const { sim, engineers, run } = await seeded();
    const result = await run({
      'user-group-id': engineers.id,
      'member-email': 'ann@example.com',
      'remove-from-account': 'true',
    });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toContain('remove-from-account: works with all-groups: true only');
  });
});
