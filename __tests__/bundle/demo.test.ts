// `npm run demo`, as a fresh clone runs it (with the bundle built from the sources under test): it
// ends well, names the group of the plain removal, and shows a complete offboarding.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bundleReady } from '../helpers/fixture.ts';

async function demo(): Promise<{ code: number; out: string }> {
  await bundleReady();
  const child = spawn(process.execPath, ['simulator/demo.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, out };
}

describe('npm run demo', () => {
  it('exits 0, with every table cell named, and a complete offboarding beside the plain removal', async () => {
    const { code, out } = await demo();
    expect(code, out).toBe(0);
    expect(out).toContain('Every run ended as expected.');
    // No row of a summary table with an empty first cell (a group the run could not name).
    expect(out).not.toMatch(/^ {2}\| {2}\|/m);
    const runs = out.split(/^=== /m).slice(1);
    expect(runs).toHaveLength(3);
    expect(runs[0]).toContain('| ` Engineers ` | ` e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1 ` | ✅ removed · cf-ray `');
    expect(runs[1]).toContain('| API tokens they created | 🔍 would disable (dry run) |');
    for (const row of [
      '| API tokens they created | ✅ disabled |',
      '| Access sessions | ✅ revoked · cf-ray `',
      '| Account membership | ✅ removed · cf-ray `',
    ])
      expect(runs[2]).toContain(row);
    expect(runs[2]).toContain('POST /accounts/0123456789abcdef0123456789abcdef/access/organizations/revoke_user');
    expect(runs[2]).toContain(
      'DELETE /accounts/0123456789abcdef0123456789abcdef/members/a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1',
    );
  }, 30_000);
});
