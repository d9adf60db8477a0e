// Issue-triggered runs with real webhook payloads: the permission gate and the result comment.
import examples from '@octokit/webhooks-examples';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubMock } from '../../simulator/github.ts';
import { seeded } from '../fixture.ts';

type Example = { name: string; examples: Array<{ action?: string; sender: { login: string }; issue: { number: number } }> };
const payload = (event: string, action: string) => (examples as unknown as Example[]).find((e) => e.name === event)!.examples.find((x) => x.action === action)!;
const opened = payload('issues', 'opened');
const commented = payload('issue_comment', 'created');
const actor = opened.sender.login;

const mocks: GitHubMock[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((mock) => mock.stop()));
});

async function github(roles: Record<string, string> = {}) {
  const mock = new GitHubMock();
  mock.roles = roles;
  const url = await mock.start();
  mocks.push(mock);
  return { mock, env: { GITHUB_API_URL: url, GITHUB_REPOSITORY: 'Codertocat/Hello-World' } };
}

const ROLES = ['read', 'triage', 'write', 'maintain', 'admin'];

describe('permission gate', () => {
  for (const role of ROLES) {
    it(`an issue opened by a ${role} actor is ${ROLES.indexOf(role) >= 2 ? 'allowed' : 'refused'} with the default (write)`, async () => {
      const { sim, ann, engineers, run } = await seeded();
      const { mock, env } = await github({ [actor]: role });
      const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id }, { env, githubToken: 'ghs_mock-token', event: { name: 'issues', payload: opened } });
      expect(mock.requests).toEqual([`GET /repos/Codertocat/Hello-World/collaborators/${actor}/permission`]);
      if (ROLES.indexOf(role) >= 2) {
        expect(result.exitCode).toBe(0);
        expect(sim.requests).toHaveLength(1);
      } else {
        expect(result.exitCode).toBe(1);
        expect(sim.requests).toEqual([]);
        expect(result.errors[0]).toBe(`required-permission: ${actor} has "${role}" permission on this repository, and runs triggered by an issue need "write" or higher; refusing.`);
      }
    });
  }

  it('refuses a commenter who is not a collaborator, before any Cloudflare request', async () => {
    const { sim, ann, engineers, run } = await seeded();
    const { env } = await github({});
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id }, { env, githubToken: 'ghs_mock-token', event: { name: 'issue_comment', payload: commented } });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toContain(`${actor} is not a collaborator of this repository`);
  });

  it('fails closed when the GitHub API is down', async () => {
    const { sim, ann, engineers, run } = await seeded();
    const { mock, env } = await github({ [actor]: 'admin' });
    mock.failWith = { status: 503 };
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id }, { env, githubToken: 'ghs_mock-token', event: { name: 'issues', payload: opened } });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toMatch(/^required-permission: could not read the repository permission of Codertocat: HTTP 503/);
  });

  it('checks a higher requirement', async () => {
    const { ann, engineers, run } = await seeded();
    const { env } = await github({ [actor]: 'maintain' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'required-permission': 'admin' }, { env, githubToken: 'ghs_mock-token', event: { name: 'issues', payload: opened } });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('has "maintain" permission on this repository, and runs triggered by an issue need "admin" or higher');
  });

  it('makes no GitHub call with required-permission: none, nor for workflow_dispatch', async () => {
    const { ann, joann, engineers, run } = await seeded();
    const { mock, env } = await github({});
    const skipped = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'required-permission': 'none' }, { env, githubToken: 'ghs_mock-token', event: { name: 'issues', payload: opened } });
    expect(skipped.exitCode).toBe(0);
    const dispatched = await run({ 'user-group-id': engineers.id, 'member-id': joann.id, 'comment-on-issue': 'true' }, { env, githubToken: 'ghs_mock-token', event: { name: 'workflow_dispatch', payload: { inputs: {} } } });
    expect(dispatched.exitCode).toBe(0);
    expect(dispatched.warnings).toEqual(['comment-on-issue: ignored, because this run was triggered by "workflow_dispatch", not by an issue.']);
    expect(mock.requests).toEqual([]);
  });
});

describe('result comment', () => {
  it('posts one comment, then updates it on a re-run', async () => {
    const { ann, engineers, run } = await seeded();
    const { mock, env } = await github({ [actor]: 'write' });
    const inputs = { 'user-group-id': engineers.id, 'member-id': ann.id, 'comment-on-issue': 'true', 'if-not-member': 'skip' };
    const options = { env, githubToken: 'ghs_mock-token', event: { name: 'issues', payload: opened } };
    expect((await run(inputs, options)).exitCode).toBe(0);
    expect(mock.comments.get(1)).toHaveLength(1);
    expect(mock.comments.get(1)![0]!.body).toContain('✅ removed');

    const again = await run(inputs, options);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('Updated the result comment on issue #1.');
    expect(mock.comments.get(1)).toHaveLength(1);
    expect(mock.comments.get(1)![0]!.body).toContain('➖ not a member');
    expect(mock.requests.filter((r) => r.startsWith('POST'))).toHaveLength(1);
    expect(mock.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(1);
  });

  it('reports a failed removal in the comment, escaped and with credentials redacted', async () => {
    const { sim, account, ann, run } = await seeded();
    const odd = sim.addGroup(account, '<script>alert(1)</script> | Ops', [ann.id]);
    sim.faults.push({ kind: 'echo-credentials', method: 'DELETE' });
    const { mock, env } = await github({ [actor]: 'admin' });
    const result = await run({ 'user-group-name': odd.name, 'member-id': ann.id, 'comment-on-issue': 'true' }, { env, githubToken: 'ghs_mock-token', event: { name: 'issue_comment', payload: commented } });
    expect(result.exitCode).toBe(1);
    const body = mock.comments.get(1)![0]!.body;
    expect(body).toContain('❌ failed');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| Ops');
    expect(body).not.toContain('<script>');
    expect(body).not.toContain('cfut_test-token');
    expect(body).toContain('**Failed:**');
  });

  it('warns, without failing the removal, when the comment cannot be posted', async () => {
    const { ann, engineers, run } = await seeded();
    const { mock, env } = await github({ [actor]: 'write' });
    mock.failWith = { status: 403, path: /comments/ };
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'comment-on-issue': 'true' }, { env, githubToken: 'ghs_mock-token', event: { name: 'issues', payload: opened } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.removed).toBe('true');
    expect(result.warnings[0]).toMatch(/^comment-on-issue: could not comment on issue #1: HTTP 403/);
  });
});
