// The variants of ../bundle/restore.test.ts, in this process: every output shape of a real
// offboarding restored (and a second restore finding everything back), several accounts and
// members, a record of a run with every option, the inputs, the member read again, each way a
// group or a token can fail to come back, unclear answers settled by a read, the gate and the
// comment, and text in the record that tries to become a command or carry a secret.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenIdOf, type CloudflareSimulator, type RecordedRequest } from '../../simulator/cloudflare.ts';
import { sign } from '../../src/signature.ts';
import type { StopReason } from '../../src/watchdog.ts';
import { fleet, json, seeded, TOKEN } from '../helpers/fixture.ts';
import { fakeGitHub } from '../helpers/github-fake.ts';
import { expectNoForgedCommand, expectNoTrace } from '../helpers/hostile.ts';

const KEY = 'r'.repeat(40);
const UNDO = { 'member-email': 'ann@example.com', 'record-key': KEY };

/** ann offboarded from Engineers and Ops, her tokens deploy and ci disabled, with a signed record. */
async function offboarded(inputs: Record<string, string> = {}) {
  const fixture = await seeded();
  const { sim, account, ann, run } = fixture;
  const deploy = sim.addToken(account, {
    name: 'deploy',
    creator: 'ann@example.com',
    expires_on: '2030-01-01T00:00:00Z',
  });
  const ci = sim.addToken(account, { name: 'ci', creator: 'ann@example.com' });
  const ops = sim.addGroup(account, 'Ops', [ann.id]);
  const offboarding = await run({
    'all-groups': 'true',
    'member-email': 'ann@example.com',
    'member-tokens': 'disable',
    'record-key': KEY,
    ...inputs,
  });
  expect(offboarding.exitCode).toBe(0);
  const mark = fixture.sim.requests.length;
  /** The requests the restore sent. */
  const sent = () => fixture.sim.requests.slice(mark);
  return { ...fixture, deploy, ci, ops, offboarding, record: offboarding.outputs.accounts!, sent };
}

const writes = (requests: RecordedRequest[]) => requests.filter((r) => r.method !== 'GET');
const held = (sim: CloudflareSimulator, account: string, group: { id: string }, member: { id: string }) =>
  sim.group(account, group.id).memberIds.includes(member.id);

