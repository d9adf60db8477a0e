// Every answer is untrusted input: ids that are not ids, entries of the wrong shape, answers that
// name someone else. And whatever path the run takes, the record says what was actually removed.
import { describe, expect, it } from 'vitest';
import { deletes, json, seeded } from '../helpers/fixture.ts';

describe('answers of the wrong shape', () => {
  it('never puts an id from an answer into a URL unless it is 32 hexadecimal characters', async () => {
    const { sim, account, engineers, run } = await seeded();
    const hostile = { id: `${engineers.id}/../../../../members/${'0'.repeat(32)}`, name: 'Sneaky' };
    sim.faults.push({
      kind: 'answer',
      path: /user_groups$/,
      body: (body: { result: unknown[] }) => ({ ...body, result: [...body.result, hostile] }),
    });
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(sim.requests.filter((r) => r.path.includes('..') || r.path.includes('/members/0000'))).toEqual([]);
    expect(result.errors[0]).toContain(
      `GET /accounts/${account}/iam/user_groups page 1: entry 3 is not a user group: its "id" is a text of 85 characters, not 32 hexadecimal characters.`,
    );
  });

  it('refuses when an account member entry has the wrong shape, before any DELETE', async () => {
    const { sim, engineers, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      path: /\/members$/,
      body: (body: { result: unknown[] }) => ({
        ...body,
        result: [...body.result, { id: 'c'.repeat(32), user: { email: 42 } }],
      }),
    });
    const result = await run({ 'user-group-id': engineers.id, 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toMatch(
      /^Could not list the members of account \w+ to find ann@example\.com: GET \S+ page 1: entry 3 is not an account member: the email is 42, not text\. This is not an answer the Cloudflare API gives: check api-base-url/,
    );
  });

  it('refuses when an account member has no email at all: it could be the one asked for', async () => {
    const { sim, engineers, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      path: /\/members$/,
      body: (body: { result: unknown[] }) => ({
        ...body,
        result: [...body.result, { id: 'c'.repeat(32), status: 'pending' }],
      }),
    });
    const result = await run({ 'user-group-id': engineers.id, 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain(
      `1 member without an email (${'c'.repeat(32)}), so it cannot tell whether ann@example.com is among them; refusing. Use member-id.`,
    );
  });

  it('fails only the group whose member list has an entry of the wrong shape', async () => {
    const { sim, account, joann, engineers, billing, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      path: new RegExp(`${billing.id}/members$`),
      body: (body: { result: unknown[] }) => ({ ...body, result: [...body.result, null] }),
    });
    const result = await run({ 'all-groups': 'true', 'member-id': joann.id });
    expect(result.exitCode).toBe(1);
    expect(json(result.outputs['removed-groups'])).toEqual([engineers.id]);
    expect(result.errors[0]).toContain(
      `"Billing" (${billing.id}): Could not read the group's members: GET /accounts/${account}/iam/user_groups/${billing.id}/members page 1: entry 2 is not a group member: it is null.`,
    );
    expect(sim.group(account, billing.id).memberIds).toEqual([joann.id]);
  });

  it('takes the id output from the run, never from a DELETE answer that names another member', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      method: 'DELETE',
      body: (body: object) => ({
        ...body,
        result: { id: 'd'.repeat(32), email: 'mallory@evil.test', status: 'accepted' },
      }),
    });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ id: ann.id, email: '', status: '' });
    expect(result.outputs.result).not.toContain('mallory');
  });
});

describe('protection on the settled identity', () => {
  it('refuses when the account member read answers another id', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      path: new RegExp(`/members/${ann.id}$`),
      method: 'GET',
      body: (body: { result: object }) => ({
        ...body,
        result: { ...body.result, id: 'd'.repeat(32), email: 'someone@example.com' },
      }),
    });
    const result = await run({
      'user-group-id': engineers.id,
      'member-id': ann.id,
      'protected-members': 'ann@example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toBe(
      `Reading account member ${ann.id} answered with another member (${'d'.repeat(32)}); refusing rather than guess who the member is.`,
    );
  });

  it('refuses when protection depends on an email the account member record does not give', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      path: new RegExp(`/members/${ann.id}$`),
      method: 'GET',
      body: (body: { result: object }) => ({ ...body, result: { id: ann.id, status: 'accepted' } }),
    });
    const result = await run({
      'user-group-id': engineers.id,
      'member-id': ann.id,
      'protected-members': 'root@example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain(
      `protected-members: the account member record of ${ann.id} has no email, so it cannot be checked against the protected emails; refusing.`,
    );
  });
});

describe('a complete record on every path', () => {
  it('keeps the removals already done when a later page of groups fails', async () => {
    const { sim, account, ann, run } = await seeded();
    const holding: string[] = [];
    for (let i = 0; i < 520; i++) {
      const group = sim.addGroup(account, `Team ${i}`, i % 100 === 0 ? [ann.id] : []);
      if (i % 100 === 0 && i < 498) holding.push(group.id);
    }
    sim.faults.push({ kind: 'answer', path: /user_groups$/, body: (body: object) => body });
    sim.faults.push({ kind: 'status', status: 500, path: /user_groups$/, times: 10 });
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'max-retries': '1' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.removed).toBe('true');
    expect(json(result.outputs['removed-groups']).sort()).toEqual(expect.arrayContaining(holding));
    expect(result.errors[0]).toMatch(
      /^Could not list every user group of the account: GET \S+: HTTP 500 Internal Server Error: 10500: Simulated 500 \(after 2 attempts\)\. The 500 groups listed before it were handled; the rest were not checked\./,
    );
    expect(result.summary).toContain('The run stopped part-way; the table lists what was removed before it stopped.');
    expect(result.summary).toContain('✅ removed');
    expect(json(result.outputs.result).failure).toContain('Could not list every user group');
  });

  it('fails a group whose members cannot be read, naming it and what to check, never skipping it', async () => {
    const { sim, account, joann, engineers, run } = await seeded();
    const locked = sim.addGroup(account, 'Locked', [joann.id], { unreadable: true });
    const result = await run({ 'all-groups': 'true', 'member-id': joann.id, 'if-not-member': 'skip' });
    expect(result.exitCode).toBe(1);
    expect(json(result.outputs['removed-groups'])).toContain(engineers.id);
    expect(json(result.outputs['skipped-groups'])).toEqual([]);
    expect(result.errors[0]).toContain(
      `"Locked" (${locked.id}): Could not read the group's members: GET /accounts/${account}/iam/user_groups/${locked.id}/members: HTTP 400 Bad Request: 1000: Policy validation failed. Cloudflare cannot validate this group's policies, so its members cannot be read: check the group's policies in the Cloudflare dashboard, then run again.`,
    );
  });
});
