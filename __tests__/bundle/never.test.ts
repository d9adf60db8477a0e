// Never a false all-clear, never the run's own token, never the last Super Administrator, never
// "not done" for what was sent, never an output that does not parse: each family once against the
// bundle, as an attacker or an unlucky admin would meet it. Variants run in this process.
import { describe, expect, it } from 'vitest';
import { SUPER_ADMIN_ROLE, tokenIdOf } from '../../simulator/cloudflare.ts';
import { json, seeded, TOKEN } from '../helpers/fixture.ts';

const WITHOUT_TOKENS_READ = 'cfut_offboarding-without-token-read-0123456789';

describe('a false all-clear', () => {
  it('is never reported when the token listing is refused, though the account removal and the sessions succeed', async () => {
    const { sim, account, ann, bundle } = await seeded({
      tokens: { [WITHOUT_TOKENS_READ]: { grants: ['groups', 'members', 'sessions'] } },
    });
    sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
    sim.addSessions(account, 'ann@example.com');
    const result = await bundle({
      'api-token': WITHOUT_TOKENS_READ,
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'remove-from-account': 'true',
      'revoke-access-sessions': 'true',
      'member-tokens': 'report',
    });
    expect(result.exitCode).toBe(1);
    expect(sim.accounts.get(account)!.members.has(ann.id)).toBe(false);
    expect(sim.sessions(account, 'ann@example.com')).toBe(0);
    expect(result.outputs['access-remains']).toBe('');
    expect(json(result.outputs['remaining-access'])).toMatchObject({
      inAccount: false,
      sessions: 'revoked',
      tokens: null,
      unattributedTokens: null,
      complete: false,
    });
    const tokens = json(result.outputs.result).tokens;
    expect(tokens).toMatchObject({ outcome: 'failed', checked: false });
    expect(tokens).not.toHaveProperty('tokens');
    expect(result.summary).not.toMatch(/tokens they created: none/i);
    expect(result.summary).toContain(
      "Account API tokens they created: not known, the account's tokens could not be read",
    );
    expect(result.errors[0]).toContain('Account API Tokens Read');
  });
});

describe("the run's own token", () => {
  it('is never disabled when the verify endpoint writes its id in upper case', async () => {
    const { sim, account, engineers, bundle } = await seeded({ verifyIdCase: 'upper' });
    const own = sim.addToken(account, { id: tokenIdOf(TOKEN), name: 'offboarding-ci', creator: 'ann@example.com' });
    const deploy = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
    const result = await bundle({
      'user-group-id': engineers.id,
      'member-email': 'ann@example.com',
      'member-tokens': 'disable',
    });
    expect(sim.token(account, own.id).status).toBe('active');
    expect(sim.token(account, deploy.id).status).toBe('disabled');
    expect(sim.requestLines().filter((line) => line.startsWith('PUT '))).toEqual([
      `PUT /accounts/${account}/tokens/${deploy.id}`,
    ]);
    const tokens = json(result.outputs.result).tokens.tokens;
    expect(tokens).toContainEqual(expect.objectContaining({ id: own.id, outcome: 'kept', status: 'active' }));
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('This is the token this run authenticates with');
  });
});

describe('the last Super Administrator', () => {
  it('keeps the only one, who holds it through a group, in that group and in the account', async () => {
    const { sim, account, bundle } = await seeded();
    const owner = sim.addMember(account, 'owner@example.com');
    const wholeAccount = {
      access: 'allow' as const,
      permissionGroups: [SUPER_ADMIN_ROLE.name],
      resourceGroups: ['All'],
    };
    const admins = sim.addGroup(account, 'Admins', [owner.id], { policies: [wholeAccount] });
    const other = sim.addGroup(account, 'Support', [owner.id]);
    // A Super Administrator grant on one zone only is no Super Administrator of the account.
    sim.addMember(account, 'zone-admin@example.com', 'accepted', undefined, {
      roles: [],
      policies: [{ ...wholeAccount, resourceGroups: ['Production'], zone: '9'.repeat(32) }],
    });
    const result = await bundle({
      'all-groups': 'true',
      'member-email': 'owner@example.com',
      'remove-from-account': 'true',
    });
    expect(result.exitCode).toBe(1);
    expect(sim.group(account, admins.id).memberIds).toEqual([owner.id]);
    expect(sim.group(account, other.id).memberIds).toEqual([]);
    expect(sim.accounts.get(account)!.members.has(owner.id)).toBe(true);
    expect(result.errors[0]).toContain(
      'owner@example.com is the only accepted Super Administrator of the account (through the user group "Admins")',
    );
    expect(json(result.outputs.result).account.outcome).toBe('failed');
    expect(json(result.outputs['remaining-access']).groups).toEqual([
      expect.objectContaining({ id: admins.id, name: 'Admins' }),
    ]);
  });
});

describe('a change that was sent', () => {
  it('is never "not done" when the run stops after its answer and before the read that confirms it', async () => {
    const { sim, account, bundle } = await seeded();
    sim.addMember(account, 'cy@example.com');
    const deploy = sim.addToken(account, { name: 'deploy', creator: 'cy@example.com' });
    sim.faults.push({ kind: 'slow', method: 'PUT', delayMs: 500 });
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'PUT') child?.kill('SIGTERM');
    };
    const result = await bundle(
      { 'all-groups': 'true', 'member-email': 'cy@example.com', 'member-tokens': 'disable' },
      { started: (running) => (child = running) },
    );
    expect(sim.token(account, deploy.id).status).toBe('disabled');
    expect(result.exitCode).toBe(1);
    const tokens = json(result.outputs.result).tokens;
    expect(tokens.outcome).toBe('unknown');
    expect(tokens.tokens).toEqual([
      expect.objectContaining({
        id: deploy.id,
        outcome: 'unknown',
        error: expect.stringContaining('the update was answered, but the run stopped (SIGTERM'),
      }),
    ]);
    expect(result.outputs.removed).toBe('');
    expect(result.summary).toContain('❓ unknown');
    expect(result.summary).not.toContain('Not done');
  });
});

describe('JSON outputs', () => {
  it('parse whatever text the API puts in them: DEL and U+0085 in a token name and in an error', async () => {
    const { sim, account, bundle } = await seeded();
    const name = 'deploy\u007f\u0085\u2028\u009b[31m';
    sim.addToken(account, { name, creator: 'ann@example.com' });
    sim.faults.push({
      kind: 'answer',
      method: 'POST',
      status: 403,
      body: { success: false, errors: [{ code: 10000, message: 'denied\u0085\u007fnow' }], messages: [], result: null },
    });
    const result = await bundle({
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'member-tokens': 'report',
      'revoke-access-sessions': 'true',
    });
    expect(result.exitCode).toBe(1);
    for (const output of ['result', 'members', 'remaining-access'])
      expect(() => JSON.parse(result.outputs[output]!), output).not.toThrow();
    expect(json(result.outputs['remaining-access']).tokens[0].name).toBe(name);
    expect(json(result.outputs.result).sessions.error).toMatch(/denied.*now/);
  });
});