describe('a restore after a full offboarding', () => {
  it('reads every output the action writes, and a second restore finds everything back', async () => {
    const { sim, account, ann, engineers, ops, deploy, ci, offboarding, record, restore, sent } = await offboarded();
    const first = await restore({ ...UNDO, record });
    expect(first.exitCode).toBe(0);
    expect([held(sim, account, engineers, ann), held(sim, account, ops, ann)]).toEqual([true, true]);
    expect([sim.token(account, deploy.id), sim.token(account, ci.id)].map((t) => t.status)).toEqual([
      'active',
      'active',
    ]);
    // Every writable field as read: the expiry survives.
    expect(sim.token(account, deploy.id).expires_on).toBe('2030-01-01T00:00:00Z');
    expect(first.outputs.restored).toBe('true');
    expect(json(first.outputs['restored-groups']).sort()).toEqual([engineers.id, ops.id].sort());
    expect(json(first.outputs['restored-tokens']).sort()).toEqual([deploy.id, ci.id].sort());
    expect(
      writes(sent())
        .map((r) => r.method)
        .sort(),
    ).toEqual(['POST', 'POST', 'PUT', 'PUT']);
    expect(
      writes(sent())
        .filter((r) => r.method === 'POST')
        .map((r) => r.body),
    ).toEqual([[{ id: ann.id }], [{ id: ann.id }]]);
    for (const output of ['result', 'members'] as const) {
      const again = await restore({ ...UNDO, record: offboarding.outputs[output]! });
      expect(again.exitCode, output).toBe(0);
      expect(again.outputs.restored).toBe('false');
      const result = json(again.outputs.result);
      expect([...result.groups, ...result.tokens].map((r: { outcome: string }) => r.outcome)).toEqual([
        'not-needed',
        'not-needed',
        'not-needed',
        'not-needed',
      ]);
    }
    expect(writes(sent())).toHaveLength(4);
  });

  it('says what it never puts back, and logs what it is about to do', async () => {
    const { record, restore } = await offboarded({ 'revoke-access-sessions': 'true' });
    const result = await restore({ ...UNDO, record });
    expect(result.summary).toContain(
      'A restore never re-creates an account membership (a member removed from the account is invited again by a person: Manage Account > Members > Invite) and never restores Access sessions',
    );
    expect(result.stdout).toMatch(
      /Restoring ann@example\.com \(account member [0-9a-f]{32}\) in account [0-9a-f]{32}: 2 user group\(s\) and 2 API token\(s\) that the offboarding run signed at \S+ removed and disabled\./,
    );
    expect(result.summary).toMatch(
      /\| User group \| ` Engineers ` \| ` [0-9a-f]{32} ` \| ✅ restored · cf-ray ` [0-9a-f]{16}-SJC ` \|/,
    );
  });

  it('by member ID, from a record of a run with every option and several members', async () => {
    const fixture = await seeded();
    const { sim, account, ann, joann, engineers, billing, run, restore } = fixture;
    sim.addToken(account, { name: 'deploy', creator: 'joann@example.com' });
    sim.addSessions(account, 'ann@example.com');
    const offboarding = await run({
      'all-groups': 'true',
      'member-email': 'ann@example.com\njoann@example.com',
      'member-tokens': 'disable',
      'revoke-access-sessions': 'true',
      'revoke-devices': 'true',
      'confirm-in-audit-log': 'true',
      'record-key': KEY,
    });
    expect(offboarding.exitCode).toBe(0);
    expect(offboarding.outputs.result).toContain('"audit":"confirmed"');
    for (const output of ['result', 'members', 'accounts'] as const) {
      const result = await restore({ 'member-id': joann.id, 'record-key': KEY, record: offboarding.outputs[output]! });
      expect(result.exitCode, `${output}: ${result.errors.join()}`).toBe(0);
    }
    expect([held(sim, account, engineers, joann), held(sim, account, billing, joann)]).toEqual([true, true]);
    expect(held(sim, account, engineers, ann)).toBe(false);
  });

  it('in the one account it is asked for, of a run over several', async () => {
    const { sim, ids, accounts, run, restore, held: holding } = await fleet(3, [0, 2]);
    const offboarding = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'record-key': KEY });
    expect(holding(0)).toEqual([]);
    for (const output of ['result', 'members', 'accounts'] as const) {
      const result = await restore({ ...UNDO, 'account-id': ids[2]!, record: offboarding.outputs[output]! });
      expect(result.exitCode, output).toBe(0);
    }
    expect(holding(2).map((g) => g.name)).toEqual(['Engineers', 'Billing']);
    expect(holding(0)).toEqual([]);
    // Not in account 1: its entry names no member, and the record says so.
    const none = await restore({ ...UNDO, 'account-id': ids[1]!, record: offboarding.outputs.accounts! });
    expect(none.exitCode).toBe(1);
    expect(none.errors[0]).toContain('names no member ID: that run found no such member in account');
    expect(accounts[1]!.ann).toBeUndefined();
    expect(sim.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('from a file, the way an artifact arrives', async () => {
    const { record, restore } = await offboarded();
    const file = join(tmpdir(), `record-${process.pid}-${Date.now()}.json`);
    await writeFile(file, `${record}\n`);
    const result = await restore({ ...UNDO, 'record-file': file });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.restored).toBe('true');
  });
});

