// scripts/check-version.ts, which `npm run lint` runs: one version in package.json, the changelog
// and the pins of this action, or a failure that names what disagrees.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { versionProblems, type VersionSources } from '../../scripts/check-version.ts';

const examples = readdirSync('examples', { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.yml'))
  .map((path) => join('examples', path));
const real: VersionSources = {
  packageJson: readFileSync('package.json', 'utf8'),
  changelog: readFileSync('CHANGELOG.md', 'utf8'),
  pinFiles: Object.fromEntries(['README.md', ...examples].map((path) => [path, readFileSync(path, 'utf8')])),
};
const version = (JSON.parse(real.packageJson) as { version: string }).version;

const pin = (comment: string) =>
  `      - uses: your-org/cloudflare-remove-group-member@FULL_COMMIT_SHA_OF_THE_RELEASE${comment}\n`;
const sources = (overrides: { version?: string; heading?: string; pins?: Record<string, string> }): VersionSources => ({
  packageJson: JSON.stringify({ name: 'cloudflare-remove-group-member', version: overrides.version ?? '2.0.0' }),
  changelog: `# Changelog\n\nIntro.\n\n${overrides.heading ?? '## 2.0.0 (unreleased)'}\n\n- A change.\n\n## 1.0.0\n`,
  pinFiles: overrides.pins ?? {
    'README.md': `\`\`\`yaml\n${pin(' # v2.0.0')}\`\`\`\n`,
    'examples/a.yml': pin(' # v2.0.0'),
  },
});

describe('version check', () => {
  it('passes on the repository as it is, which names one version everywhere', () => {
    expect(versionProblems(real)).toEqual([]);
    expect(real.changelog).toMatch(new RegExp(`^## ${version.replaceAll('.', '\\.')} `, 'm'));
  });

  it('passes when every place names the same version', () => {
    expect(versionProblems(sources({}))).toEqual([]);
  });

  it('names the changelog when its latest entry is another version', () => {
    expect(versionProblems(sources({ heading: '## 2.0.1 (unreleased)' }))).toEqual([
      'CHANGELOG.md: the latest entry is 2.0.1 ("## 2.0.1 (unreleased)"), package.json says 2.0.0.',
    ]);
  });

  it('names every place that disagrees with package.json', () => {
    const problems = versionProblems(sources({ version: '2.1.0' }));
    expect(problems).toEqual([
      'CHANGELOG.md: the latest entry is 2.0.0 ("## 2.0.0 (unreleased)"), package.json says 2.1.0.',
      'README.md:2: the pin of cloudflare-remove-group-member says v2.0.0, package.json says 2.1.0.',
      'examples/a.yml:1: the pin of cloudflare-remove-group-member says v2.0.0, package.json says 2.1.0.',
    ]);
  });

  it('names the file and line of a pin whose comment is stale, in the real files too', () => {
    const stale = real.pinFiles['README.md']!.replace(/(cloudflare-remove-group-member@\S+ # )v[\d.]+/, '$1v1.1.0');
    const line = stale.split('\n').findIndex((text) => text.endsWith('# v1.1.0')) + 1;
    expect(versionProblems({ ...real, pinFiles: { ...real.pinFiles, 'README.md': stale } })).toEqual([
      `README.md:${line}: the pin of cloudflare-remove-group-member says v1.1.0, package.json says ${version}.`,
    ]);
  });

  it('refuses a pin without a version comment, and other actions are not its business', () => {
    const pins = { 'examples/a.yml': `${pin('')}      - uses: actions/checkout@0123 # v7.0.1\n` };
    expect(versionProblems(sources({ pins }))).toEqual([
      'examples/a.yml:1: the pin of cloudflare-remove-group-member has no "# v2.0.0" comment (found "").',
    ]);
  });

  it('refuses a changelog whose latest heading carries no readable version', () => {
    expect(versionProblems(sources({ heading: '## Unreleased (2.0.0)' }))).toEqual([
      'CHANGELOG.md: the latest entry "## Unreleased (2.0.0)" does not start with a version (## X.Y.Z).',
    ]);
  });

  it('fails when it finds no pin at all, rather than passing on nothing', () => {
    expect(versionProblems(sources({ pins: { 'README.md': 'No pins here.\n' } }))).toEqual([
      'No pin of cloudflare-remove-group-member found in README.md.',
    ]);
  });
});
