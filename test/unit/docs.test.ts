// The README's tables and action.yml describe the same inputs and outputs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const readme = readFileSync('README.md', 'utf8');
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

function table(heading: string): Map<string, string[]> {
  const section = readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';
  const rows = section.split('\n').filter((line) => /^\| `[a-z-]+` \|/.test(line));
  return new Map(rows.map((row) => {
    const cells = row.split(' | ').map((cell) => cell.replace(/^\| |`/g, '').trim());
    return [cells[0]!, cells.slice(1)];
  }));
}

describe('README and action.yml', () => {
  it('list the same inputs, with the same defaults', () => {
    const inputs = table('Inputs');
    expect([...inputs.keys()]).toEqual(Object.keys(action.inputs));
    for (const [name, input] of Object.entries(action.inputs)) {
      if (input.default !== undefined) expect(inputs.get(name)![0]).toBe(input.default);
    }
  });

  it('list the same outputs', () => {
    expect([...table('Outputs').keys()]).toEqual(Object.keys(action.outputs));
  });

  it('run the bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('open with the two commands that work on a fresh clone', () => {
    const lines = readme.split('\n').slice(0, 6).join('\n');
    expect(lines).toContain('npm ci && npm run demo');
    expect(lines).toContain('npm ci && npm test');
  });
});
