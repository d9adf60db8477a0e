// Who the member is, settled once and exactly before any DELETE, and correct however the API's
// undocumented behaviour falls: each mode of the simulator is one way it may.
import { describe, expect, it } from 'vitest';
import { deletes, json, seeded, TOKEN } from '../helpers/fixture.ts';

describe('member-email', () => {
  it('reads the account members and the groups (for their policies), and removes by id', async () => {
    const { sim, account, ann, joann, engineers, run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-email': '  ANN@Example.COM ' });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines()).toEqual([
      `GET /accounts/${account}/members?page=1&per_page=50`,
      `GET /accounts/${account}/iam/user_groups?page=1&per_page=500`,
      `DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${ann.id}`,
    ]);
    expect(sim.group(account, engineers.id).memberIds).toEqual([joann.id]);
    expect(result.outputs).toMatchObject({ id: ann.id, email: 'ann@example.com', status: 'accepted', removed: 'true' });
  });

  it('never asks a server-side email filter, so its handling of case cannot matter', async () => {
    for (const fuzzyEmail of ['case-insensitive', 'case-sensitive'] as const) {
      const { sim, engineers, billing, run } = await seeded({ fuzzyEmail });
      const result = await run({ 'all-groups': 'true', 'member-email': 'JoAnn@EXAMPLE.com' });
      expect(result.exitCode).toBe(0);
      expect(json(result.outputs['removed-groups']).sort()).toEqual([engineers.id, billing.id].sort());
      expect(sim.requests.some((r) => 'fuzzyEmail' in r.query)).toBe(false);
    }
  });

  it('folds ASCII case only: a Kelvin sign does not make another address equal', async () => {
    const { sim, account, engineers, run } = await seeded();
    const kelvin = sim.addMember(account, '\u212Aate@example.com');
    sim.group(account, engineers.id).memberIds.push(kelvin.id);
    const result = await run({ 'user-group-id': engineers.id, 'member-email': 'kate@example.com' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toBe(
      `No member of account ${account} has the email kate@example.com: check for a typo; if they already left the account, there is nothing to remove. (Set if-not-in-account: skip to accept that.)`,
    );
    expect(sim.group(account, engineers.id).memberIds).toContain(kelvin.id);
  });

  it('refuses when two account members have the email', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
    const twin = sim.addMember(account, 'Ann@Example.com');
    const result = await run({ 'user-group-id': engineers.id, 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toBe(
      `2 members of account ${account} have the email ann@example.com (${ann.id}, ${twin.id}); refusing to guess: use member-id.`,
    );
  });

  it('finds a member beyond the first page of account members', async () => {
    const { sim, account, engineers, run } = await seeded();
    for (let i = 0; i < 120; i++) sim.addMember(account, `person${i}@example.com`);
    const late = sim.addMember(account, 'late@example.com');
    sim.group(account, engineers.id).memberIds.push(late.id);
    const result = await run({ 'user-group-id': engineers.id, 'member-email': 'late@example.com' });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines().filter((l) => l.includes('/members?'))).toHaveLength(3);
    expect(result.outputs.id).toBe(late.id);
  });
});

describe('a member who is not in the account', () => {
  it('by email with if-not-in-account: skip: succeeds with a warning', async () => {
    const { account, run } = await seeded();
    const result = await run({ 'all-groups': 'true', 'member-email': 'gone@example.com', 'if-not-in-account': 'skip' });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([
      `No member of account ${account} has the email gone@example.com: check for a typo; if they already left the account, there is nothing to remove.`,
    ]);
    expect(result.summary).toContain('No member of account');
    expect(result.summary).not.toContain('No user group of the account holds');
  });

  // The one-request case learns it only when its DELETE is refused, whatever the refusal looks like.
  for (const notMemberAnswer of [400, 404] as const) {
    it(`by id, told by a DELETE answered ${notMemberAnswer}: confirmed by reads, then reported as not in the account`, async () => {
      const { sim, account, engineers, run } = await seeded({ notMemberAnswer });
      const typo = 'f'.repeat(32);
      const result = await run({ 'user-group-id': engineers.id, 'member-id': typo });
      expect(result.exitCode).toBe(1);
      expect(sim.requestLines()).toEqual([
        `DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${typo}`,
        `GET /accounts/${account}/iam/user_groups/${engineers.id}/members?page=1&per_page=500`,
        `GET /accounts/${account}/members/${typo}`,
      ]);
      expect(result.errors[0]).toBe(
        `No member of account ${account} has the ID ${typo}: check for a typo, and that member-id holds the account member ID (the id in the account's member list: Manage Account > Members, or GET /accounts/${account}/members), not the user's own ID (from My Profile or GET /user); if they already left the account, there is nothing to remove. (Set if-not-in-account: skip to accept that.)`,
      );
      expect(result.outputs.id).toBe(typo);
    });
  }

  it('by id in a dry run: read first, no group request at all', async () => {
    const { sim, account, engineers, run } = await seeded();
    const result = await run({
      'user-group-id': engineers.id,
      'member-id': 'e'.repeat(32),
      'dry-run': 'true',
      'if-not-in-account': 'skip',
    });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines()).toEqual([`GET /accounts/${account}/members/${'e'.repeat(32)}`]);
    expect(result.outputs['skipped-groups']).toBe(JSON.stringify([engineers.id]));
  });

  // A user's own ID is 32 hexadecimal characters too, the member record's user.id.
  it("by the user's own ID: says which ID member-id takes, and never offers if-not-member: skip", async () => {
    const { sim, account, ann, baseUrl, run } = await seeded();
    const read = await fetch(`${baseUrl}/accounts/${account}/members/${ann.id}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const userId = ((await read.json()) as { result: { user: { id: string } } }).result.user.id;
    expect(userId).not.toBe(ann.id);
    for (const ifNotMember of ['fail', 'skip']) {
      const result = await run({ 'all-groups': 'true', 'if-not-member': ifNotMember, 'member-id': userId });
      expect(result.exitCode).toBe(1);
      expect(deletes(sim)).toEqual([]);
      expect(result.errors[0]).toContain(
        `member-id holds the account member ID (the id in the account's member list: Manage Account > Members, or GET /accounts/${account}/members), not the user's own ID (from My Profile or GET /user)`,
      );
      expect(result.errors[0]).not.toContain('if-not-member');
    }
  });

  // 2.0.0: skipping groups no longer accepts a member who is not in the account at all (a typo).
  it('is not accepted by if-not-member: skip', async () => {
    const { account, run } = await seeded();
    const result = await run({ 'all-groups': 'true', 'member-email': 'gnoe@example.com', 'if-not-member': 'skip' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toBe(
      `No member of account ${account} has the email gnoe@example.com: check for a typo; if they already left the account, there is nothing to remove. (Set if-not-in-account: skip to accept that.)`,
    );
  });
});

describe('a member who is in the account but not in the group', () => {
  for (const notMemberAnswer of [400, 404] as const) {
    it(`a DELETE answered ${notMemberAnswer} is confirmed by the group's member list, then skipped with if-not-member: skip`, async () => {
      const { sim, account, ann, billing, run } = await seeded({ notMemberAnswer });
      const result = await run({ 'user-group-id': billing.id, 'member-id': ann.id, 'if-not-member': 'skip' });
      expect(result.exitCode).toBe(0);
      expect(sim.requestLines()).toEqual([
        `DELETE /accounts/${account}/iam/user_groups/${billing.id}/members/${ann.id}`,
        `GET /accounts/${account}/iam/user_groups/${billing.id}/members?page=1&per_page=500`,
        `GET /accounts/${account}/members/${ann.id}`,
      ]);
      expect(result.outputs).toMatchObject({
        removed: 'false',
        'removed-groups': '[]',
        'skipped-groups': JSON.stringify([billing.id]),
      });
      expect(result.warnings).toEqual([]);
    });
  }

  it('a DELETE answered 200 cannot be told from a removal in the one-request case, but a dry run or a sweep reads first', async () => {
    const { sim, account, ann, billing, run } = await seeded({ notMemberAnswer: 200 });
    const blind = await run({ 'user-group-id': billing.id, 'member-id': ann.id });
    expect(blind.outputs.removed).toBe('true');
    sim.requests.length = 0;
    const sweep = await run({ 'all-groups': 'true', 'member-id': ann.id });
    expect(sweep.exitCode).toBe(0);
    expect(deletes(sim).map((r) => r.path)).toEqual([
      expect.stringContaining(`/user_groups/${[...sim.accounts.get(account)!.groups.values()][0]!.id}/`),
    ]);
    const dry = await run({ 'user-group-id': billing.id, 'member-id': ann.id, 'dry-run': 'true' });
    expect(json(dry.outputs.result).groups[0].outcome).toBe('not-member');
  });
});

describe('pagination by what the server reports', () => {
  const modes = [
    ['full result_info', {}],
    ['a per-page cap of 50 below what is asked', { perPageCap: 50 }],
    ['no result_info at all', { resultInfo: false }],
    ['a per-page cap and no result_info', { perPageCap: 50, resultInfo: false }],
  ] as const;
  for (const [name, options] of modes) {
    it(`sweeps 130 groups and a group of 120 members without missing the last ones (${name})`, async () => {
      const { sim, account, ann, engineers, run } = await seeded(options);
      const holding = [engineers.id];
      for (let i = 0; i < 128; i++) {
        const members =
          i === 127 ? Array.from({ length: 119 }, (_, n) => sim.addMember(account, `crowd${n}@example.com`).id) : [];
        const group = sim.addGroup(account, `Team ${i}`, i % 42 === 0 || i === 127 ? [...members, ann.id] : members);
        if (i % 42 === 0 || i === 127) holding.push(group.id);
      }
      const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
      expect(result.exitCode).toBe(0);
      expect(json(result.outputs['removed-groups']).sort()).toEqual(holding.sort());
      const groupPages = sim.requestLines().filter((l) => /\/iam\/user_groups\?/.test(l)).length;
      const capped = 'perPageCap' in options;
      const withInfo = !('resultInfo' in options);
      expect(groupPages).toBe((capped ? 3 : 1) + (withInfo ? 0 : 1));
    });
  }

  it('fails, never truncates, when a server serves the same page again', async () => {
    const { sim, engineers, billing, run } = await seeded({ resultInfo: false });
    const firstPage = [engineers, billing].map(({ id, name }) => ({ id, name, policies: [] }));
    sim.faults.push({
      kind: 'answer',
      path: /user_groups$/,
      times: 2,
      body: (body: object) => ({ ...body, result: firstPage }),
    });
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'dry-run': 'true' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /Could not list every user group of the account: GET \S+ page 2: repeats earlier entries only; the listing does not advance\. The 2 groups listed before it were handled; the rest were not checked\./,
    );
    expect(json(result.outputs.result).groups).toEqual([
      { id: engineers.id, name: 'Engineers', outcome: 'would-remove' },
    ]);
  });

  it('fails when an answer says it is another page than the one asked for', async () => {
    const { sim, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      path: /user_groups$/,
      body: (body: { result_info: object }) => ({ ...body, result_info: { ...body.result_info, page: 7 } }),
    });
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('page 1: the answer says it is page 7; the listing does not advance.');
    expect(deletes(sim)).toEqual([]);
  });
});
