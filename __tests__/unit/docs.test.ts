// The README's tables, action.yml and the changelog describe the same inputs and outputs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OUTPUTS } from '../../src/report/outputs.js';
import { DEFAULT_CONCURRENCY } from '../../src/settings/settings.js';

const readme = readFileSync('README.md', 'utf8');
const changelog = readFileSync('CHANGELOG.md', 'utf8');
const action = parse(readFileSync('action.yml', 'utf8')) as {
  description: string;
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

function table(heading: string): Map<string, string[]> {
  const section = readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';
  const rows = section.split('\n').filter((line) => /^\| `[a-z-]+` \|/.test(line));
  return new Map(
    rows.map((row) => {
      const cells = row.split(' | ').map((cell) => cell.replace(/^\| |`/g, '').trim());
      return [cells[0]!, cells.slice(1)];
    }),
  );
}

describe('README, action.yml and the code', () => {
  it('list the same inputs, with the same defaults', () => {
    const inputs = table('Inputs');
    expect([...inputs.keys()]).toEqual(Object.keys(action.inputs));
    for (const [name, input] of Object.entries(action.inputs)) {
      if (input.default !== undefined) expect(inputs.get(name)![0]).toBe(input.default);
    }
    expect(action.inputs.concurrency!.default).toBe(String(DEFAULT_CONCURRENCY));
  });

  it('list the same outputs as the action writes', () => {
    expect([...table('Outputs').keys()]).toEqual(Object.keys(action.outputs));
    expect(Object.keys(action.outputs)).toEqual([...OUTPUTS]);
  });

  it('describe the action in fewer than 125 characters, which the Marketplace requires', () => {
    expect(action.description.length).toBeLessThan(125);
  });

  it('run the bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('open with the two commands that work on a fresh clone', () => {
    const lines = readme.split('\n').slice(0, 6).join('\n');
    expect(lines).toContain('npm ci && npm run demo');
    expect(lines).toContain('npm ci && npm test');
  });

  it('show measured figures in the performance section, not a placeholder', () => {
    const section = readme.split(/^## /m).find((part) => part.startsWith('Performance\n'))!;
    expect(section).not.toContain('PERFORMANCE_TABLE');
    expect(section).toMatch(/\d+ ms/);
  });

  it('name the license of every package in the bundle, octokit included', () => {
    const licenses = readFileSync('dist/licenses.txt', 'utf8');
    for (const name of [
      '@actions/core',
      '@actions/github',
      '@actions/http-client',
      'undici',
      '@octokit/auth-token',
      '@octokit/core',
      '@octokit/request',
      'universal-user-agent',
    ]) {
      expect(licenses).toMatch(new RegExp(`^${name}@\\d`, 'm'));
    }
  });

  it('have a changelog that names the new output and the gate on author and sender', () => {
    expect(changelog).toContain('`remaining-access`');
    expect(changelog).toContain("both the issue's author and the event's");
  });
});
