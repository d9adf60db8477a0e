// CONTRIBUTING's layout is the code's: every import of src/ goes where the parts table allows, and
// every file of src/ is named there.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const contributing = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8');
const layout = contributing.slice(contributing.indexOf('## Layout'), contributing.indexOf('## Bundling'));

/** The parts table: each part and the parts it may import ('every part', or none). */
function allowed(): Map<string, string[] | 'every'> {
  const rows = layout.split('\n').filter((line) => /^\| `[a-z-]+` \|/.test(line));
  return new Map(
    rows.map((row) => {
      const cells = row.split('|').map((cell) => cell.trim());
      const names = [...cells[3]!.matchAll(/`([a-z-]+)`/g)].map((match) => match[1]!);
      return [cells[1]!.replace(/`/g, ''), cells[3] === 'every part' ? 'every' : names];
    }),
  );
}

function sources(dir = join(root, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The part a file of src/ belongs to: its folder, or its own name at the top. */
function partOf(file: string): string {
  const [first, second] = relative(join(root, 'src'), file).split('/');
  return second === undefined ? first!.replace(/\.ts$/, '') : first!;
}

describe("CONTRIBUTING's layout", () => {
  const parts = allowed();

  it('names every part of src/ in its table', () => {
    expect(parts.size).toBeGreaterThan(10);
    for (const file of sources()) expect([...parts.keys()], relative(root, file)).toContain(partOf(file));
  });

  it('holds for every import of src/', () => {
    const imports = sources().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^;]*? from '(\.[^']+)'/gm)].map((match) => ({
        file,
        to: resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')),
      })),
    );
    expect(imports.length).toBeGreaterThan(100);
    for (const { file, to } of imports) {
      const [from, target] = [partOf(file), partOf(to)];
      if (from === target) continue;
      const may = parts.get(from);
      if (may !== 'every') expect(may, `${relative(root, file)} imports ${relative(root, to)}`).toContain(target);
    }
  });

  it('names every file of each folder', () => {
    for (const file of sources().filter((each) => relative(join(root, 'src'), each).includes('/')))
      expect(layout, relative(root, file)).toContain(`\`${file.split('/').at(-1)}\``);
  });
});
