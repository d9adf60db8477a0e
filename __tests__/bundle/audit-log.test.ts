// Proof from Cloudflare's side, against the bundle: each change of the run found in the account's
// audit log by its cf-ray, with confirm-in-audit-log. Its variants (late entries, gaps, a refused
// query, a dry run) run in this process.
import { describe, expect, it } from 'vitest';
import { json, offboarding } from '../helpers/fixture.ts';

describe('confirm-in-audit-log', () => {
  it("finds every change in the account's audit log by its cf-ray, and says so", async () => {
    const { sim, account, bundle } = await offboarding();
    sim.addToken(account, { name: 'deploy', creator: 'dana@example.com' });
    const result = await bundle({
      'all-groups': 'true',
      'member-email': 'dana@example.com',
      'member-tokens': 'disable',
      'confirm-in-audit-log': 'true',
    });
    // The SCIM-managed group refuses its change: that fails the run, as before.
    expect(result.exitCode).toBe(1);
    const outcome = json(result.outputs.result);
    const removed = outcome.groups.filter((g: { outcome: string }) => g.outcome === 'removed');
    expect(removed).toHaveLength(1);
    const deletion = sim.requests.find((r) => r.method === 'DELETE' && r.path.includes(removed[0].id))!;
    expect(removed[0]).toMatchObject({ audit: 'confirmed', rays: [deletion.ray] });
    // The refused change (the SCIM-managed group) changed nothing: it is not looked up.
    expect(outcome.groups.find((g: { outcome: string }) => g.outcome === 'failed').audit).toBeUndefined();
    expect(outcome.tokens.tokens[0]).toMatchObject({ outcome: 'disabled', audit: 'confirmed' });
    expect(sim.requestLines().filter((line) => line.includes('/logs/audit'))).not.toHaveLength(0);
    expect(result.summary).toContain('**Audit log**: 2 of 2 changes confirmed by their cf-ray.');
    expect(result.summary).toContain('· cf-ray ` ');
  });
});
