// run() in process, with every collaborator passed in: no subprocess, no network, no waiting.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import type { GitHubApi } from '../../src/github.js';
import { run } from '../../src/main.js';
import type { Toolkit } from '../../src/toolkit.js';

const ORIGIN = 'https://api.test';
const ACCOUNT = 'a'.repeat(32);
const G1 = '1'.repeat(32);
const G2 = '2'.repeat(32);
const MEMBER = 'c'.repeat(32);
const ok = (result: unknown) => ({ success: true, errors: [], messages: [], result });

function fakeToolkit(inputs: Record<string, string>) {
  const seen = { outputs: {} as Record<string, string>, failed: [] as string[], info: [] as string[], warnings: [] as string[], secrets: [] as string[], summary: '' };
  const toolkit: Toolkit = {
    getInput: (name) => inputs[name] ?? '',
    setSecret: (secret) => void seen.secrets.push(secret),
    setOutput: (name, value) => void (seen.outputs[name] = value),
    setFailed: (message) => void seen.failed.push(message),
    info: (message) => void seen.info.push(message),
    warning: (message) => void seen.warnings.push(message),
    summary: async (markdown) => void (seen.summary += markdown),
  };
  return { toolkit, seen };
}

function mockApi() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return { agent, pool: agent.get(ORIGIN) };
}

const base = { 'account-id': ACCOUNT, 'api-token': 'tok-123', 'api-base-url': `${ORIGIN}/client/v4` };

describe('run', () => {
  it('removes by email from two groups, waiting out a 429 through the sleep it is given', async () => {
    const { agent, pool } = mockApi();
    const members = (group: string) => `/client/v4/accounts/${ACCOUNT}/iam/user_groups/${group}/members`;
    pool.intercept({ path: `${members(G1)}?fuzzyEmail=ann%40example.com&page=1&per_page=50` }).reply(429, { success: false, errors: [{ code: 971, message: 'slow' }] }, { headers: { 'retry-after': '9' } });
    for (const group of [G1, G2]) {
      pool.intercept({ path: `${members(group)}?fuzzyEmail=ann%40example.com&page=1&per_page=50` }).reply(200, ok([{ id: MEMBER, email: 'Ann@Example.com', status: 'accepted' }]));
      pool.intercept({ path: `${members(group)}/${MEMBER}`, method: 'DELETE' }).reply(200, ok({ id: MEMBER }));
    }
    const sleeps: number[] = [];
    const { toolkit, seen } = fakeToolkit({ ...base, 'user-group-id': `${G1},${G2}`, 'member-email': 'ann@example.com' });
    await run({ toolkit, env: {}, dispatcher: agent, sleep: async (ms) => void sleeps.push(ms) });

    agent.assertNoPendingInterceptors();
    expect(seen.failed).toEqual([]);
    expect(seen.secrets).toEqual(['tok-123']);
    expect(sleeps[0]).toBeGreaterThan(8000);
    expect(seen.outputs).toMatchObject({ id: MEMBER, email: 'Ann@Example.com', removed: 'true', 'removed-groups': JSON.stringify([G1, G2]) });
    expect(seen.info.some((line) => line.includes('Retrying GET') && line.includes('HTTP 429'))).toBe(true);
  });

  it('refuses an issue opened by a reader before any Cloudflare request', async () => {
    const { agent } = mockApi();
    const event = join(mkdtempSync(join(tmpdir(), 'ev-')), 'event.json');
    writeFileSync(event, JSON.stringify({ sender: { login: 'outsider' }, issue: { number: 3 } }));
    const github = async (): Promise<GitHubApi> => ({
      role: async () => 'read',
      findComment: async () => undefined,
      createComment: async () => {},
      updateComment: async () => {},
    });
    const { toolkit, seen } = fakeToolkit({ ...base, 'user-group-id': G1, 'member-id': MEMBER, 'github-token': 'ghs_x' });
    await run({ toolkit, env: { GITHUB_EVENT_NAME: 'issues', GITHUB_EVENT_PATH: event }, dispatcher: agent, github });
    expect(seen.failed).toEqual(['required-permission: outsider has "read" permission on this repository, and runs triggered by an issue need "write" or higher; refusing.']);
    expect(seen.outputs).toEqual({});
  });

  it('fails with the message of an unexpected error, never a stack', async () => {
    const { toolkit, seen } = fakeToolkit({ ...base, 'user-group-id': G1, 'member-id': MEMBER });
    toolkit.setOutput = () => {
      throw new Error('disk full');
    };
    const { agent, pool } = mockApi();
    pool.intercept({ path: `/client/v4/accounts/${ACCOUNT}/iam/user_groups/${G1}/members/${MEMBER}`, method: 'DELETE' }).reply(200, ok({ id: MEMBER }));
    await run({ toolkit, env: {}, dispatcher: agent });
    expect(seen.failed).toEqual(['disk full']);
  });
});