describe('the inputs of a restore', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['no record', {}, 'record: required: the result, members or accounts output of the offboarding run'],
    ['a record and a file', { record: '[]', 'record-file': '/tmp/x' }, 'record, record-file: give exactly one of them'],
    [
      'no record-key',
      { record: '[]', 'record-key': '' },
      'record-key: required: the secret the offboarding run signed',
    ],
    ['a short record-key', { record: '[]', 'record-key': 'short' }, 'record-key: at least 32 characters'],
    [
      'several accounts',
      { record: '[]', 'account-id': `${'a'.repeat(32)},${'b'.repeat(32)}` },
      'account-id: one account: a restore puts back what one offboarding removed in one account',
    ],
    ['several people', { record: '[]', 'member-email': 'ann@example.com,bob@example.com' }, 'member-email: one person'],
    ['no person', { record: '[]', 'member-email': '' }, 'member-email: required'],
    [
      'an address pasted from a mail client',
      { record: '[]', 'member-email': '<ann@example.com>' },
      'member-email: expected one plain email address',
    ],
    [
      'a file that is not there',
      { 'record-file': '/nonexistent/record.json' },
      'record-file: could not read /nonexistent/record.json',
    ],
  ];
  it.each(cases)('refuses %s before any request', async (_, inputs, says) => {
    const { sim, restore } = await seeded();
    const result = await restore({ ...UNDO, ...inputs });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toContain(says);
    expect(result.outputs).toMatchObject({ restored: 'false', 'restored-groups': '[]', 'restored-tokens': '[]' });
    expect(result.summary).toContain('The restore stopped before any request to Cloudflare; nothing was restored.');
  });

  it('refuses a protected person before any request, by the record or by the member as read', async () => {
    const { ann, record, restore, sent } = await offboarded();
    const byId = await restore({ ...UNDO, record, 'protected-members': ann.id });
    expect(byId.errors[0]).toContain(
      `protected-members: ${ann.id} is protected, and a restore never acts on a protected member`,
    );
    expect(sent()).toEqual([]);
  });

  it('refuses a person whose protected email only the member, read again, shows', async () => {
    const { sim, ann, engineers, run, restore } = await seeded();
    // One DELETE by ID, answered with the ID alone: the record names no email.
    sim.faults.push({
      kind: 'answer',
      method: 'DELETE',
      body: (body: { result: { id: string } }) => ({ ...body, result: { id: body.result.id } }),
    });
    const offboarding = await run({ 'member-id': ann.id, 'user-group-id': engineers.id, 'record-key': KEY });
    expect(json(offboarding.outputs.result).member).toEqual({ id: ann.id });
    const mark = sim.requests.length;
    const result = await restore({
      'member-id': ann.id,
      'record-key': KEY,
      record: offboarding.outputs.result!,
      'protected-members': 'Ann@Example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('protected-members: ann@example.com is protected');
    expect(sim.requests.slice(mark).map((r) => r.method)).toEqual(['GET']);
  });
});

describe('the member, read again', () => {
  it('is no longer the person the record names: nothing written', async () => {
    const { sim, account, ann, record, restore, sent } = await offboarded();
    sim.member(account, ann.id).email = 'someone.else@example.com';
    const result = await restore({ ...UNDO, record });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain(
      `Account member ${ann.id} now has someone.else@example.com, not ann@example.com as the inputs and the record name; refusing.`,
    );
    expect(writes(sent())).toEqual([]);
    expect(json(result.outputs.result)).toMatchObject({ inAccount: true, groups: [], tokens: [] });
  });

  it('cannot be read: refused, with the permission it needs', async () => {
    const { sim, record, restore, sent } = await offboarded();
    sim.faults.push({ kind: 'status', status: 403, method: 'GET', path: /\/members\/[0-9a-f]{32}$/ });
    const result = await restore({ ...UNDO, record });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('Could not read account member');
    expect(result.errors[0]).toContain('this needs the "Account Settings Read" permission');
    expect(writes(sent())).toEqual([]);
  });
});

