// run() in process, with every collaborator passed in: no subprocess, no network, no waiting.
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { fakeGitHub } from '../helpers/github-fake.ts';
import { run } from '../../src/main.js';
import type { ActionsCore } from '../../src/step.js';

const ORIGIN = 'https://api.test';
const ACCOUNT = 'a'.repeat(32);
const G1 = '1'.repeat(32);
const G2 = '2'.repeat(32);
const MEMBER = 'c'.repeat(32);
const ok = (result: unknown, result_info?: unknown) => ({
  success: true,
  errors: [],
  messages: [],
  result,
  ...(result_info ? { result_info } : {}),
});

function fakeCore(inputs: Record<string, string>) {
  const seen = {
    outputs: {} as Record<string, string>,
    failed: [] as string[],
    info: [] as string[],
    warnings: [] as string[],
    secrets: [] as string[],
    summary: '',
  };
  const core: ActionsCore = {
    getInput: (name) => (inputs[name] ?? '').trim(),
    setSecret: (secret) => void seen.secrets.push(secret),
    setOutput: (name, value) => void (seen.outputs[name] = value),
    setFailed: (message) => void seen.failed.push(message),
    info: (message) => void seen.info.push(message),
    debug: () => {},
    warning: (message) => void seen.warnings.push(message),
    startGroup: () => {},
    endGroup: () => {},
    summary: {
      addRaw(text) {
        seen.summary += text;
        return this;
      },
      write: async () => undefined,
    },
  };
  return { core, seen };
}

function mockApi() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return { agent, pool: agent.get(ORIGIN) };
}

const base = { 'account-id': ACCOUNT, 'api-token': 'tok-123456', 'api-base-url': `${ORIGIN}/client/v4` };
/** No signal handlers on the test process. */
const noSignals = { interruptions: () => () => {} };

describe('run', () => {
  it('removes by email from two groups, waiting out a 429 through the sleep it is given', async () => {
    const { agent, pool } = mockApi();
    pool
      .intercept({ path: `/client/v4/accounts/${ACCOUNT}/members?page=1&per_page=50` })
      .reply(429, { success: false, errors: [{ code: 971, message: 'slow' }] }, { headers: { 'retry-after': '9' } });
    pool
      .intercept({ path: `/client/v4/accounts/${ACCOUNT}/members?page=1&per_page=50` })
      .reply(
        200,
        ok([{ id: MEMBER, user: { email: 'Ann@Example.com' }, status: 'accepted' }], { page: 1, per_page: 50 }),
      );
    pool.intercept({ path: `/client/v4/accounts/${ACCOUNT}/iam/user_groups?page=1&per_page=500` }).reply(
      200,
      ok(
        [G1, G2].map((id) => ({ id, name: `Group ${id[0]}`, policies: [] })),
        { page: 1, per_page: 500 },
      ),
    );
    for (const group of [G1, G2])
      pool
        .intercept({
          path: `/client/v4/accounts/${ACCOUNT}/iam/user_groups/${group}/members/${MEMBER}`,
          method: 'DELETE',
        })
        .reply(200, ok({ id: MEMBER }));
    const sleeps: number[] = [];
    const { core, seen } = fakeCore({ ...base, 'user-group-id': `${G1},${G2}`, 'member-email': 'ann@example.com' });
    await run({
      core,
      env: {},
      dispatcher: agent,
      clock: { now: Date.now, sleep: async (ms) => void sleeps.push(ms) },
      ...noSignals,
    });

    agent.assertNoPendingInterceptors();
    expect(seen.failed).toEqual([]);
    expect(seen.secrets).toEqual(['tok-123456']);
    // The pause is shared: every request after the 429 waits it out, until the deadline Retry-After
    // set (the fake sleep does not move the clock; a millisecond may pass before it is read).
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms > 8_000 && ms <= 9_000)).toBe(true);
    expect(seen.outputs).toMatchObject({
      id: MEMBER,
      email: 'Ann@Example.com',
      removed: 'true',
      'removed-groups': JSON.stringify([G1, G2]),
    });
    expect(seen.info.some((line) => line.includes('Retrying GET') && line.includes('HTTP 429'))).toBe(true);
  });

  it('refuses an issue opened by a reader before any Cloudflare request, and still writes the record', async () => {
    const { agent } = mockApi();
    const { connect: github } = fakeGitHub({
      roles: { outsider: 'read' },
      event: { author: 'outsider', sender: 'outsider' },
    });
    const { core, seen } = fakeCore({ ...base, 'user-group-id': G1, 'member-id': MEMBER, 'github-token': 'ghs_x' });
    await run({ core, env: { GITHUB_EVENT_NAME: 'issues' }, dispatcher: agent, github, ...noSignals });
    expect(seen.failed).toEqual([
      `required-permission: the issue's author and the event's sender outsider has "read" permission on this repository, and runs triggered by an issue need "write" or higher; refusing.`,
    ]);
    expect(seen.outputs).toMatchObject({ id: MEMBER, removed: 'false', 'removed-groups': '[]' });
    expect(JSON.parse(seen.outputs.result!).failure).toContain('required-permission');
    expect(seen.summary).toContain('The run stopped before any request to Cloudflare; nothing was removed.');
  });

  it('writes the record before failing on invalid inputs', async () => {
    const { core, seen } = fakeCore({ ...base, 'user-group-id': 'nope', 'member-id': MEMBER });
    await run({ core, env: {}, ...noSignals });
    expect(seen.failed).toEqual(['user-group-id: expected a 32-character hexadecimal ID, got "nope".']);
    expect(Object.keys(seen.outputs)).toEqual([
      'id',
      'email',
      'status',
      'removed',
      'removed-groups',
      'skipped-groups',
      'remaining-access',
      'access-remains',
      'members',
      'accounts',
      'result',
    ]);
  });

  it('writes the rest when the outputs or the summary cannot be written, names which, and fails without a stack', async () => {
    const { core, seen } = fakeCore({
      ...base,
      'user-group-id': G1,
      'member-id': MEMBER,
      'comment-on-issue': 'true',
      'github-token': 'ghs_x',
    });
    core.summary.write = async () => {
      throw new Error('GITHUB_STEP_SUMMARY is not set');
    };
    core.setOutput = () => {
      throw new Error('disk full');
    };
    const { agent, pool } = mockApi();
    pool
      .intercept({ path: `/client/v4/accounts/${ACCOUNT}/iam/user_groups/${G1}/members/${MEMBER}`, method: 'DELETE' })
      .reply(200, ok({ id: MEMBER }));
    const { connect: github, comments } = fakeGitHub();
    await run({ core, env: { GITHUB_EVENT_NAME: 'issues' }, dispatcher: agent, github, ...noSignals });
    expect(seen.failed).toEqual(["Could not write the step's outputs (GITHUB_OUTPUT): disk full"]);
    expect(seen.warnings).toEqual([
      'Could not write the job summary (GITHUB_STEP_SUMMARY): GITHUB_STEP_SUMMARY is not set',
    ]);
    expect(comments[0]!.body).toContain('✅ removed');
  });

  it('masks each credential, and each line of one given on several lines, before anything else', async () => {
    const { core, seen } = fakeCore({
      ...base,
      'api-token': 'first-half\nsecond-half',
      'user-group-id': G1,
      'member-id': MEMBER,
    });
    await run({ core, env: {}, ...noSignals });
    expect(seen.secrets).toEqual(['first-half\nsecond-half', 'first-half', 'second-half']);
    expect(seen.failed[0]).toContain('api-token: must be one line');
  });
});
