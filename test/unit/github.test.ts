import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER, issueContext, type GitHubApi } from '../../src/github.js';
import { PERMISSIONS, readSettings } from '../../src/inputs.js';

function settingsWith(extra: Record<string, string>) {
  const inputs: Record<string, string> = { 'account-id': 'a'.repeat(32), 'user-group-id': 'b'.repeat(32), 'member-id': 'c'.repeat(32), 'api-token': 't', 'github-token': 'ghs_x', ...extra };
  return readSettings((name) => inputs[name] ?? '', {});
}

function eventEnv(name: string, payload: unknown = { sender: { login: 'mona' }, issue: { number: 7 } }) {
  const path = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
  writeFileSync(path, JSON.stringify(payload));
  return { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path };
}

function fakeApi(role: string | Error, comments: Array<{ id: number }> = []) {
  const calls: string[] = [];
  const api: GitHubApi = {
    role: async (user) => {
      calls.push(`role ${user}`);
      if (role instanceof Error) throw role;
      return role;
    },
    findComment: async (issue, marker) => {
      calls.push(`find ${issue} ${marker === COMMENT_MARKER}`);
      return comments[0]?.id;
    },
    createComment: async (issue, body) => void calls.push(`create ${issue} ${body}`),
    updateComment: async (id, body) => void calls.push(`update ${id} ${body}`),
  };
  return { api, calls, connect: async () => api };
}

const notices = () => {
  const seen: string[] = [];
  return { seen, info: (m: string) => seen.push(`info ${m}`), warning: (m: string) => seen.push(`warning ${m}`) };
};

describe('permission gate', () => {
  for (const required of PERMISSIONS) {
    for (const role of PERMISSIONS) {
      const allowed = PERMISSIONS.indexOf(role) >= PERMISSIONS.indexOf(required);
      it(`${allowed ? 'lets' : 'refuses'} a ${role} actor when ${required} is required`, async () => {
        const { connect, calls } = fakeApi(role);
        const run = issueContext(settingsWith({ 'required-permission': required }), eventEnv('issues'), notices(), connect);
        if (allowed) await expect(run).resolves.toBeUndefined();
        else await expect(run).rejects.toThrow(`required-permission: mona has "${role}" permission on this repository, and runs triggered by an issue need "${required}" or higher; refusing.`);
        expect(calls).toEqual(['role mona']);
      });
    }
  }

  it('refuses a non-collaborator (404) and any failure of the check', async () => {
    const missing = Object.assign(new Error('Not Found'), { status: 404 });
    await expect(issueContext(settingsWith({}), eventEnv('issue_comment'), notices(), fakeApi(missing).connect)).rejects.toThrow('mona is not a collaborator');
    const down = Object.assign(new Error('Server Error'), { status: 502 });
    await expect(issueContext(settingsWith({}), eventEnv('issues'), notices(), fakeApi(down).connect)).rejects.toThrow('could not read the repository permission of mona: HTTP 502: Server Error; refusing.');
  });

  it('makes no GitHub call for other events, or with required-permission: none', async () => {
    let connected = 0;
    const connect = async () => {
      connected++;
      return fakeApi('admin').api;
    };
    const n = notices();
    expect(await issueContext(settingsWith({ 'comment-on-issue': 'true' }), { GITHUB_EVENT_NAME: 'workflow_dispatch' }, n, connect)).toBeUndefined();
    expect(await issueContext(settingsWith({ 'required-permission': 'none' }), eventEnv('issues'), notices(), connect)).toBeUndefined();
    expect(connected).toBe(0);
    expect(n.seen).toEqual(['warning comment-on-issue: ignored, because this run was triggered by "workflow_dispatch", not by an issue.']);
  });

  it('refuses without a github-token', async () => {
    await expect(issueContext(settingsWith({ 'github-token': '' }), eventEnv('issues'), notices(), fakeApi('admin').connect)).rejects.toThrow('github-token: required');
  });
});

describe('result comment', () => {
  it('creates a comment with the marker, or updates the one found', async () => {
    const first = fakeApi('write');
    const context = await issueContext(settingsWith({ 'comment-on-issue': 'true' }), eventEnv('issues'), notices(), first.connect);
    await context!.comment('| table |');
    expect(first.calls).toEqual(['role mona', 'find 7 true', `create 7 ${COMMENT_MARKER}\n| table |`]);

    const again = fakeApi('write', [{ id: 99 }]);
    const second = await issueContext(settingsWith({ 'comment-on-issue': 'true' }), eventEnv('issues'), notices(), again.connect);
    await second!.comment('| new |');
    expect(again.calls.at(-1)).toBe(`update 99 ${COMMENT_MARKER}\n| new |`);
  });

  it('turns a comment that cannot be posted into a warning', async () => {
    const { api } = fakeApi('write');
    api.createComment = async () => {
      throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
    };
    const n = notices();
    const context = await issueContext(settingsWith({ 'comment-on-issue': 'true', 'required-permission': 'none' }), eventEnv('issues'), n, async () => api);
    await expect(context!.comment('x')).resolves.toBeUndefined();
    expect(n.seen).toEqual(['warning comment-on-issue: could not comment on issue #7: HTTP 403: Resource not accessible by integration. The workflow needs "permissions: issues: write".']);
  });

  it('does not blame the permissions for a comment lost to a server error', async () => {
    const { api } = fakeApi('write');
    api.findComment = async () => {
      throw Object.assign(new Error('Bad Gateway'), { status: 502 });
    };
    const n = notices();
    const context = await issueContext(settingsWith({ 'comment-on-issue': 'true', 'required-permission': 'none' }), eventEnv('issues'), n, async () => api);
    await context!.comment('x');
    expect(n.seen).toEqual(['warning comment-on-issue: could not comment on issue #7: HTTP 502: Bad Gateway. Re-run the workflow to post it.']);
  });
});
