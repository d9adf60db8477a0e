// The paths of a restore, run as the runner runs the restore bundle (dist/restore/index.js), as an
// attacker would try them: after a full offboarding, a record edited on its way (a group added, a
// token added, another entry's signature, no signature), a record of another account or person, a
// group or token gone since, a person removed from the account, a dry run, and a SIGTERM while a
// POST is in flight. Their variants run in this process: ../scenarios/restore.test.ts.
import { describe, expect, it } from 'vitest';
import { json, seeded } from '../helpers/fixture.ts';

const KEY = 'r'.repeat(40);
const UNDO = { 'member-email': 'ann@example.com', 'record-key': KEY };

/** ann offboarded in process from Engineers and Ops, her token deploy disabled; the signed accounts output. */
async function offboarded(inputs: Record<string, string> = {}) {
  const fixture = await seeded();
  const { sim, account, ann, run } = fixture;
  const deploy = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
  const ops = sim.addGroup(account, 'Ops', [ann.id]);
  const offboarding = await run({
    'all-groups': 'true',
    'member-email': 'ann@example.com',
    'member-tokens': 'disable',
    'record-key': KEY,
    ...inputs,
  });
  const mark = sim.requests.length;
  const writes = () => sim.requests.slice(mark).filter((r) => r.method !== 'GET');
  return { ...fixture, deploy, ops, offboarding, record: offboarding.outputs.accounts!, writes };
}

const held = (fixture: Awaited<ReturnType<typeof offboarded>>, group: { id: string }) =>
  fixture.sim.group(fixture.account, group.id).memberIds.includes(fixture.ann.id);

