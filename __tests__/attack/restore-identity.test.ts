// Attack on the restore's identity check: the member the record names, read again, must still be
// the person the record names. A member record whose two emails disagree leaves that open.
import { describe, expect, it } from 'vitest';
import { json, seeded } from '../helpers/fixture.ts';

const KEY = 'r'.repeat(40);

describe('the member read again carries two different emails, the restore given by member-id', () => {
  it('bundle: is refused before any write, as it is when given by member-email', async () => {
    const fixture = await seeded();
    const { sim, account, ann, engineers, run, restoreBundle } = fixture;
    const offboarding = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'record-key': KEY });
    expect(offboarding.exitCode).toBe(0);
    const record = offboarding.outputs.accounts!;
    // The account member record of ann's ID now says another address beside hers (user.email).
    const twoEmails = (body: { result: { user: Record<string, unknown> } }) => ({
      ...body,
      result: { ...body.result, user: { ...body.result.user, email: 'mallory@example.com' } },
    });
    sim.faults.push({ kind: 'answer', method: 'GET', path: new RegExp(`/members/${ann.id}$`), body: twoEmails });
    const mark = sim.requests.length;
    const result = await restoreBundle({ 'member-id': ann.id, 'record-key': KEY, record });
    // contract v1.2 "Identity: a member record is checked against every email it carries (`email`,
    // `user.email`); when they differ and protection or the identity depends on it, refuse."
    // README (Undo an offboarding): "Then it reads the member again: still in the account, still the
    // person the record names". The restore by member-email refuses this very member record
    // ("carries two different emails ... so who it is depends on which one is right").
    expect(sim.requests.slice(mark).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(sim.group(account, engineers.id).memberIds).not.toContain(ann.id);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('two different emails');
    expect(json(result.outputs.result).groups).toEqual([]);
  });

  it('holds: by member-email, the same member record is refused and nothing is written', async () => {
    const fixture = await seeded();
    const { sim, account, ann, engineers, run, restoreBundle } = fixture;
    const offboarding = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'record-key': KEY });
    const twoEmails = (body: { result: { user: Record<string, unknown> } }) => ({
      ...body,
      result: { ...body.result, user: { ...body.result.user, email: 'mallory@example.com' } },
    });
    sim.faults.push({ kind: 'answer', method: 'GET', path: new RegExp(`/members/${ann.id}$`), body: twoEmails });
    const mark = sim.requests.length;
    const result = await restoreBundle({
      'member-email': 'ann@example.com',
      'record-key': KEY,
      record: offboarding.outputs.accounts!,
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('carries two different emails');
    expect(sim.requests.slice(mark).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(sim.group(account, engineers.id).memberIds).not.toContain(ann.id);
  });
});
