// Attack on what the restore writes: names from the API (groups, tokens, the member's email) that
// try to become workflow commands, and answers that echo the credentials, with a token and a
// record-key that every escape changes.
import { describe, expect, it } from 'vitest';
import { json, seeded } from '../helpers/fixture.ts';
import { expectNoForgedCommand, expectNoTrace, ODD_TOKEN } from '../helpers/hostile.ts';

const KEY = 'k3y-For-Restore_0123456789abcdefghij%2F"<&>|`';
const FORGED = '\n::error::forged\r::add-mask::x ##[warning]y %0A::notice::z\u001b[2J';

describe('holds: hostile names and echoed credentials in a restore', () => {
  it('bundle: no forged workflow command, no trace of the token or the record-key', async () => {
    const { sim, account, ann, engineers, bundle, restoreBundle } = await seeded({ tokens: { [ODD_TOKEN]: 'write' } });
    const deploy = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
    const ops = sim.addGroup(account, 'Ops', [ann.id]);
    const inputs = { 'api-token': ODD_TOKEN, 'member-email': 'ann@example.com', 'record-key': KEY };
    const offboarding = await bundle({ ...inputs, 'all-groups': 'true', 'member-tokens': 'disable' });
    expect(offboarding.exitCode).toBe(0);
    // Renamed since, by someone who wants the restore's log to run their commands.
    sim.group(account, engineers.id).name = `Engineers${FORGED}`;
    sim.token(account, deploy.id).name = `deploy${FORGED}`;
    // The POST to Ops is refused with an error that repeats the credentials sent.
    sim.faults.push({ kind: 'echo-credentials', method: 'POST', path: new RegExp(ops.id) });
    const result = await restoreBundle({ ...inputs, record: offboarding.outputs.accounts! });
    expect(result.exitCode).toBe(1);
    expect(json(result.outputs.result).groups.map((g: { outcome: string }) => g.outcome)).toEqual([
      'restored',
      'failed',
    ]);
    expectNoForgedCommand(result, [ODD_TOKEN, KEY]);
    expectNoTrace(result, ODD_TOKEN);
    expectNoTrace(result, KEY);
    // The member's email, as the API gives it now, in the refusal.
    sim.member(account, ann.id).email = `ann${FORGED}@example.com`;
    const refused = await restoreBundle({
      ...inputs,
      'member-id': ann.id,
      'member-email': '',
      record: offboarding.outputs.accounts!,
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toContain('now has');
    expectNoForgedCommand(refused, [ODD_TOKEN, KEY]);
    expectNoTrace(refused, KEY);
  });
});