describe('a group that does not come back', () => {
  it('was deleted since, is managed by SCIM now, or the POST is refused: each fails, the others are restored', async () => {
    const { sim, account, ann, engineers, ops, record, restore } = await offboarded();
    const billing = sim.addGroup(account, 'Spare', []);
    sim.deleteGroup(account, engineers.id);
    sim.group(account, ops.id).scim = true;
    const result = await restore({ ...UNDO, record });
    expect(result.exitCode).toBe(1);
    const groups = json(result.outputs.result).groups;
    expect(groups).toEqual([
      {
        id: engineers.id,
        outcome: 'failed',
        error: expect.stringContaining("The group no longer exists: the account's user group listing does not have it"),
      },
      {
        id: ops.id,
        name: 'Ops',
        outcome: 'failed',
        error: expect.stringContaining(
          'The group is managed by SCIM (synced from an identity provider), and such a group cannot be changed through the API: add the person to the group in the identity provider',
        ),
        rays: [expect.stringMatching(/-SJC$/)],
      },
    ]);
    expect(json(result.outputs.result).tokens.map((t: { outcome: string }) => t.outcome)).toEqual([
      'restored',
      'restored',
    ]);
    expect(result.errors[0]).toMatch(/^Could not restore 2 of 4 for ann@example\.com:\n- User group /);
    expect(held(sim, account, ops, ann)).toBe(false);
    expect(sim.group(account, billing.id).memberIds).toEqual([]);
  });

  it('a refusal names the permission; a group listing that fails restores no group', async () => {
    const one = await offboarded();
    one.sim.faults.push({ kind: 'status', status: 403, method: 'POST', times: 5 });
    const refused = await one.restore({ ...UNDO, record: one.record });
    expect(refused.errors[0]).toContain('"Account Settings Write" or "SCIM Provisioning" permission');
    const two = await offboarded();
    two.sim.faults.push({ kind: 'status', status: 500, method: 'GET', path: /\/iam\/user_groups$/, times: 10 });
    const unlisted = await two.restore({ ...UNDO, record: two.record, 'max-retries': '0' });
    expect(json(unlisted.outputs.result).groups.map((g: { error: string }) => g.error)).toEqual([
      expect.stringContaining("Could not list the account's user groups, so none was restored"),
      expect.stringContaining("Could not list the account's user groups, so none was restored"),
    ]);
    expect(writes(two.sent()).filter((r) => r.method === 'POST')).toEqual([]);
  });
});

