// The variants of ../bundle/never.test.ts, in this process against the simulator: each way a
// listing can fail to be read, each way a token read can mislead, each shape of a Super
// Administrator grant, each moment a run can stop after it sent a change, and the messages that
// must show what the admin typed.
import { describe, expect, it } from 'vitest';
import { SUPER_ADMIN_ROLE, tokenIdOf, type SimMember, type SimPolicy } from '../../simulator/cloudflare.ts';
import type { StopReason } from '../../src/watchdog.ts';
import { deletes, json, seeded, TOKEN } from '../helpers/fixture.ts';

const TOKENS_LIST = /\/tokens$/;
const ACCOUNT_MEMBER = /^\/accounts\/[0-9a-f]{32}\/members\/[0-9a-f]{32}$/;
const SWEEP = { 'all-groups': 'true', 'member-email': 'ann@example.com' };
const SUPER: SimPolicy = { access: 'allow', permissionGroups: [SUPER_ADMIN_ROLE.name], resourceGroups: ['All'] };

describe('a token listing that was not read', () => {
  const failures = [
    ['a 500', { kind: 'status' as const, status: 500, times: 10 }],
    [
      'pages that contradict their totals',
      { kind: 'answer' as const, times: 2, body: (b: object) => ({ ...b, result: null }) },
    ],
  ] as const;
  for (const [what, fault] of failures) {
    it(`is unknown, never "none", after ${what}`, async () => {
      const { sim, account, run } = await seeded();
      sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
      sim.faults.push({ ...fault, method: 'GET', path: TOKENS_LIST });
      const truncated = what.startsWith('pages') ? { 'max-retries': '0' } : { 'max-retries': '1' };
      const result = await run({ ...SWEEP, ...truncated, 'member-tokens': 'report', 'revoke-access-sessions': 'true' });
      expect(result.exitCode).toBe(1);
      expect(json(result.outputs.result).tokens).toMatchObject({ outcome: 'failed', checked: false });
      expect(json(result.outputs['remaining-access'])).toMatchObject({ tokens: null, complete: false });
      expect(result.outputs['access-remains']).not.toBe('false');
      expect(json(result.outputs.members)[0].tokens.checked).toBe(false);
    });
  }

  it('lists a token whose creator is blank, whitespace or not a plain address for review, and never touches it', async () => {
    const { sim, account, run } = await seeded();
    const odd = ['', '   ', 'not an address', '<ann@example.com>'].map((creator, i) =>
      sim.addToken(account, { name: `odd ${i}`, creator }),
    );
    const result = await run({ ...SWEEP, 'member-tokens': 'disable' });
    expect(result.exitCode).toBe(0);
    expect(odd.map((token) => sim.token(account, token.id).status)).toEqual(['active', 'active', 'active', 'active']);
    const unattributed = json(result.outputs['remaining-access']).unattributedTokens.map((t: { id: string }) => t.id);
    expect(unattributed.sort()).toEqual(odd.map((token) => token.id).sort());
    expect(result.outputs['access-remains']).not.toBe('false');
  });

  it('still finds the tokens of a person who already left the account, by the address given', async () => {
    const { sim, account, engineers, run } = await seeded();
    const theirs = sim.addToken(account, { name: 'left behind', creator: 'gone@example.com' });
    const result = await run({
      'user-group-id': engineers.id,
      'member-email': 'gone@example.com',
      'if-not-in-account': 'skip',
      'member-tokens': 'disable',
    });
    expect(result.exitCode).toBe(0);
    expect(sim.token(account, theirs.id).status).toBe('disabled');
    expect(json(result.outputs.result).tokens.outcome).toBe('disabled');
  });
});

