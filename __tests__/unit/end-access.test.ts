// The steps beyond the groups, against a fake account: the order (tokens, sessions, account), the
// guards (the run's own token, the last Super Administrator, two emails), dry runs, answers that
// are not plain, and a run that was refused or stops part-way.
import { describe, expect, it } from 'vitest';
import type { AccountToken } from '../../src/cloudflare/records.js';
import { ApiError } from '../../src/cloudflare/api-error.js';
import type { AccountMember } from '../../src/model.js';
import type { RemovalApi, RemovalPlan } from '../../src/removal/api.js';
import { endAccess } from '../../src/removal/end-access.js';
import type { Identity } from '../../src/removal/identity.js';
import { lastSuperAdminGuard } from '../../src/removal/last-super-admin.js';
import { StoppedError } from '../../src/watchdog.js';

const ANN = 'a'.repeat(32);
const BOB = 'b'.repeat(32);
const OWN = 'f'.repeat(32);
const ann: AccountMember = {
  id: ANN,
  email: 'ann@example.com',
  emails: ['ann@example.com'],
  status: 'accepted',
  roles: [],
  policies: [],
};
const superAdmin = (member: AccountMember): AccountMember => ({
  ...member,
  roles: ['Super Administrator - All Privileges'],
});

const plan = (overrides: Partial<RemovalPlan> = {}): RemovalPlan => ({
  accountId: 'c'.repeat(32),
  groups: { by: 'all' },
  member: { by: 'email', email: 'ann@example.com' },
  dryRun: false,
  protectedMembers: { ids: new Set(), emails: new Set() },
  ifNotInAccount: 'fail',
  removeFromAccount: true,
  revokeSessions: true,
  revokeDevices: false,
  memberTokens: 'disable',
  usesToken: true,
  proveRemovals: false,
  ...overrides,
});

const token = (id: string, creator: string | undefined, status = 'active'): AccountToken => ({
  id,
  name: `token ${id[0]}`,
  status,
  ...(creator && { creator }),
  writable: { name: `token ${id[0]}`, policies: [] },
});

/** A fake account: members, tokens, live sessions, and a log of the calls that change anything. */
function fakeAccount(
  options: {
    members?: AccountMember[];
    tokens?: AccountToken[];
    sessions?: boolean;
    own?: string;
    fail?: Partial<Record<keyof RemovalApi, unknown>>;
  } = {},
) {
  const members = [...(options.members ?? [ann])];
  const tokens = new Map((options.tokens ?? []).map((t) => [t.id, { ...t }]));
  const calls: string[] = [];
  const failing = <T>(name: keyof RemovalApi, work: () => T): T => {
    const failure = options.fail?.[name];
    if (failure !== undefined) throw failure as Error;
    return work();
  };
  const api = {
    listAccountMembers: async () => failing('listAccountMembers', () => members),
    getAccountMember: async (id: string) =>
      failing('getAccountMember', () => {
        const found = members.find((m) => m.id === id);
        if (!found) throw new ApiError('GET: HTTP 404', { status: 404 });
        return found;
      }),
    removeAccountMember: async (id: string) =>
      failing('removeAccountMember', () => {
        calls.push(`remove ${id[0]}`);
        members.splice(
          members.findIndex((m) => m.id === id),
          1,
        );
        return { removed: true as const };
      }),
    revokeAccessSessions: async (email: string) =>
      failing(
        'revokeAccessSessions',
        () => (
          calls.push(`revoke ${email}`),
          { state: (options.sessions ?? true) ? 'revoked' : 'not-revoked', rays: [] }
        ),
      ),
    listTokens: async () => failing('listTokens', () => [...tokens.values()]),
    getToken: async (id: string) => ({ ...tokens.get(id)! }),
    setTokenStatus: async (t: AccountToken, status: 'disabled') => {
      calls.push(`disable ${t.id[0]}`);
      tokens.get(t.id)!.status = status;
      return { token: tokens.get(t.id)!, rays: [] };
    },
    ownToken: async () => failing('ownToken', () => ({ id: options.own ?? OWN, owner: 'user' })),
    listGroups: async () => [],
    listGroupMembers: async () => [],
  } as unknown as RemovalApi;
  return { api, calls, tokens };
}

