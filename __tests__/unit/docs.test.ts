// The README's tables, action.yml and the changelog describe the same inputs and outputs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PAGE_SIZE } from '../../src/cloudflare/client.js';
import { WRITERS_ONLY } from '../../src/issue/events.js';
import { OUTPUTS } from '../../src/report/outputs.js';
import { RESTORE_OUTPUTS } from '../../src/restore/report.js';
import { DEFAULT_CONCURRENCY } from '../../src/settings/endpoints.js';

const readme = readFileSync('README.md', 'utf8');
const changelog = readFileSync('CHANGELOG.md', 'utf8');
const security = readFileSync('SECURITY.md', 'utf8');
const envExample = readFileSync('.env.example', 'utf8');
const action = parse(readFileSync('action.yml', 'utf8')) as {
  description: string;
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

const restore = parse(readFileSync('restore/action.yml', 'utf8')) as typeof action;

function table(heading: string, level = '## '): Map<string, string[]> {
  const parts = readme.split(new RegExp(`^${level}`, 'm'));
  const section = parts.find((part) => part.startsWith(`${heading}\n`))?.split(/^#{2,3} /m)[0] ?? '';
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

  it('say which events make no GitHub call for the gate: those only writers can cause', () => {
    const flat = readme.replace(/\s+/g, ' ');
    const events = WRITERS_ONLY.map((event) => `\`${event}\``);
    expect(flat).toContain(
      `Events that only people with write access can cause (${events.join(', ')}) make no GitHub call`,
    );
    expect(flat).not.toMatch(/Events other than `issues` and `issue_comment` make no GitHub call/);
  });

  it('state the page sizes the code asks for', () => {
    expect(PAGE_SIZE).toEqual({ groups: 500, accountMembers: 50, accounts: 50 });
    const flat = changelog.replace(/\s+/g, ' ');
    expect(flat).toContain('500 user groups, or 500 members of a group; 50 account members, and 50 account API tokens');
    expect(flat).not.toContain('ask for 500 groups or members');
  });
});

describe('the restore action: README, restore/action.yml and the code', () => {
  it('list the same inputs, with the same defaults', () => {
    const inputs = table('Restore inputs', '### ');
    expect([...inputs.keys()]).toEqual(Object.keys(restore.inputs));
    for (const [name, input] of Object.entries(restore.inputs)) {
      if (input.default !== undefined) expect(inputs.get(name)![0]).toBe(input.default);
    }
  });

  it('list the same outputs as the restore writes', () => {
    expect([...table('Restore outputs', '### ').keys()]).toEqual(Object.keys(restore.outputs));
    expect(Object.keys(restore.outputs)).toEqual([...RESTORE_OUTPUTS]);
  });

  it('share with the main action every input they have in common, with its default', () => {
    for (const [name, input] of Object.entries(restore.inputs))
      if (name in action.inputs) expect(input.default, name).toBe(action.inputs[name]!.default);
  });

  it('run a second entry of dist/ on Node 24, described for the Marketplace', () => {
    expect(restore.runs).toEqual({ using: 'node24', main: '../dist/restore/index.js' });
    expect(restore.description.length).toBeLessThan(125);
  });

  it('name the license of every package in the restore bundle', () => {
    const licenses = readFileSync('dist/restore/licenses.txt', 'utf8');
    for (const name of ['@actions/core', '@actions/github', '@actions/http-client', 'undici'])
      expect(licenses).toMatch(new RegExp(`^${name}@\\d`, 'm'));
  });

  it('are in the changelog', () => {
    const flat = changelog.replace(/\s+/g, ' ');
    for (const name of ['restore/action.yml', '`record-file`', '`restored`', 'CLOUDFLARE_RECORD_KEY'])
      expect(flat).toContain(name);
  });
});

describe('SECURITY.md', () => {
  it('names every form of a credential that is redacted, as the README does', () => {
    const forms = [
      'JSON-escaped',
      'URL-encoded',
      'HTML-escaped',
      'Markdown-escaped',
      'base64-encoded',
      'at any offset',
      'broken across lines',
    ];
    for (const form of forms) {
      expect(security.replace(/\s+/g, ' '), form).toContain(form);
      expect(readme.replace(/\s+/g, ' '), form).toContain(form);
    }
  });
});

describe('.env.example', () => {
  const variables = new Map(
    envExample
      .split('\n')
      .filter((line) => /^[A-Z_][\w-]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  it('sets every input of action.yml, in its order, and nothing else as an input', () => {
    const inputs = [...variables.keys()].filter((name) => name.startsWith('INPUT_'));
    expect(inputs).toEqual(Object.keys(action.inputs).map((name) => `INPUT_${name.toUpperCase()}`));
  });

  it('names the files a runner gives: the outputs and the job summary', () => {
    expect(variables.get('GITHUB_OUTPUT')).toMatch(/^\/tmp\/\S+$/);
    expect(variables.get('GITHUB_STEP_SUMMARY')).toMatch(/^\/tmp\/\S+$/);
    const local = readme.split(/^## /m).find((part) => part.startsWith('Running it locally\n'))!;
    expect(local).toContain(`touch ${variables.get('GITHUB_STEP_SUMMARY')} ${variables.get('GITHUB_OUTPUT')}`);
  });
});
