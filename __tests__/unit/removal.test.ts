// The removal policy with a fake API: order of reads and removals, refusals as values, and a
// record that survives anything the API or a bug throws.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/cloudflare/api-error.js';
import type { AccountMember, UserGroup } from '../../src/model.js';
import type { RemovalApi, RemovalPlan } from '../../src/removal/api.js';
import { runRemoval } from '../../src/removal/removal.js';

const ACCOUNT = 'a'.repeat(32);
const ANN = 'c'.repeat(32);
const G1 = '1'.repeat(32);
const G2 = '2'.repeat(32);
const G3 = '3'.repeat(32);

function settings(overrides: Partial<RemovalPlan> = {}): RemovalPlan {
  return {
    accountId: ACCOUNT,
    groups: { by: 'all' },
    member: { by: 'email', email: 'ann@example.com' },
    dryRun: false,
    protectedMembers: { ids: new Set(), emails: new Set() },
    ifNotInAccount: 'fail',
    removeFromAccount: false,
    revokeSessions: false,
    revokeDevices: false,
    memberTokens: 'ignore',
    usesToken: true,
    proveRemovals: false,
    ...overrides,
  };
}

// The steps beyond the groups are not asked for in these tests: any call to them is a fault.
const unasked = async (): Promise<never> => {
  throw new Error('not asked for');
};
const noAccessSteps = {
  removeAccountMember: unasked,
  revokeAccessSessions: unasked,
  listTokens: unasked,
  getToken: unasked,
  setTokenStatus: unasked,
  ownToken: unasked,
  auditRays: unasked,
};

/** A fake account: groups and who is in them; every call is logged in order. */
function fakeApi(
  groups: Record<string, string[]>,
  members: AccountMember[] = [
    { id: ANN, email: 'ann@example.com', emails: ['ann@example.com'], roles: [], policies: [] },
  ],
) {
  const calls: string[] = [];
  const api: RemovalApi = {
    ...noAccessSteps,
    async listGroups({ onPage } = {}) {
      calls.push('listGroups');
      const list: UserGroup[] = Object.keys(groups).map((id) => ({ id, name: `Group ${id[0]}`, policies: [] }));
      onPage?.(list);
      return list;
    },
    async listGroupMembers(groupId) {
      calls.push(`members ${groupId[0]}`);
      return groups[groupId] ?? [];
    },
    async listAccountMembers() {
      calls.push('accountMembers');
      return members;
    },
    async getAccountMember(id) {
      calls.push(`accountMember ${id[0]}`);
      const found = members.find((m) => m.id === id);
      if (!found) throw new ApiError('GET: HTTP 404', { status: 404 });
      return found;
    },
    async removeGroupMember(groupId, memberId) {
      calls.push(`DELETE ${groupId[0]}`);
      if (!groups[groupId]?.includes(memberId))
        throw new ApiError('DELETE: HTTP 404 Not Found: 404: not found in user group', { status: 404, codes: [404] });
      groups[groupId] = groups[groupId].filter((id) => id !== memberId);
      return { removed: true, rays: [] };
    },
  };
  return { api, calls };
}