describe('answers that do not say plainly', () => {
  it('a POST applied and answered 502 is settled by the read: restored, with a note', async () => {
    const { sim, account, ann, engineers, record, restore } = await offboarded();
    sim.faults.push({ kind: 'apply-then-status', status: 502, method: 'POST', path: new RegExp(engineers.id) });
    const result = await restore({ ...UNDO, record, 'max-retries': '0' });
    expect(held(sim, account, engineers, ann)).toBe(true);
    const group = json(result.outputs.result).groups.find((g: { id: string }) => g.id === engineers.id);
    expect(group).toMatchObject({
      outcome: 'restored',
      note: expect.stringContaining('a read shows the member in the group'),
    });
    expect(result.exitCode).toBe(0);
  });

  it('a POST answered 200 without the member, and not applied: failed after the read', async () => {
    const { sim, account, ann, engineers, record, restore } = await offboarded();
    sim.faults.push({
      kind: 'answer',
      method: 'POST',
      path: new RegExp(engineers.id),
      body: { success: true, errors: [], messages: [], result: [] },
    });
    const result = await restore({ ...UNDO, record });
    expect(held(sim, account, engineers, ann)).toBe(false);
    const group = json(result.outputs.result).groups.find((g: { id: string }) => g.id === engineers.id);
    expect(group.outcome).toBe('failed');
    expect(group.error).toContain(
      'The answer was unclear (the answer does not list the member), but a read right after shows the member not in the group',
    );
  });

  it('a POST in flight when the run stops is unknown, never "not done"; what was not started is not done', async () => {
    const { sim, account, ann, engineers, record, restore } = await offboarded();
    sim.faults.push({ kind: 'apply-then-status', status: 502, method: 'POST', path: new RegExp(engineers.id) });
    let stop: ((reason: StopReason) => void) | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'POST') stop?.('SIGTERM');
    };
    const result = await restore({ ...UNDO, record, concurrency: '1' }, { interrupt: (s) => (stop = s) });
    expect(held(sim, account, engineers, ann)).toBe(true);
    expect(result.exitCode).toBe(1);
    const parsed = json(result.outputs.result);
    expect(parsed.interrupted).toBe('SIGTERM');
    const engineersResult = parsed.groups.find((g: { id: string }) => g.id === engineers.id);
    expect(['restored', 'unknown']).toContain(engineersResult.outcome);
    expect(engineersResult.error ?? '').not.toMatch(/Not done/);
    expect(result.outputs.restored).not.toBe('false');
    expect(parsed.tokens.map((t: { outcome: string; error: string }) => [t.outcome, t.error.slice(0, 25)])).toEqual([
      ['failed', 'Not done: the run stopped'],
      ['failed', 'Not done: the run stopped'],
    ]);
    expect(result.summary).toContain('**Stopped** (SIGTERM');
  });

  it('a token update in flight when the run stops is unknown; one whose read fails after is unknown', async () => {
    const { sim, account, deploy, record, restore } = await offboarded();
    sim.faults.push({ kind: 'apply-then-status', status: 502, method: 'PUT', path: new RegExp(deploy.id) });
    let stop: ((reason: StopReason) => void) | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'PUT') stop?.('SIGTERM');
    };
    const result = await restore({ ...UNDO, record, concurrency: '1' }, { interrupt: (s) => (stop = s) });
    expect(sim.token(account, deploy.id).status).toBe('active');
    const token = json(result.outputs.result).tokens.find((t: { id: string }) => t.id === deploy.id);
    expect(['restored', 'unknown']).toContain(token.outcome);
    expect(token.error ?? '').not.toMatch(/Not done/);
  });
});

describe('a token that does not come back', () => {
  it('deleted since, expired since, active already: each said, nothing written to them', async () => {
    const { sim, account, deploy, ci, record, restore, sent } = await offboarded();
    sim.deleteToken(account, deploy.id);
    sim.token(account, ci.id).status = 'expired';
    const result = await restore({ ...UNDO, record });
    expect(result.exitCode).toBe(1);
    const tokens = json(result.outputs.result).tokens;
    expect(tokens).toEqual([
      {
        id: deploy.id,
        outcome: 'failed',
        error: expect.stringContaining(
          'The token was deleted since the offboarding, and a deleted token cannot come back',
        ),
      },
      {
        id: ci.id,
        name: 'ci',
        outcome: 'failed',
        error: expect.stringContaining('The token has expired since the offboarding'),
      },
    ]);
    expect(writes(sent()).filter((r) => r.method === 'PUT')).toEqual([]);
    sim.token(account, ci.id).status = 'active';
    const again = await restore({ ...UNDO, record });
    expect(json(again.outputs.result).tokens[1]).toMatchObject({
      outcome: 'not-needed',
      note: 'the token is active already',
    });
  });
});

describe('the token this run authenticates with', () => {
  it('is never written, even when a signed record names it as disabled', async () => {
    const { sim, account, ann, restore, run } = await seeded();
    await run({ 'member-id': ann.id, 'user-group-name': 'Engineers', 'member-tokens': 'report' });
    const own = tokenIdOf(TOKEN);
    sim.token(account, own).status = 'disabled';
    const at = '2026-12-07T10:00:00.000Z';
    const facts = { account, memberId: ann.id, email: 'ann@example.com', removedGroups: [], disabledTokens: [own], at };
    const entry = {
      id: ann.id,
      email: 'ann@example.com',
      removedGroups: [],
      skippedGroups: [],
      tokens: {
        outcome: 'disabled',
        tokens: [{ id: own, name: 'automation', status: 'disabled', outcome: 'disabled' }],
      },
      signature: { account, at, value: sign(KEY, facts) },
    };
    const mark = sim.requests.length;
    const result = await restore({ ...UNDO, record: JSON.stringify([entry]) });
    expect(result.exitCode).toBe(1);
    expect(json(result.outputs.result).tokens).toEqual([
      expect.objectContaining({
        id: own,
        outcome: 'failed',
        error: expect.stringContaining('a run never writes to its own token'),
      }),
    ]);
    expect(writes(sim.requests.slice(mark))).toEqual([]);
  });
});

