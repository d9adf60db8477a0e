// Attack, family 5: JSON outputs. Text from the API lands in `result`, `members` and
// `remaining-access` uncut: a long token name, or many tokens with no known creator, make each of
// them larger than GitHub's 1 MB per output (and than the action's own 900,000-character bound).
import { describe, expect, it } from 'vitest';
import { seeded } from '../helpers/fixture.ts';

/** GitHub: "Outputs ... can be a maximum of 1 MB." src/report/report.ts aims at 900,000 characters. */
const OUTPUT_BOUND = 900_000;

describe('outputs stay bounded whatever the API says', () => {
  it('bundle: a token name of 1.5 million characters does not make an output larger than its bound', async () => {
    const { sim, account, bundle } = await seeded();
    sim.addToken(account, { name: 'x'.repeat(1_500_000), creator: 'ann@example.com' });
    const result = await bundle({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'member-tokens': 'report' });
    for (const output of ['result', 'members', 'remaining-access']) {
      expect(() => JSON.parse(result.outputs[output]!), output).not.toThrow();
      expect(result.outputs[output]!.length, output).toBeLessThanOrEqual(OUTPUT_BOUND);
    }
  });

  it('in process: 3,000 tokens with no known creator do not make `members` larger than its bound', async () => {
    const { sim, account, run } = await seeded();
    for (let i = 0; i < 3_000; i++) sim.addToken(account, { name: `legacy ${i} `.padEnd(120, '-') });
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'member-tokens': 'report' });
    for (const output of ['result', 'members', 'remaining-access'])
      expect(result.outputs[output]!.length, output).toBeLessThanOrEqual(OUTPUT_BOUND);
  });
});
