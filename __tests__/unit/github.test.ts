// The permission gate and the comment, with a fake GitHub: every role, author and sender apart,
// calls that never end, and which calls are made at all.
import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/issue/comment.js';
import type { ConnectGitHub, GitHubApi, IssueEvent } from '../../src/issue/github-api.js';
import { admitIssueRun, type IssueOptions } from '../../src/issue/issue-run.js';
import { PERMISSIONS } from '../../src/model.js';

const settings = (overrides: Partial<IssueOptions> = {}): IssueOptions => ({
  token: 'ghs_x',
  requiredPermission: 'write',
  commentOnIssue: false,
  timeoutMs: 1000,
  ...overrides,
});
const never = () => new Promise<never>(() => {});

function fakeGitHub(
  roles: Record<string, string | Error | 'hang'>,
  event: Partial<IssueEvent> = {},
  comments: number[] = [],
) {
  const calls: string[] = [];
  const api: GitHubApi = {
    async role(user) {
      calls.push(`role ${user}`);
      const role = roles[user];
      if (role === 'hang') return never();
      if (role instanceof Error) throw role;
      if (role === undefined) throw Object.assign(new Error('Not Found'), { status: 404 });
      return role;
    },
    async findComment(issue, marker) {
      calls.push(`find ${issue} ${marker === COMMENT_MARKER}`);
      return comments[0];
    },
    createComment: async (issue, body) => void calls.push(`create ${issue} ${body.split('\n')[1]}`),
    updateComment: async (id, body) => void calls.push(`update ${id} ${body.split('\n')[1]}`),
  };
  const connect: ConnectGitHub = async () => ({
    event: { issueNumber: 7, author: 'mona', sender: 'mona', ...event },
    api,
  });
  return { calls, connect };
}

const notices = () => {
  const seen: string[] = [];
  return {
    seen,
    info: (m: string) => void seen.push(`info ${m}`),
    warning: (m: string) => void seen.push(`warning ${m}`),
  };
};

