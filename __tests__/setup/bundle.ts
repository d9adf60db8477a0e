// Vitest global setup: bundles the sources under test into a temporary directory (both actions:
// the main one, and the restore in restore/), and points the runner harness at it (ACTION_BUNDLE),
// so no test runs a stale dist/. The bundler runs beside the
// tests that need no bundle; runs of the bundle wait for it (see bundleReady in ../helpers/fixture.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'action-bundle-'));
  const done = join(dir, 'bundled');
  const child = spawn(process.execPath, ['scripts/bundle.ts', dir, '--code-only'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const finished = (code: number | null) =>
    writeFileSync(done, code === 0 ? 'ok' : `the bundler failed (exit code ${code}):\n${errors}`);
  child.on('exit', finished);
  process.env.ACTION_BUNDLE = join(dir, 'index.js');
  process.env.ACTION_BUNDLE_DONE = done;
  return () => {
    child.off('exit', finished);
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
}