describe('a dry run', () => {
  it('reads everything, writes nothing, and says what would be restored', async () => {
    const { sim, account, ann, ops, record, restore, sent } = await offboarded();
    sim.group(account, ops.id).memberIds.push(ann.id);
    const result = await restore({ ...UNDO, record, 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(writes(sent())).toEqual([]);
    const parsed = json(result.outputs.result);
    expect(parsed.dryRun).toBe(true);
    expect([...parsed.groups, ...parsed.tokens].map((r: { outcome: string }) => r.outcome)).toEqual([
      'would-restore',
      'not-needed',
      'would-restore',
      'would-restore',
    ]);
    expect(result.outputs).toMatchObject({ restored: 'false', 'restored-groups': '[]', 'restored-tokens': '[]' });
    expect(result.summary).toContain('**Dry run**: nothing was changed; the table shows what would be restored.');
  });
});

describe('an issue-triggered restore', () => {
  it('is gated as the offboarding is, and comments under a marker of its own, never over the offboarding', async () => {
    const { sim, record, restore, sent } = await offboarded();
    const offboardingComment = {
      id: 1,
      author: 'github-actions[bot]',
      body: '<!-- cloudflare-remove-group-member:result -->\nthe record',
    };
    const denied = fakeGitHub({
      roles: { filer: 'triage', lead: 'maintain' },
      event: { author: 'filer', sender: 'filer', label: 'restore-approved' },
      comments: [offboardingComment],
    });
    const inputs = {
      ...UNDO,
      record,
      'required-permission': 'triage',
      'approver-permission': 'maintain',
      'comment-on-issue': 'true',
      'github-token': 'ghs_x',
    };
    const refused = await restore(inputs, { event: { name: 'issues', github: denied.connect } });
    expect(refused.exitCode).toBe(1);
    expect(sent()).toEqual([]);
    expect(refused.errors[0]).toContain('approver-permission');
    expect(denied.comments.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- cloudflare-remove-group-member:result -->',
      '<!-- cloudflare-remove-group-member:restore -->',
    ]);
    expect(denied.comments[0]!.body).toBe(offboardingComment.body);
    const approved = fakeGitHub({
      roles: { filer: 'triage', lead: 'maintain' },
      event: { author: 'filer', sender: 'lead', label: 'restore-approved' },
      comments: denied.comments,
    });
    const done = await restore(inputs, { event: { name: 'issues', github: approved.connect } });
    expect(done.exitCode).toBe(0);
    expect(approved.comments).toHaveLength(2);
    expect(approved.comments[1]!.body).toContain('✅ restored');
    expect(approved.calls).toContain(
      'update 101 ## Restore ` ann@example.com ` in Cloudflare account ' + `\` ${sim.accounts.keys().next().value} \``,
    );
  });
});

describe('a hostile record', () => {
  it('never turns its text into a workflow command, or shows a secret it carries', async () => {
    const { record, restore, sent } = await offboarded();
    const entry = json(record);
    entry[0].members[0].email = `::error::forged ${KEY} ##[warning]x\n::add-mask::y`;
    const result = await restore({ ...UNDO, record: JSON.stringify(entry) });
    expect(result.exitCode).toBe(1);
    expect(sent()).toEqual([]);
    expect(result.errors[0]).toContain('record: it is about');
    expectNoForgedCommand(result, ['cfut_test-token-0123456789abcdef', KEY]);
    expectNoTrace(result, KEY);
  });
});