describe('permission gate', () => {
  for (const required of PERMISSIONS) {
    for (const role of PERMISSIONS) {
      const allowed = PERMISSIONS.indexOf(role) >= PERMISSIONS.indexOf(required);
      it(`${role} ${allowed ? 'passes' : 'is refused'} when ${required} is required`, async () => {
        const { connect, calls } = fakeGitHub({ mona: role });
        const seen = notices();
        const gate = await admitIssueRun(settings({ requiredPermission: required }), 'issues', seen, connect);
        expect(calls).toEqual(['role mona']);
        if (allowed) {
          expect(gate.denial).toBeUndefined();
          expect(seen.seen).toEqual([
            `info the issue's author and the event's sender mona has "${role}" permission on this repository (required: ${required}).`,
          ]);
        } else {
          expect(gate.denial).toBe(
            `required-permission: the issue's author and the event's sender mona has "${role}" permission on this repository, and runs triggered by an issue need "${required}" or higher; refusing.`,
          );
        }
      });
    }
  }

  // A maintainer who edits, labels or comments on an outsider's issue must not lend the outsider's
  // form text their own permission, nor an outsider's comment run a maintainer's form.
  const pairs: Array<[string, string, string, string]> = [
    ["a maintainer edits, labels or comments on an outsider's issue", 'outsider', 'maintainer', "the issue's author"],
    ["an outsider comments on a maintainer's issue", 'maintainer', 'outsider', "the event's sender"],
  ];
  for (const [what, author, sender, who] of pairs) {
    it(`checks the author and the sender, each once, and names who fell short: ${what}`, async () => {
      const { connect, calls } = fakeGitHub({ outsider: 'read', maintainer: 'admin' }, { author, sender });
      const gate = await admitIssueRun(settings(), 'issues', notices(), connect);
      expect(calls.sort()).toEqual(['role maintainer', 'role outsider']);
      expect(gate.denial).toBe(
        `required-permission: ${who} outsider has "read" permission on this repository, and runs triggered by an issue need "write" or higher; refusing.`,
      );
    });
  }

  it('refuses a sender who is not a collaborator', async () => {
    const { connect } = fakeGitHub({ mona: 'admin' }, { sender: 'stranger' });
    const gate = await admitIssueRun(settings(), 'issue_comment', notices(), connect);
    expect(gate.denial).toBe(
      `required-permission: the event's sender stranger is not a collaborator of this repository, and runs triggered by an issue need "write" permission; refusing.`,
    );
  });

  it('refuses when the event names no login, or an odd one', async () => {
    const cases: Array<[Partial<IssueEvent>, string]> = [
      [{ author: undefined }, "the issue's author"],
      [{ sender: 42 }, "the event's sender"],
      [{ author: 'a/b' }, "the issue's author"],
      [{ author: '../../admin' }, "the issue's author"],
      [{ sender: '' }, "the event's sender"],
    ];
    for (const [event, who] of cases) {
      const { connect, calls } = fakeGitHub({ mona: 'admin' }, event);
      const gate = await admitIssueRun(settings(), 'issue_comment', notices(), connect);
      expect(gate.denial).toBe(
        `required-permission: the event names no valid login for ${who}, so their permission cannot be checked; refusing.`,
      );
      expect(calls).toEqual([]);
    }
  });

  it('fails closed on an error, and on a call that never ends', async () => {
    const failing = fakeGitHub({ mona: Object.assign(new Error('Server Error'), { status: 502 }) });
    expect((await admitIssueRun(settings(), 'issues', notices(), failing.connect)).denial).toContain(
      "could not read the repository permission of the issue's author and the event's sender mona: HTTP 502: Server Error; refusing.",
    );
    const hanging = fakeGitHub({ mona: 'hang' });
    const started = Date.now();
    expect((await admitIssueRun(settings({ timeoutMs: 100 }), 'issues', notices(), hanging.connect)).denial).toContain(
      'no answer within 0.1 s (timeout-seconds); refusing.',
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses when the event or the API cannot be loaded at all', async () => {
    const gate = await admitIssueRun(settings(), 'issues', notices(), async () => {
      throw new SyntaxError('Unexpected token in JSON');
    });
    expect(gate.denial).toBe(
      'required-permission: could not read the event or reach the GitHub API: Unexpected token in JSON; refusing.',
    );
  });

  it('makes no call for other events, nor with required-permission: none and no comment', async () => {
    const { connect, calls } = fakeGitHub({});
    const seen = notices();
    expect(await admitIssueRun(settings({ commentOnIssue: true }), 'push', seen, connect)).toEqual({});
    expect(await admitIssueRun(settings({ requiredPermission: 'none' }), 'issues', seen, connect)).toEqual({});
    expect(calls).toEqual([]);
    expect(seen.seen).toEqual([
      'warning comment-on-issue: ignored, because this run was triggered by "push", not by an issue.',
    ]);
  });
});

describe('comment', () => {
  it('creates the comment, or updates the one found by its marker', async () => {
    const first = fakeGitHub({ mona: 'write' });
    const gate = await admitIssueRun(settings({ commentOnIssue: true }), 'issues', notices(), first.connect);
    await gate.postResult!('## result');
    expect(first.calls).toEqual(['role mona', 'find 7 true', 'create 7 ## result']);
    const again = fakeGitHub({ mona: 'write' }, {}, [99]);
    await (
      await admitIssueRun(settings({ commentOnIssue: true }), 'issues', notices(), again.connect)
    ).postResult!('## result');
    expect(again.calls).toContain('update 99 ## result');
  });

  it('is still offered when the gate refuses, so the refusal is reported on the issue', async () => {
    const { connect } = fakeGitHub({ mona: 'read' });
    const gate = await admitIssueRun(settings({ commentOnIssue: true }), 'issues', notices(), connect);
    expect(gate.denial).toBeDefined();
    expect(gate.postResult).toBeDefined();
  });

  it('warns, never throws, when the comment fails or never answers', async () => {
    const { connect } = fakeGitHub({ mona: 'write' });
    const seen = notices();
    const gate = await admitIssueRun(
      settings({ commentOnIssue: true, timeoutMs: 100 }),
      'issues',
      seen,
      async (token) => {
        const connected = await connect(token);
        return { ...connected, api: { ...connected.api, findComment: never } };
      },
    );
    await gate.postResult!('x');
    expect(seen.seen.at(-1)).toBe(
      'warning comment-on-issue: could not comment on issue #7: no answer within 0.1 s (timeout-seconds). Re-run the workflow to post it.',
    );
  });

  it('warns when the payload names no issue', async () => {
    const { connect } = fakeGitHub({ mona: 'write' }, { issueNumber: '7; rm -rf' });
    const seen = notices();
    const gate = await admitIssueRun(settings({ commentOnIssue: true }), 'issues', seen, connect);
    expect(gate.postResult).toBeUndefined();
    expect(seen.seen).toContain(
      'warning comment-on-issue: the event payload names no issue; no comment will be posted.',
    );
  });
});
