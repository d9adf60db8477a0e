// As an attacker would, against the bundle: inputs that carry workflow commands, and an answer
// that echoes the credentials. The fuzzed variants run in this process: ../scenarios/hostile.test.ts.
import { describe, expect, it } from 'vitest';
import { seeded, TOKEN } from '../helpers/fixture.ts';
import { expectNoForgedCommand, expectNoTrace, ODD_TOKEN } from '../helpers/hostile.ts';

describe('the bundle, as an attacker would try it', () => {
  it('from inputs: names and emails that carry command syntax', async () => {
    const { account, ann, bundle: run } = await seeded();
    const cases: Array<Record<string, string>> = [
      { 'user-group-name': '::stop-commands::pause\n  ::add-mask::Removing\n##[add-mask]ann', 'member-id': ann.id },
      { 'user-group-id': 'a'.repeat(32), 'member-email': '::stop-commands::x@example.com' },
      { 'user-group-id': `::add-mask::the\n##[set-output name=removed]true`, 'member-id': ann.id },
      { 'user-group-id': 'a'.repeat(32), 'member-email': `\u3000::warning::x@y`, 'account-id': account },
    ];
    for (const inputs of cases) {
      const result = await run(inputs);
      expect(result.exitCode).toBe(1);
      expectNoForgedCommand(result, [TOKEN]);
    }
  });

  it('in a JSON error, in the log, the outputs, the summary', async () => {
    const { sim, ann, engineers, bundle: run } = await seeded({ tokens: { [ODD_TOKEN]: 'write' } });
    sim.faults.push({ kind: 'echo-credentials' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'api-token': ODD_TOKEN });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('Invalid request headers: Bearer ***');
    expectNoTrace(result, ODD_TOKEN);
  });
});
