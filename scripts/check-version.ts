// `npm run lint` fails when package.json's version, the changelog's latest entry and the
// `# vX.Y.Z` comments on the pins of this action in the README and the examples disagree.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VersionSources {
  packageJson: string;
  changelog: string;
  /** The texts that pin this action, by path: README.md and the example workflows. */
  pinFiles: Record<string, string>;
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const USES = /^\s*(?:- )?uses:\s*['"]?[\w.-]+\/([\w.-]+)(?:\/[^@\s'"]*)?@[^\s'"#]+['"]?(?:\s+#\s*(.*?))?\s*$/;

/** What disagrees, one sentence each; empty when every place names package.json's version. */
export function versionProblems({ packageJson, changelog, pinFiles }: VersionSources): string[] {
  const problems: string[] = [];
  const manifest = JSON.parse(packageJson) as { name?: unknown; version?: unknown };
  const version = typeof manifest.version === 'string' ? manifest.version : '';
  if (!SEMVER.test(version)) return [`package.json: "version" is ${JSON.stringify(manifest.version)}, not X.Y.Z.`];
  // The action's repository carries the package's name: your-org/<name> in the examples.
  const name = String(manifest.name);

  const heading = changelog.split('\n').find((line) => line.startsWith('## '));
  const entry = heading && /^## \[?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\]?(?:\s|$)/.exec(heading);
  if (!heading) problems.push('CHANGELOG.md has no entry (a "## X.Y.Z" heading).');
  else if (!entry)
    problems.push(`CHANGELOG.md: the latest entry "${heading}" does not start with a version (## X.Y.Z).`);
  else if (entry[1] !== version)
    problems.push(`CHANGELOG.md: the latest entry is ${entry[1]} ("${heading}"), package.json says ${version}.`);

  let pins = 0;
  for (const [file, text] of Object.entries(pinFiles)) {
    text.split('\n').forEach((line, index) => {
      const pin = USES.exec(line);
      if (pin?.[1] !== name) return;
      pins++;
      const where = `${file}:${index + 1}`;
      const comment = pin[2] ?? '';
      if (!/^v\d+\.\d+\.\d+\S*$/.test(comment))
        problems.push(`${where}: the pin of ${name} has no "# v${version}" comment (found "${comment}").`);
      else if (comment !== `v${version}`)
        problems.push(`${where}: the pin of ${name} says ${comment}, package.json says ${version}.`);
    });
  }
  if (pins === 0) problems.push(`No pin of ${name} found in ${Object.keys(pinFiles).join(', ') || 'any file'}.`);
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  const examples = readdirSync(join(root, 'examples'), { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.ya?ml$/.test(path))
    .map((path) => join('examples', path))
    .sort();
  const pinFiles = Object.fromEntries(['README.md', ...examples].map((path) => [path, read(path)]));
  const packageJson = read('package.json');
  const problems = versionProblems({ packageJson, changelog: read('CHANGELOG.md'), pinFiles });
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  const { version } = JSON.parse(packageJson) as { version: string };
  console.log(
    `Version ${version}: package.json, CHANGELOG.md and the pins in ${Object.keys(pinFiles).length} files agree.`,
  );
}
