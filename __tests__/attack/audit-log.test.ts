// Attack on cf-ray in the record and confirm-in-audit-log (the main action's part): a
// write whose answer carries no usable cf-ray, an audit entry of a failed attempt, the 60 s bound,
// and answers of the wrong shape.
import { describe, expect, it } from 'vitest';
import { json, seeded } from '../helpers/fixture.ts';

const REMOVE = { 'all-groups': 'true', 'member-email': 'joann@example.com', 'confirm-in-audit-log': 'true' };

/** An audit-log gap for the writes to one group, named once the fixture exists. */
function gap() {
  const group = { id: 'none yet' };
  return { group, drop: { test: (path: string) => path.includes(group.id) } as unknown as RegExp };
}

describe('a write whose answer carries a cf-ray header that is not a ray id', () => {
  it('bundle: is still recorded as confirmed or not-yet-seen, and the audit line counts it', async () => {
    const { sim, billing, bundle } = await seeded();
    // The removal from Billing takes effect (the log has its entry, under the request's real ray);
    // its answer's cf-ray header is text a hostile proxy chose.
    sim.faults.push({
      kind: 'answer',
      method: 'DELETE',
      path: new RegExp(`/user_groups/${billing.id}/members/`),
      body: (answer: unknown) => answer,
      headers: { 'cf-ray': '::error::forged ray' },
    });
    const result = await bundle(REMOVE);
    expect(result.exitCode).toBe(0);
    expect(sim.audit.entries.filter((entry) => entry.path.includes(billing.id))).toHaveLength(1);
    const groups = json(result.outputs.result).groups;
    const removal = groups.find((g: { id: string }) => g.id === billing.id);
    expect(removal.outcome).toBe('removed');
    // Contract v1.3: the run "records each write as confirmed or not-yet-seen".
    expect(['confirmed', 'not-yet-seen']).toContain(removal.audit);
    // The summary says "1 of 1 changes confirmed" of a run that made two.
    expect(result.summary).not.toContain('1 of 1 changes confirmed');
    expect(result.summary).toContain('1 of 2 changes confirmed by their cf-ray. 1 cannot be looked up');
  });
});

describe('a retried write whose only audit entry is its failed first attempt', () => {
  it('is not confirmed by that failure entry', async () => {
    const { group, drop } = gap();
    const { sim, billing, run } = await seeded({ audit: { drop } });
    group.id = billing.id;
    // The first DELETE is answered 502 and logged as a failure; the retry removes her, and the
    // log misses that entry (the log "may miss some").
    sim.faults.push({ kind: 'status', status: 502, method: 'DELETE', path: new RegExp(`/user_groups/${billing.id}/`) });
    sim.onRequest = (request) => {
      if (request.method !== 'DELETE' || !request.path.includes(billing.id)) return;
      if (sim.audit.entries.some((entry) => entry.path === request.path)) return;
      sim.audit.entries.push({
        account: request.path.split('/')[2]!,
        at: request.at,
        method: 'DELETE',
        path: request.path,
        status: 502,
        ray: request.ray,
        actor: { type: 'account' },
      });
    };
    const result = await run(REMOVE);
    const removal = json(result.outputs.result).groups.find((g: { id: string }) => g.id === billing.id);
    expect(removal.outcome).toBe('removed');
    expect(removal.rays).toHaveLength(2);
    // The log has no entry of the removal, only of an attempt that failed (action.result
    // "failure", status 502): "confirmed" would tell an auditor the log shows the change.
    expect(removal.audit).toBe('not-yet-seen');
  });
});

describe('the 60 s bound of the audit-log check', () => {
  it('holds when the rate budget runs out while polling', async () => {
    const { group, drop } = gap();
    // A budget that the removal and two polls use up (the window is five minutes).
    const { sim, billing, run, clock } = await seeded({
      audit: { drop },
      rateLimit: { quota: 8, windowMs: 300_000, headers: 'ietf' },
    });
    group.id = billing.id;
    const result = await run(REMOVE);
    expect(result.exitCode).toBe(0);
    expect(sim.tooManyRequests).toBe(0);
    const polls = sim.requests.filter((request) => request.path.endsWith('/logs/audit'));
    // Contract v1.3: "polling with backoff for at most 60 s".
    expect(clock.now() - polls[0]!.at).toBeLessThanOrEqual(60_000);
  });

  it('holds when one poll is answered 429 with a long Retry-After', async () => {
    const { group, drop } = gap();
    const { sim, billing, run, clock } = await seeded({ audit: { drop } });
    group.id = billing.id;
    let polls = 0;
    sim.onRequest = (request) => {
      if (request.path.endsWith('/logs/audit') && ++polls === 2)
        sim.faults.push({ kind: 'status', status: 429, retryAfter: '290', path: /\/logs\/audit$/ });
    };
    const result = await run(REMOVE);
    expect(result.exitCode).toBe(0);
    const first = sim.requests.find((request) => request.path.endsWith('/logs/audit'))!;
    expect(clock.now() - first.at).toBeLessThanOrEqual(60_000);
  });
});

describe('a run cancelled while it polls the audit log', () => {
  it('does not say that the writes were not seen "after a minute"', async () => {
    const { sim, run, clock } = await seeded({ audit: { delayMs: 30_000 } });
    let stop: ((reason: 'SIGINT') => void) | undefined;
    let polls = 0;
    sim.onRequest = (request) => {
      if (request.path.endsWith('/logs/audit') && ++polls === 2) stop?.('SIGINT');
    };
    const result = await run(REMOVE, { interrupt: (s) => (stop = s) });
    expect(json(result.outputs.result).interrupted).toBe('SIGINT');
    const first = sim.requests.find((request) => request.path.endsWith('/logs/audit'))!;
    expect(clock.now() - first.at).toBeLessThan(10_000);
    // The check was cut short seconds in; the record must not tell an auditor it waited a minute.
    expect(result.summary).not.toContain('within a minute');
    expect(result.summary).toContain('not yet seen when the run stopped');
  });
});

describe('holds: audit-log answers of the wrong shape', () => {
  it('entries without a readable ray are left out, and the writes are still found among the others', async () => {
    const { sim, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      path: /\/logs\/audit$/,
      body: (b: { result: unknown[] }) => ({
        ...b,
        result: [
          null,
          7,
          { raw: null },
          { raw: { cf_ray_id: 12 } },
          { raw: { cf_ray_id: 'x'.repeat(5000) } },
          ...b.result,
        ],
      }),
    });
    const result = await run(REMOVE);
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs.result).groups.map((g: { audit: string }) => g.audit)).toEqual([
      'confirmed',
      'confirmed',
    ]);
  });

  it('a cursor that loops fails the check after the page cap, as a warning, never as confirmed', async () => {
    const { sim, run } = await seeded();
    sim.onRequest = (request) => {
      if (!request.path.endsWith('/logs/audit')) return;
      const cursor = request.query.cursor === 'A' ? 'B' : 'A';
      sim.faults.push({
        kind: 'answer',
        path: /\/logs\/audit$/,
        body: { success: true, errors: [], messages: [], result: [], result_info: { cursor } },
      });
    };
    const result = await run(REMOVE);
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs.result).groups.every((g: { audit?: string }) => g.audit === undefined)).toBe(true);
    expect(result.warnings.join('\n')).toContain('still not at the end after 100 pages');
  });
});
