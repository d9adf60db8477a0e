// Attack, family 4: sent is not done. A write whose first attempt reached Cloudflare and took
// effect, answered with a 5xx, is retried after a back-off; a SIGTERM that lands during that
// back-off must not turn what was sent (and applied) into "not done" / "not settled".
import { describe, expect, it } from 'vitest';
import type { StopReason } from '../../src/watchdog.ts';
import { json, seeded } from '../helpers/fixture.ts';

const ACCOUNT_MEMBER = /^\/accounts\/[0-9a-f]{32}\/members\/[0-9a-f]{32}$/;
const GROUP_MEMBER = /\/iam\/user_groups\/[0-9a-f]{32}\/members\/[0-9a-f]{32}$/;

describe('a write applied, answered 502, and the run stopped during the back-off before its retry', () => {
  it('bundle: the group removal is not recorded as "not settled ... before this group was handled"', async () => {
    const { sim, account, ann, engineers, bundle } = await seeded();
    sim.faults.push({ kind: 'apply-then-status', method: 'DELETE', path: GROUP_MEMBER, status: 502 });
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'DELETE') child?.kill('SIGTERM');
    };
    const result = await bundle(
      { 'member-id': ann.id, 'user-group-id': engineers.id },
      { started: (running) => (child = running) },
    );
    // Cloudflare applied the removal.
    expect(sim.group(account, engineers.id).memberIds).not.toContain(ann.id);
    expect(result.exitCode).toBe(1);
    const group = json(result.outputs.result).groups[0];
    // Sent and applied: removed (if a read settled it) or unknown; never failed as "not handled".
    expect(['removed', 'unknown']).toContain(group.outcome);
    expect(group.error ?? '').not.toMatch(/before this group was handled/);
    expect(result.outputs.removed).not.toBe('false');
  });

  it('bundle: the account removal is not recorded as "Not done: the run stopped before this step"', async () => {
    const { sim, account, ann, bundle } = await seeded();
    sim.faults.push({ kind: 'apply-then-status', method: 'DELETE', path: ACCOUNT_MEMBER, status: 502 });
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'DELETE' && ACCOUNT_MEMBER.test(request.path)) child?.kill('SIGTERM');
    };
    const result = await bundle(
      { 'all-groups': 'true', 'member-email': 'ann@example.com', 'remove-from-account': 'true' },
      { started: (running) => (child = running) },
    );
    expect(sim.accounts.get(account)!.members.has(ann.id)).toBe(false);
    expect(result.exitCode).toBe(1);
    const step = json(result.outputs.result).account;
    expect(['removed', 'unknown']).toContain(step.outcome);
    expect(step.error ?? '').not.toMatch(/Not done/);
    expect(result.summary).not.toMatch(/Not done/);
    expect(json(result.outputs['remaining-access']).inAccount).not.toBe(true);
  });

  it('in process: the token update is not recorded as "Not done: ... before this token was disabled"', async () => {
    const { sim, account, run } = await seeded();
    const deploy = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
    sim.faults.push({ kind: 'apply-then-status', method: 'PUT', status: 502 });
    let stop: ((reason: StopReason) => void) | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'PUT') stop?.('SIGTERM');
    };
    const result = await run(
      { 'all-groups': 'true', 'member-email': 'ann@example.com', 'member-tokens': 'disable' },
      { interrupt: (stopRun) => (stop = stopRun) },
    );
    expect(sim.token(account, deploy.id).status).toBe('disabled');
    const tokens = json(result.outputs.result).tokens;
    const entry = tokens.tokens.find((t: { id: string }) => t.id === deploy.id);
    expect(['disabled', 'unknown']).toContain(entry.outcome);
    expect(entry.error ?? '').not.toMatch(/Not done/);
  });

  it('in process: the Access-session revocation is not recorded as "Not done: the run stopped before this step"', async () => {
    const { sim, account, run } = await seeded();
    sim.addSessions(account, 'ann@example.com');
    sim.faults.push({ kind: 'apply-then-status', method: 'POST', status: 502 });
    let stop: ((reason: StopReason) => void) | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'POST') stop?.('SIGTERM');
    };
    const result = await run(
      { 'all-groups': 'true', 'member-email': 'ann@example.com', 'revoke-access-sessions': 'true' },
      { interrupt: (stopRun) => (stop = stopRun) },
    );
    expect(sim.sessions(account, 'ann@example.com')).toBe(0);
    const sessions = json(result.outputs.result).sessions;
    expect(['revoked', 'unknown']).toContain(sessions.outcome);
    expect(sessions.error ?? '').not.toMatch(/Not done/);
  });

  it('in process: a sweep group whose removal was applied is not dropped from the record', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'apply-then-status', method: 'DELETE', path: GROUP_MEMBER, status: 502 });
    let stop: ((reason: StopReason) => void) | undefined;
    sim.onRequest = (request) => {
      if (request.method === 'DELETE') stop?.('SIGTERM');
    };
    const result = await run(
      { 'all-groups': 'true', 'member-email': 'ann@example.com' },
      { interrupt: (stopRun) => (stop = stopRun) },
    );
    expect(sim.group(account, engineers.id).memberIds).not.toContain(ann.id);
    const groups = json(result.outputs.result).groups;
    expect(groups).toContainEqual(expect.objectContaining({ id: engineers.id }));
    expect(result.outputs.removed).not.toBe('false');
  });

  it('in process: a revocation applied and answered 502, whose retry answers result: false, is not "failed"', async () => {
    const { sim, account, run } = await seeded({ noSessionsAnswer: false });
    sim.addSessions(account, 'ann@example.com');
    sim.faults.push({ kind: 'apply-then-status', method: 'POST', status: 502 });
    const result = await run({
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'revoke-access-sessions': 'true',
    });
    // The first attempt ended the sessions; the retry found none and said false.
    expect(sim.sessions(account, 'ann@example.com')).toBe(0);
    expect(['revoked', 'unknown']).toContain(json(result.outputs.result).sessions.outcome);
  });
});