describe('runRemoval', () => {
  it('settles the identity before any lookup by id, and removes only where the member is', async () => {
    const { api, calls } = fakeApi({ [G1]: [ANN], [G2]: [], [G3]: [ANN] });
    const record = await runRemoval(settings(), api, () => {});
    expect(calls.indexOf('accountMembers')).toBeLessThan(calls.indexOf('members 1'));
    expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE 1', 'DELETE 3']);
    expect(record.groups.map((g) => [g.group.id[0], g.outcome])).toEqual([
      ['1', 'removed'],
      ['3', 'removed'],
    ]);
    expect(record.member).toEqual({ id: ANN, email: 'ann@example.com' });
  });

  it('with member-id, looks up groups while the account member is read, but removes only after it', async () => {
    const { api, calls } = fakeApi({ [G1]: [ANN] });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read = api.getAccountMember;
    api.getAccountMember = async (id) => {
      await gate;
      return read(id);
    };
    const running = runRemoval(settings({ member: { by: 'id', id: ANN } }), api, () => {});
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toContain('members 1');
    expect(calls).not.toContain('DELETE 1');
    release();
    expect((await running).groups[0]!.outcome).toBe('removed');
  });

  it('settles by a read a DELETE refused after an earlier attempt that may have taken effect', async () => {
    const { api } = fakeApi({ [G1]: [ANN], [G2]: [ANN] });
    const remove = api.removeGroupMember;
    // The first attempt removed her and was answered 502; the retry ran into a 429 and gave up.
    api.removeGroupMember = async (groupId, memberId) => {
      if (groupId === G1) await remove(groupId, memberId);
      throw new ApiError('DELETE: HTTP 429 Too Many Requests (after 2 attempts)', {
        status: 429,
        earlierAttemptUncertain: true,
      });
    };
    const plan = settings({ member: { by: 'id', id: ANN }, groups: { by: 'id', ids: [G1, G2] } });
    const record = await runRemoval(plan, api, () => {});
    expect(record.groups.map((g) => [g.group.id[0], g.outcome])).toEqual([
      ['1', 'removed'],
      ['2', 'failed'],
    ]);
  });

  it('where removals are to be proven, reads each given group before its DELETE', async () => {
    // A DELETE of a non-member that Cloudflare answers 200 (undocumented) would read as "removed".
    const { api, calls } = fakeApi({ [G1]: [], [G2]: [ANN] });
    api.removeGroupMember = async (groupId) => {
      calls.push(`DELETE ${groupId[0]}`);
      return { removed: true, rays: [] };
    };
    const plan = settings({ member: { by: 'id', id: ANN }, groups: { by: 'id', ids: [G1, G2] }, proveRemovals: true });
    const record = await runRemoval(plan, api, () => {});
    expect(record.groups.map((g) => [g.group.id[0], g.outcome])).toEqual([
      ['1', 'not-member'],
      ['2', 'removed'],
    ]);
    expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE 2']);
    expect(calls.indexOf('members 2')).toBeLessThan(calls.indexOf('DELETE 2'));
  });

  it('refuses a protected member found by the lookup, before any DELETE, as a value', async () => {
    const { api, calls } = fakeApi({ [G1]: [ANN] });
    const record = await runRemoval(
      settings({ protectedMembers: { ids: new Set([ANN]), emails: new Set() } }),
      api,
      () => {},
    );
    expect(calls.some((c) => c.startsWith('DELETE'))).toBe(false);
    expect(record.stopped?.message).toContain(`protected-members: ${ANN} is protected`);
    expect(record.groups).toEqual([]);
  });

  it('turns an unexpected error in one group into that group failing, and goes on with the others', async () => {
    const { api } = fakeApi({ [G1]: [ANN], [G2]: [ANN] });
    const remove = api.removeGroupMember;
    api.removeGroupMember = async (groupId, memberId) => {
      if (groupId === G1) throw new TypeError('cannot read properties of undefined');
      return remove(groupId, memberId);
    };
    const record = await runRemoval(settings(), api, () => {});
    expect(record.groups.map((g) => [g.group.id[0], g.outcome, g.problem?.message])).toEqual([
      [
        '1',
        'failed',
        expect.stringMatching(
          /^Unexpected error: cannot read properties of undefined\. This is a fault in the action, not in the inputs: /,
        ),
      ],
      ['2', 'removed', undefined],
    ]);
  });

  it('returns a record, never throws, when a listing throws something unexpected', async () => {
    const { api } = fakeApi({});
    api.listAccountMembers = async () => {
      throw new RangeError('boom');
    };
    const record = await runRemoval(settings({ groups: { by: 'id', ids: [G1] } }), api, () => {});
    expect(record.stopped?.message).toBe(
      'Could not list the members of account ' + ACCOUNT + ' to find ann@example.com: boom',
    );
  });

  it('confirms a refused DELETE by reading the group, and tells a member outside the account apart', async () => {
    const { api, calls } = fakeApi({ [G1]: [] });
    const record = await runRemoval(
      settings({ groups: { by: 'id', ids: [G1] }, member: { by: 'id', id: 'd'.repeat(32) } }),
      api,
      () => {},
    );
    expect(calls).toEqual(['DELETE 1', 'members 1', 'accountMember d']);
    expect(record.groups[0]!.outcome).toBe('not-member');
    expect(record.notInAccount).toContain(`No member of account ${ACCOUNT} has the ID ${'d'.repeat(32)}`);
  });

  it('reads the account member once however many DELETEs are refused', async () => {
    const { api, calls } = fakeApi({ [G1]: [], [G2]: [], [G3]: [] });
    await runRemoval(
      settings({ groups: { by: 'id', ids: [G1, G2, G3] }, member: { by: 'id', id: ANN } }),
      api,
      () => {},
    );
    expect(calls.filter((c) => c.startsWith('accountMember'))).toHaveLength(1);
  });
});
