// Variants of the trust families, in this process: totals that pages contradict or that pages need,
// records that disagree with themselves, unclear answers, outside text, sizes, an interrupted run.
import { describe, expect, it } from 'vitest';
import { deletes, json, seeded, TOKEN } from '../helpers/fixture.ts';
import { fakeGitHub } from '../helpers/github-fake.ts';

describe('listings held to their totals', () => {
  it('pages on past short pages while the totals say more follow, and finds a member on a late page', async () => {
    const { sim, account, ann, engineers, run } = await seeded({ underfill: 3 });
    const late = Array.from({ length: 14 }, (_, i) => sim.addGroup(account, `Team ${i}`, i === 13 ? [ann.id] : []));
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(0);
    // Engineers, on the first page, and Team 13, on the last.
    expect(json(result.outputs['removed-groups'])).toEqual([engineers.id, late[13]!.id]);
    expect(json(result.outputs['remaining-access']).complete).toBe(true);
  });

  it('refuses to say who the member is from an account member list that ends before its totals', async () => {
    const { sim, account, engineers, run } = await seeded({ truncateFrom: 2, underfill: 5 });
    for (let i = 0; i < 8; i++) sim.addMember(account, `colleague${i}@example.com`);
    const result = await run({ 'user-group-id': engineers.id, 'member-email': 'nobody@example.com' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain(`Could not list the members of account ${account} to find nobody@example.com`);
    expect(result.errors[0]).not.toContain('No member of account');
  });

  it('fails a listing that names one member twice with different data', async () => {
    const { sim, ann, engineers, run } = await seeded();
    const twice = (body: { result: Array<{ id: string }> }) => ({
      ...body,
      result: [...body.result, { ...body.result.find((m) => m.id === ann.id)!, status: 'pending' }],
    });
    sim.faults.push({ kind: 'answer', path: /\/members$/, body: twice });
    const result = await run({ 'user-group-id': engineers.id, 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain(`names ${ann.id} twice with different data`);
  });
});

describe('protected members', () => {
  it('warns about a protected email no member of the account has', async () => {
    const { account, engineers, run } = await seeded();
    const result = await run({
      'user-group-id': engineers.id,
      'member-email': 'ann@example.com',
      'protected-members': 'ownr@example.com',
    });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([
      `protected-members: no member of account ${account} has the email ownr@example.com; check it for a typo.`,
    ]);
  });

  it('gives no advice to remove a protected member from the account', async () => {
    const { ann, run } = await seeded();
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'protected-members': ann.id });
    expect(result.exitCode).toBe(1);
    expect(json(result.outputs['remaining-access']).complete).toBe(false);
    expect(result.summary).not.toContain('Remove the account member');
    expect(result.summary).not.toContain('remove the account member');
  });
});

describe('answers that are not a plain "removed"', () => {
  it('settles a 202, an answer naming another member, and one naming no member, by reading each group', async () => {
    const { sim, account, ann, run } = await seeded();
    const groups = ['A', 'B', 'C'].map((name) => sim.addGroup(account, name, [ann.id]));
    const on = (id: string) => new RegExp(`${id}/members/`);
    const named = (id: unknown) => (body: object) => ({ ...body, result: { id } });
    sim.faults.push(
      { kind: 'answer', method: 'DELETE', path: on(groups[0]!.id), status: 202, body: (body: object) => body },
      { kind: 'answer', method: 'DELETE', path: on(groups[1]!.id), body: named('d'.repeat(32)) },
      { kind: 'answer', method: 'DELETE', path: on(groups[2]!.id), body: named(null) },
    );
    const result = await run({ 'user-group-id': groups.map((g) => g.id).join(','), 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs.result).groups.map((g: { note: string }) => g.note)).toEqual([
      'the answer was unclear (DELETE answered HTTP 202 instead of 200); a read shows the member is no longer in the group',
      `the answer was unclear (DELETE answered the answer names another member, "${'d'.repeat(32)}"); a read shows the member is no longer in the group`,
      'the answer was unclear (DELETE answered the answer names no member); a read shows the member is no longer in the group',
    ]);
  });

  it('fails a group whose unclear answer a read shows did not remove the member', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'raw', method: 'DELETE', status: 204, rawBody: '' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('HTTP 204 No Content with a body that is not a Cloudflare JSON answer');
    expect(result.errors[0]).toContain('The member is still in the group.');
  });

  it('says how it knows, after a 502 and then a 404, that the member is gone', async () => {
    const { sim, ann, billing, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 502, method: 'DELETE' });
    const result = await run({ 'user-group-id': billing.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs.result).groups[0].note).toBe(
      'an earlier attempt had no clear answer, and the member is no longer in the group: that attempt removed them, or they were not in it',
    );
  });

  it('names a compressed answer by its encoding instead of showing it', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({
      kind: 'raw',
      status: 400,
      contentType: 'application/json',
      encoding: 'gzip',
      rawBody: '\u001f\u008b\u0008binary',
    });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.errors[0]).toContain(
      'HTTP 400 Bad Request with a body that is not a Cloudflare JSON answer (application/json), compressed as "gzip", which the action did not ask for',
    );
    expect(result.stdout).not.toContain('binary');
  });

  it('leaves out a member status the API does not document', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      method: 'DELETE',
      body: (body: object) => ({ ...body, result: { id: ann.id, status: 'accepted\n::stop-commands::x' } }),
    });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('');
  });
});

