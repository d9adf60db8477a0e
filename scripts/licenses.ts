// Writes dist/licenses.txt: the name, version, license and license text of every package inside
// the bundle, read from the module list ncc reports (--stats-out), so that none is left out.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [statsFile, outFile] = process.argv.slice(2);
if (!statsFile || !outFile) throw new Error('usage: node scripts/licenses.ts <ncc stats.json> <licenses.txt>');

interface Stats {
  modules?: Array<{ name?: string; identifier?: string; modules?: Stats['modules'] }>;
}
const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as Stats;

// Each module's package: the directory after its last node_modules/ (nested copies stay apart).
const packages = new Set<string>();
const visit = (modules: Stats['modules'] = []) => {
  for (const module of modules) {
    const name = module.identifier ?? module.name ?? '';
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(name.replace(/\\/g, '/').replace(/^.*!/, ''));
    if (match) packages.add(match[1]!.slice(match[1]!.indexOf('node_modules/')));
    visit(module.modules);
  }
};
visit(stats.modules);

const entries = [...packages].map((dir) => {
  const path = join(root, dir);
  const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    license?: string;
  };
  const file = readdirSync(path).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = file
    ? readFileSync(join(path, file), 'utf8').trim()
    : `(The package ships no license file; its package.json declares the license ${manifest.license ?? 'UNKNOWN'}.)`;
  return { id: `${manifest.name}@${manifest.version}`, license: manifest.license ?? 'UNKNOWN', text };
});
entries.sort((a, b) => a.id.localeCompare(b.id));
const body = entries.map((e) => `${e.id}\n${e.license}\n${e.text}\n`).join('\n');
if (!existsSync(dirname(outFile))) throw new Error(`${dirname(outFile)} does not exist`);
writeFileSync(outFile, `Packages bundled in dist/, with their licenses.\n\n${body}`);
console.log(`${outFile}: ${entries.length} packages`);