describe('restore', () => {
  it('after a full offboarding: the groups and tokens that run removed and disabled are back', async () => {
    const { sim, account, ann, engineers, billing, bundle, restoreBundle } = await seeded();
    const deploy = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
    const offboarding = await bundle({
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'member-tokens': 'disable',
      'record-key': KEY,
    });
    expect(offboarding.exitCode).toBe(0);
    expect(sim.token(account, deploy.id).status).toBe('disabled');
    const result = await restoreBundle({ ...UNDO, record: offboarding.outputs.accounts! });
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(sim.group(account, engineers.id).memberIds).toContain(ann.id);
    expect(sim.group(account, billing.id).memberIds).not.toContain(ann.id);
    expect(sim.token(account, deploy.id).status).toBe('active');
    expect(result.outputs).toMatchObject({
      restored: 'true',
      'restored-groups': JSON.stringify([engineers.id]),
      'restored-tokens': JSON.stringify([deploy.id]),
    });
    expect(json(result.outputs.result)).toEqual({
      member: { id: ann.id, email: 'ann@example.com' },
      dryRun: false,
      inAccount: true,
      groups: [{ id: engineers.id, name: 'Engineers', outcome: 'restored', rays: [expect.stringMatching(/-SJC$/)] }],
      tokens: [{ id: deploy.id, name: 'deploy', outcome: 'restored', rays: [expect.stringMatching(/-SJC$/)] }],
    });
    expect(result.summary).toContain('| API token | ` deploy ` |');
  });

  describe('refuses a record edited on its way, writing nothing', () => {
    type Entry = {
      removedGroups: string[];
      tokens: { tokens: Array<Record<string, unknown>> };
      signature?: unknown;
    };
    type Context = Awaited<ReturnType<typeof offboarded>> & { bobs: unknown };
    const edits: Array<[string, (entry: Entry, context: Context) => void, string]> = [
      [
        'a group added',
        (entry, { billing }) => entry.removedGroups.push(billing.id),
        'does not match what the entry says: it was changed after the offboarding run wrote it',
      ],
      [
        'a token added',
        (entry, { sim, account }) =>
          entry.tokens.tokens.push({
            id: sim.addToken(account, { name: 'root', status: 'disabled' }).id,
            name: 'root',
            status: 'disabled',
            outcome: 'disabled',
          }),
        'does not match what the entry says',
      ],
      [
        'the signature of another entry',
        (entry, { bobs }) => (entry.signature = bobs),
        'does not match what the entry says',
      ],
      ['no signature', (entry) => delete entry.signature, 'has no signature, so nothing in it can be checked'],
    ];
    it.each(edits)('%s', async (_, edit, says) => {
      const fixture = await offboarded();
      const { sim, account, run, billing, restoreBundle, writes } = fixture;
      const bob = sim.addMember(account, 'bob@example.com');
      sim.group(account, billing.id).memberIds.push(bob.id);
      // bob's offboarding, signed with the same key: his entry's signature is a real one.
      const bobs = await run({ 'all-groups': 'true', 'member-email': 'bob@example.com', 'record-key': KEY });
      const record = json(fixture.record);
      edit(record[0].members[0], { ...fixture, bobs: json(bobs.outputs.members)[0].signature });
      const mark = writes().length;
      const result = await restoreBundle({ ...UNDO, record: JSON.stringify(record) });
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toContain(says);
      expect(writes().slice(mark)).toEqual([]);
      expect(held(fixture, billing)).toBe(false);
      expect(result.outputs.restored).toBe('false');
    });
  });

  it('refuses a record of another account', async () => {
    const { sim, record, restoreBundle, writes } = await offboarded();
    const other = sim.addAccount();
    const result = await restoreBundle({ ...UNDO, 'account-id': other, record });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain(
      `not of account ${other} (account-id): a record is restored only in the account it was written for`,
    );
    expect(writes()).toEqual([]);
  });

  it('refuses a record of another person', async () => {
    const { record, restoreBundle, writes } = await offboarded();
    const result = await restoreBundle({ ...UNDO, 'member-email': 'joann@example.com', record });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toBe(
      'record: it is about "ann@example.com", not member-email joann@example.com: a record restores only the person it was written for.',
    );
    expect(writes()).toEqual([]);
  });

  it('fails a group that no longer exists, and restores the rest', async () => {
    const fixture = await offboarded();
    const { sim, account, engineers, ops, deploy, record, restoreBundle } = fixture;
    sim.deleteGroup(account, engineers.id);
    const result = await restoreBundle({ ...UNDO, record });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain(`User group ${engineers.id}: The group no longer exists`);
    expect(held(fixture, ops)).toBe(true);
    expect(sim.token(account, deploy.id).status).toBe('active');
    expect(json(result.outputs['restored-groups'])).toEqual([ops.id]);
  });

  it('fails a token deleted since, and restores the rest', async () => {
    const fixture = await offboarded();
    const { sim, account, engineers, deploy, record, restoreBundle } = fixture;
    sim.deleteToken(account, deploy.id);
    const result = await restoreBundle({ ...UNDO, record });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain(
      'The token was deleted since the offboarding, and a deleted token cannot come back',
    );
    expect(held(fixture, engineers)).toBe(true);
    expect(result.outputs['restored-tokens']).toBe('[]');
  });

  it('stops for a person removed from the account, and says how to invite them again', async () => {
    const { sim, account, ann, record, restoreBundle, writes } = await offboarded({ 'remove-from-account': 'true' });
    expect(sim.accounts.get(account)!.members.has(ann.id)).toBe(false);
    const result = await restoreBundle({ ...UNDO, record });
    expect(result.exitCode).toBe(1);
    expect(writes()).toEqual([]);
    expect(result.errors[0]).toContain(
      `ann@example.com is no longer a member of account ${account} (account member ${ann.id}): they were removed from the account`,
    );
    expect(result.errors[0]).toContain(
      'To give them access again, invite them: Manage Account > Members > Invite. The invitation makes a new member with a new ID, so this record then names another member',
    );
    expect(json(result.outputs.result)).toMatchObject({ inAccount: false, groups: [], tokens: [] });
    expect(result.outputs.restored).toBe('false');
  });

  it('in a dry run, reads everything and writes nothing', async () => {
    const { record, restoreBundle, writes } = await offboarded();
    const result = await restoreBundle({ ...UNDO, record, 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(writes()).toEqual([]);
    const parsed = json(result.outputs.result);
    expect([...parsed.groups, ...parsed.tokens].map((r: { outcome: string }) => r.outcome)).toEqual([
      'would-restore',
      'would-restore',
      'would-restore',
    ]);
    expect(result.outputs.restored).toBe('false');
  });

  it('records a POST in flight at SIGTERM as unknown, never as not done', async () => {
    const fixture = await offboarded();
    const { sim, engineers, record, restoreBundle } = fixture;
    sim.faults.push({ kind: 'apply-then-status', method: 'POST', status: 502, path: new RegExp(engineers.id) });
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'POST') child?.kill('SIGTERM');
    };
    const result = await restoreBundle(
      { ...UNDO, record, concurrency: '1' },
      { started: (running) => (child = running) },
    );
    expect(held(fixture, engineers)).toBe(true);
    expect(result.exitCode).toBe(1);
    const parsed = json(result.outputs.result);
    expect(parsed.interrupted).toBe('SIGTERM');
    const group = parsed.groups.find((g: { id: string }) => g.id === engineers.id);
    expect(group.outcome).toBe('unknown');
    expect(group.error).toContain('whether it took effect is unknown');
    expect(result.outputs.restored).toBe('');
    expect(result.errors[0]).toMatch(/^Stopped: SIGTERM/);
  });
});