describe('credentials an answer echoes', () => {
  it('are redacted when base64-encoded or broken across lines', async () => {
    const { sim, ann, engineers, run } = await seeded();
    const header = Buffer.from(`Bearer ${TOKEN}`).toString('base64');
    const wrapped = `${TOKEN.slice(0, 12)}\n  ${TOKEN.slice(12)}`;
    sim.faults.push({
      kind: 'answer',
      status: 400,
      body: {
        success: false,
        errors: [{ code: 6003, message: `seen ${header} and ${wrapped}` }],
        messages: [],
        result: null,
      },
    });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    const seen = [result.stdout.replace(/^::add-mask::.*$/gm, ''), JSON.stringify(result.outputs), result.summary].join(
      '\n',
    );
    expect(seen).not.toContain(header.slice(12, 40));
    expect(seen).not.toContain(TOKEN.slice(12));
    expect(result.errors[0]).toContain('seen ');
  });
});

describe('sizes', () => {
  it('keeps the summary, the outputs and the comment within GitHub limits, with exact counts', async () => {
    const { sim, account, ann, run } = await seeded();
    const many = Array.from({ length: 400 }, (_, i) =>
      sim.addGroup(account, `Team ${i} ${'x'.repeat(200)}`, [ann.id], { scim: true }),
    );
    const long = 'refused '.repeat(500);
    sim.faults.push({
      kind: 'answer',
      status: 409,
      method: 'DELETE',
      times: 1000,
      body: { success: false, errors: [{ code: 1, message: long }], messages: [], result: null },
    });
    const { connect, comments } = fakeGitHub({ roles: { mona: 'admin' } });
    const result = await run(
      { 'all-groups': 'true', 'member-id': ann.id, 'comment-on-issue': 'true', 'github-token': 'ghs_x' },
      {
        event: { name: 'issues', github: connect },
        env: {
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_REPOSITORY: 'octo-org/offboarding',
          GITHUB_RUN_ID: '42',
        },
      },
    );
    expect(result.exitCode).toBe(1);
    expect(Buffer.byteLength(result.summary)).toBeLessThan(1_048_576);
    expect(result.outputs.result!.length).toBeLessThan(1_000_000);
    expect(json(result.outputs.result).groups).toHaveLength(many.length + 1);
    expect(result.warnings).toEqual([]);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.length).toBeLessThan(65_536);
    expect(comments[0]!.body).toContain(
      'This comment is shortened; the job summary of the run has the whole record: https://github.com/octo-org/offboarding/actions/runs/42',
    );
    expect(comments[0]!.body).toContain(`in all: ${many.length + 1} ❌ failed`);
  });
});

describe('an interrupted run', () => {
  it('stops starting requests, keeps what was settled, and says so', async () => {
    const { sim, account, ann, run } = await seeded();
    for (let i = 0; i < 30; i++) sim.addGroup(account, `Team ${i}`, [ann.id]);
    let stop: (reason: 'SIGINT' | 'SIGTERM') => void = () => {};
    let seen = 0;
    sim.faults.push({
      kind: 'answer',
      method: 'DELETE',
      times: 100,
      body: (body: object) => (++seen === 5 && stop('SIGTERM'), body),
    });
    const result = await run(
      { 'all-groups': 'true', 'member-id': ann.id, concurrency: '2' },
      { interrupt: (s) => (stop = s) },
    );
    expect(result.exitCode).toBe(1);
    const removed = json(result.outputs['removed-groups']);
    expect(removed.length).toBeGreaterThanOrEqual(5);
    expect(removed.length).toBeLessThan(31);
    expect(deletes(sim).length).toBe(removed.length);
    expect(json(result.outputs.result).interrupted).toBe('SIGTERM');
    expect(result.errors[0]).toContain('Stopped: SIGTERM');
  });
});
