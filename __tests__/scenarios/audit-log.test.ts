// The variants of ../bundle/audit-log.test.ts: entries that appear late, a log with gaps, a query
// the token may not make, and a dry run, which has nothing to look up.
import { describe, expect, it } from 'vitest';
import { ALL_GRANTS } from '../../simulator/access.ts';
import { json, seeded, TOKEN } from '../helpers/fixture.ts';

const REMOVE = { 'all-groups': 'true', 'member-email': 'joann@example.com', 'confirm-in-audit-log': 'true' };

describe('confirm-in-audit-log', () => {
  it('waits with backoff for entries that appear late, and confirms them', async () => {
    const { run } = await seeded({ audit: { delayMs: 20_000 } });
    const result = await run(REMOVE);
    expect(result.exitCode).toBe(0);
    const groups = json(result.outputs.result).groups;
    expect(groups.map((g: { audit: string }) => g.audit)).toEqual(['confirmed', 'confirmed']);
    // 2 s, 4 s, 8 s, 16 s: the entries were there by then.
    expect(result.clock.sleeps.filter((ms) => ms >= 2_000)).toEqual([2_000, 4_000, 8_000, 16_000]);
  });

  it('says not yet seen, after a minute, of a change the log misses, and does not fail for it', async () => {
    const { billing, run } = await seeded({ audit: { drop: /user_groups\/[0-9a-f]{32}\/members/ } });
    const result = await run(REMOVE);
    expect(result.exitCode).toBe(0);
    const groups = json(result.outputs.result).groups;
    expect(groups.find((g: { id: string }) => g.id === billing.id).audit).toBe('not-yet-seen');
    expect(result.clock.sleeps.filter((ms) => ms >= 2_000).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60_000);
    expect(result.summary).toContain(
      '**Audit log**: 0 of 2 changes confirmed by their cf-ray. 2 not yet seen after a minute',
    );
  });

  it('warns, naming the permission, when the token may not read the audit log, and leaves the changes unchecked', async () => {
    const { run } = await seeded({ tokens: { [TOKEN]: { grants: ALL_GRANTS, auditLog: false } } });
    const result = await run(REMOVE);
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs.result).groups.every((g: { audit?: string }) => g.audit === undefined)).toBe(true);
    expect(result.warnings.join('\n')).toContain('Could not read the audit log to confirm the writes');
    expect(result.warnings.join('\n')).toContain('"Account Settings Read (the audit log)" permission');
  });

  it('looks nothing up in a dry run, which changes nothing', async () => {
    const { sim, run } = await seeded();
    const result = await run({ ...REMOVE, 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines().some((line) => line.includes('/logs/audit'))).toBe(false);
  });
});
