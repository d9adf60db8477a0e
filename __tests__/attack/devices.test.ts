// Attack on revoke-devices: a revocation that took effect, answered oddly.
import { describe, expect, it } from 'vitest';
import { fleet, json } from '../helpers/fixture.ts';

describe('revoke_user answered 200, success: true, with a result that is not true or false', () => {
  it('is not recorded as failed (not done), and is looked up in the audit log like any sent write', async () => {
    const { sim, ids, run } = await fleet(1, [0]);
    sim.addDevices(ids[0]!, 'ann@example.com', 2);
    sim.addSessions(ids[0]!, 'ann@example.com');
    // The revocation takes effect; its answer carries result: null.
    sim.faults.push({
      kind: 'answer',
      method: 'POST',
      path: /revoke_user$/,
      body: (b: object) => ({ ...b, result: null }),
    });
    const result = await run({
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'revoke-access-sessions': 'true',
      'revoke-devices': 'true',
      'confirm-in-audit-log': 'true',
    });
    expect([sim.sessions(ids[0]!, 'ann@example.com'), sim.devices(ids[0]!, 'ann@example.com')]).toEqual([0, 0]);
    const sessions = json(result.outputs.result).sessions;
    // Contract v1.3: a write "answered but not yet confirmed, when ... the answer is unclear ... is
    // recorded as unknown ..., never as 'not done'". A 2xx with success: true is no refusal.
    expect(sessions.outcome).not.toBe('failed');
    // It has a cf-ray, and the audit log has its entry: it is looked up like any write that may have taken effect.
    expect(sessions.audit).toBe('confirmed');
  });
});
