// Bundles src/ into one directory (dist/ by default) the way the action ships: ncc, not minified
// (it starts faster: see the README's performance section), ESM, with dist/licenses.txt naming
// every bundled package. `npm run bundle` and the test setup both use it, so the tests run exactly
// the code that check-dist compares with the committed dist/ (`--code-only` leaves out licenses.txt).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function bundle(outDir: string, { licenses = true } = {}): void {
  const work = mkdtempSync(join(tmpdir(), 'ncc-stats-'));
  const stats = join(work, 'stats.json');
  try {
    const bin = (name: string) => join(root, 'node_modules', '.bin', name);
    execFileSync(
      bin('ncc'),
      [
        'build',
        'src/index.ts',
        '-o',
        outDir,
        '--no-source-map-register',
        '--transpile-only',
        '--quiet',
        '--stats-out',
        stats,
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (!licenses) return;
    execFileSync(process.execPath, [join(root, 'scripts', 'licenses.ts'), stats, join(outDir, 'licenses.txt')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = resolve(root, process.argv[2] ?? 'dist');
  rmSync(outDir, { recursive: true, force: true });
  bundle(outDir, { licenses: !process.argv.includes('--code-only') });
  console.log(`Bundled src/ into ${outDir}`);
}
