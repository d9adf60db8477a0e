// Trust under real conditions, against the bundle, as an attacker or a careless copy would try it:
// pasted addresses, records that disagree with themselves, listings that contradict their totals,
// answers that are neither "removed" nor "not removed", a cancelled run, an unusable proxy, an
// unwritable output file, a server that makes the run wait, and text meant to forge log lines.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deletes, json, runBundle, seeded, TOKEN } from '../helpers/fixture.ts';
import { expectNoForgedCommand } from '../helpers/hostile.ts';
import { commandsIn } from '../helpers/runner-commands.ts';

const FAST_TIME = fileURLToPath(new URL('../helpers/fast-time.ts', import.meta.url));
const MEMBERS_LIST = /^\/accounts\/\w+\/members$/;

describe('a protected member', () => {
  it('pasted as <address> is an input error that shows the entry, before any request', async () => {
    const { sim, engineers, bundle } = await seeded();
    const result = await bundle({
      'user-group-id': engineers.id,
      'member-email': 'ann@example.com',
      'protected-members': '<owner@example.com>\nowner\u200b@example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toContain('"<owner@example.com>" (no quotes, angle brackets, commas or semicolons)');
    expect(result.errors[0]).toContain('"owner<U+200B>@example.com" (printable ASCII only');
    expect(result.summary).toContain('The run stopped before any request to Cloudflare; nothing was removed.');
  });

  it('is found under any email the record carries, and a record with two emails never goes by email', async () => {
    const { sim, account, ann, engineers, bundle } = await seeded();
    // ann's record says user.email ann@..., but its own email field is the protected owner's.
    const twoEmails = (body: { result: Array<{ id: string; email: string }> }) => ({
      ...body,
      result: body.result.map((m) => (m.id === ann.id ? { ...m, email: 'owner@example.com' } : m)),
    });
    sim.faults.push({ kind: 'answer', path: MEMBERS_LIST, body: twoEmails, times: 2 });
    const guarded = await bundle({
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'protected-members': 'owner@example.com',
    });
    expect(guarded.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(guarded.errors[0]).toContain('protected-members: owner@example.com is protected');
    const unprotected = await bundle({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
    expect(unprotected.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(unprotected.errors[0]).toContain(
      `The account member record of ${ann.id} carries two different emails (ann@example.com and owner@example.com)`,
    );
    expect(sim.group(account, engineers.id).memberIds).toContain(ann.id);
  });
});

describe('a listing that contradicts its own totals', () => {
  it('fails the sweep, never says no group holds the member, and reports the remaining access as incomplete', async () => {
    const { sim, account, ann, bundle } = await seeded({ underfill: 5, truncateFrom: 3 });
    for (let i = 0; i < 20; i++) sim.addGroup(account, `Team ${i}`, i === 18 ? [ann.id] : []);
    const result = await bundle({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('Could not list every user group of the account');
    expect(result.errors[0]).toContain('read twice), but its answers announced');
    expect(result.summary).not.toContain('No user group of the account holds');
    expect(json(result.outputs['remaining-access']).complete).toBe(false);
    expect(result.summary).toContain('**Incomplete**');
  });
});

describe('answers that say neither "removed" nor "not removed"', () => {
  it('are settled by reading the group: 204 with no body, 200 text/plain, a 500 after the change', async () => {
    const { sim, account, ann, bundle } = await seeded();
    const groups = ['A', 'B', 'C'].map((name) => sim.addGroup(account, name, [ann.id]));
    const on = (id: string) => new RegExp(`${id}/members/`);
    sim.faults.push(
      { kind: 'raw', method: 'DELETE', path: on(groups[0]!.id), status: 204, rawBody: '', applied: true },
      { kind: 'raw', method: 'DELETE', path: on(groups[1]!.id), status: 200, rawBody: 'deleted', applied: true },
      { kind: 'apply-then-status', method: 'DELETE', path: on(groups[2]!.id), status: 500 },
    );
    const result = await bundle({
      'user-group-id': groups.map((g) => g.id).join(','),
      'member-id': ann.id,
      'max-retries': '0',
    });
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs['removed-groups']).sort()).toEqual(groups.map((g) => g.id).sort());
    const notes = json(result.outputs.result).groups.map((g: { note: string }) => g.note);
    expect(notes.every((note: string) => note.includes('a read shows the member is no longer in the group'))).toBe(
      true,
    );
  });
});

describe('a cancelled run', () => {
  it('stops on SIGINT mid-sweep, writes outputs and summary saying what it removed, and exits with failure', async () => {
    const { sim, account, ann, engineers, base } = await seeded({ latencyMs: 60 });
    const holding = Array.from({ length: 120 }, (_, i) => sim.addGroup(account, `Team ${i}`, [ann.id]));
    let started = 0;
    const result = await runBundle(
      { ...base, 'all-groups': 'true', 'member-id': ann.id, concurrency: '4' },
      {
        started: (child) => {
          started = Date.now();
          setTimeout(() => child.kill('SIGINT'), 1_200);
        },
      },
    );
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(result.exitCode).toBe(1);
    const held = [engineers, ...holding];
    const gone = held.filter((g) => !sim.group(account, g.id).memberIds.includes(ann.id)).map((g) => g.id);
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.length).toBeLessThan(holding.length);
    expect(json(result.outputs['removed-groups']).sort()).toEqual(gone.sort());
    expect(json(result.outputs.result).interrupted).toBe('SIGINT');
    expect(result.summary).toContain('**Stopped** (SIGINT');
    expect(result.errors[0]).toMatch(
      /^Stopped: SIGINT: the run was cancelled or reached its timeout-minutes\. Removed from \d+ user groups before it stopped/,
    );
    expect(json(result.outputs['remaining-access']).complete).toBe(false);
  });
});

describe('the environment', () => {
  it('names an unusable HTTPS_PROXY, in a complete record, without a crash', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    const inputs = {
      'user-group-id': engineers.id,
      'member-id': ann.id,
      'api-base-url': 'https://api.cloudflare.invalid/client/v4',
    };
    for (const [value, why] of [
      ['proxy.example:3128', 'the proxy must be reached over http: or https:'],
      ['socks5://proxy.example:1080', 'the proxy must be reached over http: or https:, not "socks5:"'],
      ['   ', 'the value is blank'],
    ] as const) {
      const result = await bundle(inputs, { env: { HTTPS_PROXY: value } });
      expect(result.exitCode, value).toBe(1);
      expect(result.errors[0], value).toContain(`HTTPS_PROXY: ${why}`);
      expect(result.errors[0], value).not.toContain('Unexpected error');
      expect(result.outputs.removed, value).toBe('false');
      expect(result.summary, value).toContain('The run stopped before any request to Cloudflare');
    }
    expect(sim.requests).toEqual([]);
  });

  it('writes the summary when the output file cannot be written, and fails naming it', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    const result = await bundle(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      { env: { GITHUB_OUTPUT: '/nonexistent/output' } },
    );
    expect(deletes(sim)).toHaveLength(1);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain("Could not write the step's outputs (GITHUB_OUTPUT)");
    expect(result.summary).toContain('✅ removed');
  });
});

describe('a server that makes the run wait', () => {
  it('ends a run in which no request succeeds after ten minutes of waiting, and writes its record', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    sim.faults.push({ kind: 'status', status: 429, retryAfter: '300', times: 100 });
    const result = await bundle(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      { nodeArguments: ['--import', FAST_TIME] },
    );
    expect(result.exitCode).toBe(1);
    expect(sim.requests.length).toBeLessThanOrEqual(3);
    expect(result.errors[0]).toContain('Stopped: no request got a usable answer for 10 minutes');
    expect(json(result.outputs.result).interrupted).toBe('no-progress');
    expect(result.stdout.match(/Retrying DELETE \S+ in 300\.0 s/g)).toHaveLength(2);
  });

  it('refuses a Retry-After beyond Cloudflare five-minute window at once, and ignores a reset announced beyond it', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    sim.faults.push({ kind: 'status', status: 429, retryAfter: '600', path: new RegExp(engineers.id) });
    const started = Date.now();
    const refused = await bundle({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toContain(
      'Cloudflare asked to wait 600 s, longer than its five-minute rate-limit window',
    );
    // Every answer says the budget is spent for 899 s: not believed, so the sweep goes on unpaced.
    sim.faults.push({
      kind: 'answer',
      body: (body: object) => body,
      headers: { ratelimit: '"default";r=0;t=899' },
      times: 20,
    });
    const budget = await bundle({ 'all-groups': 'true', 'member-id': ann.id });
    expect(budget.exitCode).toBe(0);
    expect(json(budget.outputs['removed-groups'])).toEqual([engineers.id]);
    expect(budget.stdout).not.toContain('Rate budget:');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('outside text in the log', () => {
  it('never starts a line of its own, never carries a terminal escape, never forges a command', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    const message =
      'refused\n"Engineers" (ffffffffffffffffffffffffffffffff): removed\r\n::warning::forged\u001b[2K\u001b[1A';
    sim.faults.push({
      kind: 'answer',
      status: 409,
      method: 'DELETE',
      body: { success: false, errors: [{ code: 1, message }], messages: [], result: null },
    });
    const result = await bundle({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expectNoForgedCommand(result, [TOKEN]);
    expect(result.stdout).not.toMatch(/^"Engineers" \(f{32}\): removed/m);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toContain(
      'refused\\n"Engineers" (ffffffffffffffffffffffffffffffff): removed\\r\\n::warning::forged\\x1b[2K',
    );
    expect(commandsIn(result.stdout).filter((c) => c.command === 'warning')).toEqual([]);
  });
});
