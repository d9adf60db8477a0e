// Vitest global setup: bundles the sources under test once, into a temporary directory, and
// points the runner harness at it (ACTION_BUNDLE), so integration tests never run a stale dist/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../../scripts/bundle.ts';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'action-bundle-'));
  bundle(dir);
  process.env.ACTION_BUNDLE = join(dir, 'index.js');
  return () => rmSync(dir, { recursive: true, force: true });
}