const member = (record: AccountMember = ann): Identity => ({ kind: 'member', id: record.id, accountMember: record });

/** The steps, with the run's real Super Administrator guard over the fake account. */
const endFor = (asked: RemovalPlan, api: RemovalApi, who: Identity = member()) =>
  endAccess(
    asked,
    api,
    who,
    lastSuperAdminGuard(
      api,
      asked,
      Promise.resolve(who.kind === 'member' ? [{ id: who.id, accountMember: who.accountMember }] : []),
    ),
  );

describe('endAccess', () => {
  it('ends tokens, then sessions, then the account membership, each done', async () => {
    const { api, calls } = fakeAccount({
      tokens: [
        token('1'.repeat(32), 'ANN@example.com'),
        token('2'.repeat(32), 'bob@example.com'),
        token('3'.repeat(32), undefined),
        token('4'.repeat(32), '  '),
        token('5'.repeat(32), 'ann@example.com '),
      ],
    });
    const steps = await endFor(plan(), api, member());
    expect(calls).toEqual([`disable 1`, 'revoke ann@example.com', `remove a`]);
    expect(steps.tokens).toMatchObject({
      outcome: 'disabled',
      found: {
        read: true,
        items: {
          tokens: [{ id: '1'.repeat(32), status: 'disabled', outcome: 'disabled' }],
          // No creator, a blank one, or one that is not a plain address: listed for review, never touched.
          unattributed: [
            { id: '3'.repeat(32), status: 'active' },
            { id: '4'.repeat(32), status: 'active' },
            { id: '5'.repeat(32), status: 'active' },
          ],
        },
      },
    });
    expect(steps.sessions).toEqual({ outcome: 'revoked' });
    expect(steps.account).toEqual({ outcome: 'removed' });
  });

  it('changes nothing in a dry run, and says what it would do', async () => {
    const { api, calls } = fakeAccount({ tokens: [token('1'.repeat(32), 'ann@example.com')] });
    const steps = await endFor(plan({ dryRun: true }), api, member());
    expect(calls).toEqual([]);
    expect([steps.tokens?.outcome, steps.sessions?.outcome, steps.account?.outcome]).toEqual([
      'would-disable',
      'would-revoke',
      'would-remove',
    ]);
  });

  it('only lists the tokens with member-tokens: report', async () => {
    const { api, calls } = fakeAccount({ tokens: [token('1'.repeat(32), 'ann@example.com')] });
    const steps = await endFor(
      plan({ memberTokens: 'report', revokeSessions: false, removeFromAccount: false }),
      api,
      member(),
    );
    expect(calls).toEqual([]);
    expect(steps).toEqual({
      tokens: {
        outcome: 'reported',
        found: {
          read: true,
          items: { tokens: [{ id: '1'.repeat(32), name: 'token 1', status: 'active' }], unattributed: [] },
        },
      },
    });
  });

  it('never disables the token the run authenticates with, nor any when it cannot tell which that is', async () => {
    const mine = [token(OWN, 'ann@example.com'), token('1'.repeat(32), 'ann@example.com')];
    const kept = fakeAccount({ tokens: mine });
    const steps = await endFor(plan({ revokeSessions: false, removeFromAccount: false }), kept.api, member());
    expect(kept.calls).toEqual(['disable 1']);
    expect(steps.tokens?.outcome).toBe('failed');
    const found = steps.tokens?.found;
    expect(found?.read && found.items.tokens.find((t) => t.id === OWN)).toMatchObject({
      outcome: 'kept',
      status: 'active',
    });
    const unknown = fakeAccount({ tokens: mine, fail: { ownToken: new ApiError('GET: HTTP 403', { status: 403 }) } });
    const refused = await endFor(plan({ revokeSessions: false, removeFromAccount: false }), unknown.api, member());
    expect(unknown.calls).toEqual([]);
    expect(refused.tokens?.problem?.message).toContain('Could not tell which token this run authenticates with');
  });

  it('needs no token check with a Global API key', async () => {
    const { api, calls } = fakeAccount({
      tokens: [token(OWN, 'ann@example.com')],
      fail: { ownToken: new Error('not asked') },
    });
    const steps = await endFor(
      plan({ usesToken: false, revokeSessions: false, removeFromAccount: false }),
      api,
      member(),
    );
    expect(calls).toEqual([`disable f`]);
    expect(steps.tokens?.outcome).toBe('disabled');
  });

  it('says when there is nothing to do', async () => {
    const { api } = fakeAccount({ tokens: [token('1'.repeat(32), 'ann@example.com', 'disabled')] });
    const gone: Identity = { kind: 'absent', notInAccount: 'no member' };
    const steps = await endFor(plan({ ifNotInAccount: 'skip' }), api, gone);
    // Account-owned tokens outlive the membership: found by the address given.
    expect(steps.tokens?.outcome).toBe('not-needed');
    expect(steps.account).toEqual({ outcome: 'not-needed', note: 'the member is not in the account' });
    // Access sessions belong to identity-provider users: the given address is still revoked.
    expect(steps.sessions).toEqual({ outcome: 'revoked' });
    const stillIn = await endFor(plan({ revokeSessions: false, removeFromAccount: false }), api, member());
    expect(stillIn.tokens?.outcome).toBe('not-needed');
  });

  it('leaves alone, and never claims, a token someone else disabled between the listing and its read', async () => {
    const { api, calls, tokens } = fakeAccount({
      tokens: [token('1'.repeat(32), 'ann@example.com'), token('2'.repeat(32), 'ann@example.com')],
    });
    const read = api.getToken;
    api.getToken = async (id) => {
      if (id === '1'.repeat(32)) tokens.get(id)!.status = 'disabled';
      return read(id);
    };
    const steps = await endFor(plan({ revokeSessions: false, removeFromAccount: false }), api);
    expect(calls).toEqual([`disable 2`]);
    const found = steps.tokens?.found;
    expect(found?.read && found.items.tokens.map((t) => [t.id[0], t.status, t.outcome])).toEqual([
      ['1', 'disabled', undefined],
      ['2', 'disabled', 'disabled'],
    ]);
    expect(steps.tokens?.outcome).toBe('disabled');
    tokens.get('2'.repeat(32))!.status = 'active';
    api.listTokens = async () => [token('2'.repeat(32), 'ann@example.com')];
    api.getToken = async (id) => ({ ...tokens.get(id)!, status: 'expired' });
    const again = await endFor(plan({ revokeSessions: false, removeFromAccount: false }), api);
    expect(again.tokens?.outcome).toBe('not-needed');
  });

  it('settles by a read a token update refused after an earlier attempt that may have taken effect', async () => {
    const { api, tokens } = fakeAccount({ tokens: [token('1'.repeat(32), 'ann@example.com')] });
    api.setTokenStatus = async (t, status) => {
      tokens.get(t.id)!.status = status;
      throw new ApiError('PUT: HTTP 429 Too Many Requests (after 2 attempts)', {
        status: 429,
        earlierAttemptUncertain: true,
      });
    };
    const steps = await endFor(plan({ revokeSessions: false, removeFromAccount: false }), api);
    expect(steps.tokens?.outcome).toBe('disabled');
  });

  it('never removes the last accepted Super Administrator, and removes one when another remains', async () => {
    const last = fakeAccount({
      members: [
        superAdmin(ann),
        {
          ...superAdmin({ ...ann, id: BOB, email: 'bob@example.com', emails: ['bob@example.com'] }),
          status: 'pending',
        },
      ],
    });
    const kept = await endFor(
      plan({ memberTokens: 'ignore', revokeSessions: false }),
      last.api,
      member(superAdmin(ann)),
    );
    expect(last.calls).toEqual([]);
    expect(kept.account?.problem?.message).toBe(
      'ann@example.com is the only accepted Super Administrator of the account (through their own role or policy): taking that away would lock the account out, so it was not done. Make another member Super Administrator first, then run again.',
    );
    const another = fakeAccount({ members: [superAdmin(ann), superAdmin({ ...ann, id: BOB })] });
    const removed = await endFor(
      plan({ memberTokens: 'ignore', revokeSessions: false }),
      another.api,
      member(superAdmin(ann)),
    );
    expect(removed.account).toEqual({ outcome: 'removed' });
  });

  it('settles an unclear or refused account removal by reading the member', async () => {
    const unclear = fakeAccount({
      fail: { removeAccountMember: new ApiError('DELETE: HTTP 502', { status: 502, unclear: true }) },
    });
    const gone = fakeAccount({
      members: [],
      fail: { removeAccountMember: new ApiError('DELETE: HTTP 502', { status: 502, unclear: true }) },
    });
    const only = plan({ memberTokens: 'ignore', revokeSessions: false });
    expect((await endFor(only, unclear.api, member())).account).toMatchObject({
      outcome: 'failed',
      problem: { message: 'DELETE: HTTP 502. The member is still in the account.' },
    });
    expect((await endFor(only, gone.api, member())).account).toMatchObject({
      outcome: 'removed',
      note: expect.stringContaining('a read shows the member is no longer in the account'),
    });
    const refused = fakeAccount({
      members: [],
      fail: { removeAccountMember: new ApiError('DELETE: HTTP 404: 1003: Member not found', { status: 404 }) },
    });
    expect((await endFor(only, refused.api, member())).account).toMatchObject({ outcome: 'not-needed' });
    const forbidden = fakeAccount({ fail: { removeAccountMember: new ApiError('DELETE: HTTP 403', { status: 403 }) } });
    expect((await endFor(only, forbidden.api, member())).account).toMatchObject({
      outcome: 'failed',
      problem: { status: 403, needs: 'Account Settings Write (or SCIM Provisioning)' },
    });
  });

  it('takes "result: false" from a revocation for not done', async () => {
    const { api } = fakeAccount({ sessions: false });
    const steps = await endFor(plan({ memberTokens: 'ignore', removeFromAccount: false }), api, member());
    expect(steps.sessions).toMatchObject({
      outcome: 'failed',
      problem: { message: expect.stringContaining('answered "result: false"') },
    });
  });

  it('refuses every step that goes by email for a record with two different emails', async () => {
    const twoEmails = { ...ann, emails: ['ann@example.com', 'owner@example.com'] };
    const { api, calls } = fakeAccount({ members: [twoEmails] });
    const steps = await endFor(plan({ removeFromAccount: false }), api, member(twoEmails));
    expect(calls).toEqual([]);
    expect(steps.sessions?.problem?.message).toContain('carries two different emails');
    expect(steps.tokens).toMatchObject({ outcome: 'failed', checked: false });
  });

  it('does nothing for a refused run, and says so for every step asked', async () => {
    const { api, calls } = fakeAccount();
    const refused: Identity = {
      kind: 'stopped',
      problem: { message: 'protected-members: ann is protected' },
      accountMember: ann,
    };
    const steps = await endFor(plan(), api, refused);
    expect(calls).toEqual([]);
    expect(Object.values(steps).map((step) => step.outcome)).toEqual(['failed', 'failed', 'failed']);
  });

  it('leaves the steps after a stop undone, and says so', async () => {
    const { api, calls } = fakeAccount({ fail: { revokeAccessSessions: new StoppedError('SIGINT') } });
    const steps = await endFor(plan({ memberTokens: 'ignore' }), api, member());
    expect(calls).toEqual([]);
    expect(steps.sessions?.problem?.message).toContain('Not done: the run stopped (SIGINT');
    expect(steps.account?.problem?.message).toContain('Not done: the run stopped (SIGINT');
  });
});
