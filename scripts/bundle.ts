// Bundles src/ into one directory (dist/ by default) the way the actions ship: the main action
// (src/index.ts) into dist/, the restore action (src/restore/index.ts) into dist/restore/; ncc,
// not minified (it starts faster: see the README's performance section), ESM, pure ASCII, each
// with a licenses.txt naming every package bundled in it. `npm run bundle` and the test setup both
// use it, so the tests run exactly the code that check-dist compares with the committed dist/
// (`--code-only` leaves out licenses.txt).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each action's entry point, and where in the output directory it goes. */
const ENTRIES = [
  { entry: 'src/index.ts', dir: '.' },
  { entry: 'src/restore/index.ts', dir: 'restore' },
];

export function bundle(outDir: string, { licenses = true } = {}): void {
  for (const { entry, dir } of ENTRIES) bundleEntry(entry, join(outDir, dir), licenses);
}

function bundleEntry(entry: string, outDir: string, licenses: boolean): void {
  const work = mkdtempSync(join(tmpdir(), 'ncc-stats-'));
  const stats = join(work, 'stats.json');
  try {
    const bin = (name: string) => join(root, 'node_modules', '.bin', name);
    execFileSync(
      bin('ncc'),
      ['build', entry, '-o', outDir, '--no-source-map-register', '--transpile-only', '--quiet', '--stats-out', stats],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    for (const name of readdirSync(outDir).filter((file) => file.endsWith('.js'))) {
      const file = join(outDir, name);
      writeFileSync(file, asciiOnly(readFileSync(file, 'utf8')));
    }
    if (!licenses) return;
    execFileSync(process.execPath, [join(root, 'scripts', 'licenses.ts'), stats, join(outDir, 'licenses.txt')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The code with every character outside ASCII written as a \uXXXX escape: Node then holds the 1.2 MB
 * source as one byte per character instead of two, and decodes and parses it faster. The escape
 * means the same character in strings, templates, regular expressions, identifiers and comments;
 * after a backslash it would not, so such code stops the build.
 */
export function asciiOnly(code: string): string {
  return code.replace(/[^\p{ASCII}]/gu, (character, offset: number) => {
    if (code[offset - 1] === '\\') throw new Error(`a backslash before a non-ASCII character at ${offset}`);
    return [...Array(character.length).keys()]
      .map((i) => `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`)
      .join('');
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = resolve(root, process.argv[2] ?? 'dist');
  rmSync(outDir, { recursive: true, force: true });
  bundle(outDir, { licenses: !process.argv.includes('--code-only') });
  console.log(`Bundled src/ into ${outDir}`);
}