describe('a token read that names another token', () => {
  it('writes nothing to either token', async () => {
    const { sim, account, run } = await seeded();
    const deploy = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
    const own = sim.addToken(account, { id: tokenIdOf(TOKEN), name: 'offboarding-ci', creator: 'owner@example.com' });
    sim.faults.push({
      kind: 'answer',
      method: 'GET',
      path: new RegExp(`/tokens/${deploy.id}$`),
      body: (body: { result: object }) => ({ ...body, result: { ...body.result, id: own.id, name: 'offboarding-ci' } }),
    });
    const result = await run({ ...SWEEP, 'member-tokens': 'disable' });
    expect(result.exitCode).toBe(1);
    expect(sim.requestLines().filter((line) => line.startsWith('PUT '))).toEqual([]);
    expect([sim.token(account, deploy.id).status, sim.token(account, own.id).status]).toEqual(['active', 'active']);
    expect(result.errors[0]).toContain(
      `Reading the token answered with another token (${own.id}); nothing was written`,
    );
  });

  it('names Account API Tokens Write in the annotation when the update is refused', async () => {
    const { sim, account, run } = await seeded();
    sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
    sim.faults.push({ kind: 'status', method: 'PUT', status: 403 });
    const result = await run({ ...SWEEP, 'member-tokens': 'disable' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('API tokens they created: Not every token of the member was disabled');
    expect(result.errors[0]).toContain('this needs the "Account API Tokens Write" permission');
  });
});

describe('the last Super Administrator', () => {
  async function account(
    others: Array<{ access: Parameters<Awaited<ReturnType<typeof seeded>>['sim']['addMember']>[4] }>,
  ) {
    const fixture = await seeded();
    const { sim } = fixture;
    const owner = sim.addMember(fixture.account, 'owner@example.com', 'accepted', undefined, {
      roles: [SUPER_ADMIN_ROLE],
      policies: [],
    });
    others.forEach(({ access }, i) =>
      sim.addMember(fixture.account, `other${i}@example.com`, 'accepted', undefined, access),
    );
    return { ...fixture, owner };
  }
  const removeOwner = { 'all-groups': 'true', 'member-email': 'owner@example.com', 'remove-from-account': 'true' };

  it('counts a Super Administrator through a group as another one, and removes the owner', async () => {
    const fixture = await account([]);
    const deputy = fixture.sim.addMember(fixture.account, 'deputy@example.com');
    fixture.sim.addGroup(fixture.account, 'Admins', [deputy.id], { policies: [SUPER] });
    const result = await fixture.run(removeOwner);
    expect(result.exitCode).toBe(0);
    expect(fixture.sim.accounts.get(fixture.account)!.members.has(fixture.owner.id)).toBe(false);
  });

  const notAnother: Array<[string, Pick<SimMember, 'roles' | 'policies'>]> = [
    ['a grant on one zone', { roles: [], policies: [{ ...SUPER, zone: '9'.repeat(32) }] }],
    ['a deny', { roles: [], policies: [{ ...SUPER, access: 'deny' }] }],
    [
      'a grant that an allow and a deny make unclear',
      { roles: [SUPER_ADMIN_ROLE], policies: [{ ...SUPER, access: 'deny' }] },
    ],
    [
      'a name that only looks like the role',
      { roles: [{ id: 'e'.repeat(32), name: 'Super Administrator' }], policies: [] },
    ],
  ];
  for (const [what, access] of notAnother) {
    it(`does not count ${what} as another one`, async () => {
      const fixture = await account([{ access }]);
      const result = await fixture.run(removeOwner);
      expect(result.exitCode).toBe(1);
      expect(fixture.sim.accounts.get(fixture.account)!.members.has(fixture.owner.id)).toBe(true);
      expect(result.errors[0]).toContain('owner@example.com is the only accepted Super Administrator of the account');
    });
  }

  it('does not count a pending member, nor one whose group cannot be read', async () => {
    const fixture = await account([]);
    const { sim } = fixture;
    const invited = sim.addMember(fixture.account, 'invited@example.com', 'pending', undefined, {
      roles: [SUPER_ADMIN_ROLE],
      policies: [],
    });
    const deputy = sim.addMember(fixture.account, 'deputy@example.com');
    sim.addGroup(fixture.account, 'Admins', [deputy.id, invited.id], { policies: [SUPER], unreadable: true });
    const result = await fixture.run(removeOwner);
    expect(result.exitCode).toBe(1);
    expect(sim.accounts.get(fixture.account)!.members.has(fixture.owner.id)).toBe(true);
  });

  it('keeps the only one through a group given by name, and removes someone else from it', async () => {
    const { sim, account: id, ann, run } = await seeded();
    const owner = sim.addMember(id, 'owner@example.com');
    const admins = sim.addGroup(id, 'Admins', [owner.id], { policies: [SUPER] });
    const refused = await run({ 'user-group-name': 'Admins', 'member-email': 'owner@example.com' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toContain('(through the user group "Admins")');
    expect(sim.group(id, admins.id).memberIds).toEqual([owner.id]);
    // With ann in the group too, she is the Super Administrator who remains.
    sim.group(id, admins.id).memberIds.push(ann.id);
    const removed = await run({ 'user-group-name': 'Admins', 'member-email': 'owner@example.com' });
    expect(removed.exitCode).toBe(0);
    expect(sim.group(id, admins.id).memberIds).toEqual([ann.id]);
  });

  it('refuses both when two members who hold it through one group leave together, and nobody else holds it', async () => {
    const { sim, account: id, ann, joann, run } = await seeded();
    const admins = sim.addGroup(id, 'Admins', [ann.id, joann.id], { policies: [SUPER] });
    sim.member(id, joann.id).status = 'accepted';
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com\njoann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(sim.group(id, admins.id).memberIds.sort()).toEqual([ann.id, joann.id].sort());
    expect(deletes(sim).filter((r) => r.path.includes(admins.id))).toEqual([]);
  });
});

describe('a change that was sent, when the answer or the run leaves it open', () => {
  it('reports an account removal answered 502 after it took effect, then 404, as removed', async () => {
    const { sim, account, ann, run } = await seeded();
    sim.faults.push({ kind: 'apply-then-status', method: 'DELETE', path: ACCOUNT_MEMBER, status: 502 });
    const result = await run({ ...SWEEP, 'remove-from-account': 'true' });
    expect(result.exitCode).toBe(0);
    expect(sim.accounts.get(account)!.members.has(ann.id)).toBe(false);
    expect(json(result.outputs.result).account).toMatchObject({ outcome: 'removed' });
    expect(result.outputs.removed).toBe('true');
  });

  it('records the account removal as unknown, never "not done", when the run stops while it is in flight', async () => {
    const { sim, account, joann, engineers, billing, run } = await seeded();
    sim.faults.push({ kind: 'hang', method: 'DELETE', path: ACCOUNT_MEMBER });
    let stop: ((reason: StopReason) => void) | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'DELETE' && ACCOUNT_MEMBER.test(request.path)) stop?.('SIGTERM');
    };
    const result = await run(
      { 'all-groups': 'true', 'member-email': 'joann@example.com', 'remove-from-account': 'true' },
      { interrupt: (stopRun) => (stop = stopRun) },
    );
    expect(result.exitCode).toBe(1);
    const outcome = json(result.outputs.result);
    expect(outcome.account).toMatchObject({
      outcome: 'unknown',
      error: expect.stringContaining('Check Manage Account > Members'),
    });
    expect(outcome.account.error).not.toContain('Not done');
    expect(json(result.outputs['remaining-access'])).toMatchObject({ inAccount: null, complete: false });
    // The groups were settled before the account step; what was removed stays in the record.
    expect(json(result.outputs['removed-groups']).sort()).toEqual([engineers.id, billing.id].sort());
    expect(sim.group(account, engineers.id).memberIds).not.toContain(joann.id);
  });

  it('keeps every token disabled before a stop in the middle of a batch, and says which are unknown', async () => {
    const { sim, account, run } = await seeded({ latencyMs: 5 });
    const tokens = Array.from({ length: 6 }, (_, i) =>
      sim.addToken(account, { name: `t${i}`, creator: 'ann@example.com' }),
    );
    let stop: ((reason: StopReason) => void) | undefined;
    let puts = 0;
    sim.onRequest = (request) => {
      if (request.method === 'PUT' && ++puts === 3) stop?.('SIGTERM');
    };
    const result = await run(
      { ...SWEEP, 'member-tokens': 'disable', concurrency: '1' },
      { interrupt: (stopRun) => (stop = stopRun) },
    );
    expect(result.exitCode).toBe(1);
    const step = json(result.outputs.result).tokens;
    const disabled = tokens.filter((token) => sim.token(account, token.id).status === 'disabled').map((t) => t.id);
    const recorded = step.tokens
      .filter((t: { outcome: string }) => t.outcome === 'disabled')
      .map((t: { id: string }) => t.id);
    expect(recorded.length).toBeGreaterThan(0);
    // What the record calls disabled is disabled; what it does not know, it says so.
    for (const id of recorded) expect(disabled).toContain(id);
    for (const token of step.tokens) expect(['disabled', 'unknown', 'failed']).toContain(token.outcome);
    expect(step.tokens.filter((t: { outcome: string }) => t.outcome === 'unknown').length).toBeGreaterThan(0);
  });
});

describe('what the admin typed, in a message', () => {
  it('shows an invisible character in a group name by its code point, and hints at the usual mistakes', async () => {
    const { run } = await seeded();
    const result = await run({
      'user-group-name': 'Engineers\u200b\nEngineers, Billing\nall',
      'member-email': 'ann@example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('no user group is named "Engineers<U+200B>"');
    expect(result.errors[0]).toContain('Names go one per line');
    expect(result.errors[0]).toContain('set all-groups: true');
  });

  it('says whom each group line of a several-member run is about', async () => {
    const { engineers, run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-email': 'ann@example.com\njoann@example.com' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`ann@example.com: ${engineers.id}: removed`);
    expect(result.stdout).toContain(`joann@example.com: ${engineers.id}: removed`);
  });
});
