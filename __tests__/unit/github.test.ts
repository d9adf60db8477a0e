// The permission gate and the comment, with a fake GitHub: every role, author and sender apart,
// calls that never end, and which calls are made at all.
import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/issue/comment.js';
import type { RunEvent } from '../../src/issue/github-api.js';
import { fakeGitHub, type FakeGitHubOptions } from '../helpers/github-fake.ts';
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

// The old shape of the fake, kept so the tables below read as before: roles, an event, comment ids.
function fakeWith(roles: Record<string, string | Error>, event: Partial<RunEvent> = {}, comments: number[] = []) {
  return fakeGitHub({
    roles,
    event,
    comments: comments.map((id) => ({ id, author: 'github-actions[bot]', body: `${COMMENT_MARKER}\nold` })),
  });
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
        const { connect, calls } = fakeWith({ mona: role });
        const seen = notices();
        const gate = await admitIssueRun(settings({ requiredPermission: required }), 'issues', seen, connect);
        expect(calls).toEqual(allowed ? ['role mona', 'issue 7'] : ['role mona']);
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
      const { connect, calls } = fakeWith({ outsider: 'read', maintainer: 'admin' }, { author, sender });
      const gate = await admitIssueRun(settings(), 'issues', notices(), connect);
      expect(calls.sort()).toEqual(['role maintainer', 'role outsider']);
      expect(gate.denial).toBe(
        `required-permission: ${who} outsider has "read" permission on this repository, and runs triggered by an issue need "write" or higher; refusing.`,
      );
    });
  }

  it('refuses a sender who is not a collaborator', async () => {
    const { connect } = fakeWith({ mona: 'admin' }, { sender: 'stranger' });
    const gate = await admitIssueRun(settings(), 'issue_comment', notices(), connect);
    expect(gate.denial).toBe(
      `required-permission: the event's sender stranger is not a collaborator of this repository, and runs triggered by an issue need "write" permission; refusing.`,
    );
  });

  it('refuses when the event names no login, or an odd one', async () => {
    const cases: Array<[Partial<RunEvent>, string]> = [
      [{ author: undefined }, "the issue's author"],
      [{ sender: 42 }, "the event's sender"],
      [{ author: 'a/b' }, "the issue's author"],
      [{ author: '../../admin' }, "the issue's author"],
      [{ sender: '' }, "the event's sender"],
    ];
    for (const [event, who] of cases) {
      const { connect, calls } = fakeWith({ mona: 'admin' }, event);
      const gate = await admitIssueRun(settings(), 'issue_comment', notices(), connect);
      expect(gate.denial).toBe(
        `required-permission: the event names no valid login for ${who}, so their permission cannot be checked; refusing.`,
      );
      expect(calls).toEqual([]);
    }
  });

  it('fails closed on an error, and on a call that never ends', async () => {
    const failing = fakeWith({ mona: Object.assign(new Error('Server Error'), { status: 502 }) });
    expect((await admitIssueRun(settings(), 'issues', notices(), failing.connect)).denial).toContain(
      "could not read the repository permission of the issue's author and the event's sender mona: HTTP 502: Server Error; refusing.",
    );
    const hanging = fakeWith({ mona: 'hang' });
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
    const { connect, calls } = fakeWith({});
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
    const first = fakeWith({ mona: 'write' });
    const gate = await admitIssueRun(settings({ commentOnIssue: true }), 'issues', notices(), first.connect);
    await gate.postResult!('## result');
    expect(first.calls).toEqual([
      'role mona',
      'issue 7',
      'viewer',
      'find 7 by github-actions[bot]',
      'create 7 ## result',
    ]);
    const again = fakeWith({ mona: 'write' }, {}, [99]);
    await (
      await admitIssueRun(settings({ commentOnIssue: true }), 'issues', notices(), again.connect)
    ).postResult!('## result');
    expect(again.calls).toContain('update 99 ## result');
  });

  it('is still offered when the gate refuses, so the refusal is reported on the issue', async () => {
    const { connect, calls } = fakeWith({ mona: 'read' });
    const gate = await admitIssueRun(settings({ commentOnIssue: true }), 'issues', notices(), connect);
    expect(gate.denial).toContain('has "read" permission on this repository');
    await gate.postResult!('## refused');
    expect(calls).toContain('create 7 ## refused');
  });

  it('warns, never throws, when the comment fails or never answers', async () => {
    const { connect } = fakeWith({ mona: 'write' });
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
    const { connect } = fakeWith({ mona: 'write' }, { issueNumber: '7; rm -rf' });
    const seen = notices();
    const gate = await admitIssueRun(settings({ commentOnIssue: true }), 'issues', seen, connect);
    expect(gate.postResult).toBeUndefined();
    expect(seen.seen).toContain(
      'warning comment-on-issue: the event payload names no issue; no comment will be posted.',
    );
  });
});

describe('approver-permission', () => {
  const approving = (overrides: Partial<IssueOptions> = {}) =>
    settings({ requiredPermission: 'triage', approverPermission: 'maintain', ...overrides });

  it('lets a second person with the approver permission start a request filed with less', async () => {
    const { connect, calls } = fakeGitHub({
      roles: { filer: 'triage', lead: 'maintain' },
      event: { author: 'filer', sender: 'lead', label: 'approved' },
    });
    const seen = notices();
    const gate = await admitIssueRun(approving(), 'issues', seen, connect);
    expect(gate.denial).toBeUndefined();
    expect(calls.sort()).toEqual(['edits 7', 'issue 7', 'role filer', 'role lead']);
    expect(seen.seen).toContain(
      `info the issue's author filer has "triage"; the event's sender lead has "maintain" permission on this repository (required: triage; to approve: maintain).`,
    );
  });

  const refused: Array<[string, Partial<RunEvent>, Record<string, string>, string]> = [
    [
      'the author approving their own request',
      { author: 'lead', sender: 'Lead' },
      { lead: 'admin' },
      `approver-permission: the event's sender Lead is the issue's author; a second person with "maintain" permission must approve the request (by adding the approval label, say); refusing.`,
    ],
    [
      'a sender below the approver permission',
      { author: 'filer', sender: 'helper' },
      { filer: 'triage', helper: 'write' },
      `approver-permission: the event's sender helper has "write" permission on this repository, and approving a request needs "maintain" or higher; refusing.`,
    ],
    [
      'an author below the required permission',
      { author: 'stranger', sender: 'lead' },
      { stranger: 'read', lead: 'maintain' },
      `required-permission: the issue's author stranger has "read" permission on this repository, and runs triggered by an issue need "triage" or higher; refusing.`,
    ],
  ];
  it.each(refused)('refuses %s', async (_what, event, roles, message) => {
    const { connect, calls } = fakeGitHub({ roles, event });
    const gate = await admitIssueRun(approving(), 'issues', notices(), connect);
    expect(gate.denial).toBe(message);
    expect(calls).not.toContain('issue 7');
  });
});

describe('an approver who is a person', () => {
  const approving = settings({ requiredPermission: 'triage', approverPermission: 'maintain' });
  const roles = { filer: 'triage', lead: 'maintain', 'auto-labeller[bot]': 'admin', 'octo-org': 'admin' };

  // An auto-labeller app with admin, an organization, or a payload that does not say: none is a second person.
  const notPeople: Array<[string, Partial<RunEvent>, string]> = [
    ['an app (Bot)', { sender: 'auto-labeller[bot]', senderType: 'Bot' }, '"Bot"'],
    ['an organization', { sender: 'octo-org', senderType: 'Organization' }, '"Organization"'],
    ['a sender whose type is missing', { sender: 'lead', senderType: undefined }, 'not given'],
    ['a sender whose type is not a string', { sender: 'lead', senderType: { type: 'User' } }, 'not given'],
    ['a sender whose type is "user" in another case', { sender: 'lead', senderType: 'user' }, '"user"'],
  ];
  it.each(notPeople)('refuses %s as the approver, before any call', async (_what, event, type) => {
    const { connect, calls } = fakeGitHub({ roles, event: { author: 'filer', ...event } });
    const gate = await admitIssueRun(approving, 'issues', notices(), connect);
    expect(gate.denial).toBe(
      `approver-permission: the event's sender ${event.sender as string} is not a person (GitHub account type ${type}, not "User"); a bot or an app never counts as the second person with "maintain" permission who approves a request; refusing.`,
    );
    expect(calls).toEqual([]);
  });

  it('leaves runs without approver-permission to the permission check alone', async () => {
    const { connect, calls } = fakeGitHub({
      roles,
      event: { author: 'filer', sender: 'auto-labeller[bot]', senderType: 'Bot' },
    });
    const gate = await admitIssueRun(settings({ requiredPermission: 'triage' }), 'issues', notices(), connect);
    expect(gate.denial).toBeUndefined();
    expect(calls).not.toContain('edits 7');
  });
});

describe('an approver who did not write what they approve', () => {
  const approving = settings({ requiredPermission: 'triage', approverPermission: 'maintain' });
  const roles = { filer: 'triage', lead: 'maintain' };
  const event = { author: 'filer', sender: 'lead', body: '### Member emails\n\nann@example.com' };
  const admit = async (edits: FakeGitHubOptions['edits']) => {
    const { connect, calls } = fakeGitHub({ roles, event, edits });
    return { ...(await admitIssueRun(approving, 'issues', notices(), connect)), calls };
  };
  const WHEN = '2026-12-01T09:30:00Z';

  it('reads who wrote the text last, after the permissions and the issue, and lets the author’s own edits through', async () => {
    const never = await admit({});
    expect(never.denial).toBeUndefined();
    expect(never.calls.slice(-2)).toEqual(['issue 7', 'edits 7']);
    expect((await admit({ editor: { login: 'Filer' }, lastEditedAt: WHEN })).denial).toBeUndefined();
  });

  const refused: Array<[string, Parameters<typeof admit>[0], string]> = [
    [
      'the approver rewrote the request',
      { editor: { login: 'lead' }, lastEditedAt: WHEN },
      'approver-permission: the text of issue #7 was last edited by lead, the approver, not by its author filer; a request is approved only as its author wrote it. Ask filer to file the request again (or to edit it themselves), then add the approval label again; refusing.',
    ],
    [
      'a third person edited it',
      { editor: { login: 'helper' }, lastEditedAt: WHEN },
      'approver-permission: the text of issue #7 was last edited by helper, not by its author filer; a request is approved only as its author wrote it. Ask filer to file the request again (or to edit it themselves), then add the approval label again; refusing.',
    ],
    [
      'an app edited it (GraphQL names it without [bot])',
      { editor: { login: 'renovate' }, lastEditedAt: WHEN },
      'approver-permission: the text of issue #7 was last edited by renovate, not by its author filer; a request is approved only as its author wrote it. Ask filer to file the request again (or to edit it themselves), then add the approval label again; refusing.',
    ],
    [
      'an edit by a deleted account (editor null)',
      { editor: null, lastEditedAt: WHEN },
      'approver-permission: the text of issue #7 was last edited by an account that can no longer be read (a deleted account, say), so who wrote it cannot be checked; ask filer to file the request again; refusing.',
    ],
    [
      'an editor without a login',
      { editor: {}, lastEditedAt: WHEN },
      'approver-permission: GitHub names the last editor of issue #7 by no valid login, so who wrote its text cannot be checked; ask filer to file the request again; refusing.',
    ],
    [
      'an editor whose login is hostile text',
      { editor: { login: '@octo-org/admins ::stop-commands::x' }, lastEditedAt: WHEN },
      'approver-permission: GitHub names the last editor of issue #7 by no valid login, so who wrote its text cannot be checked; ask filer to file the request again; refusing.',
    ],
    [
      'another editor with no edit time',
      { editor: { login: 'helper' }, lastEditedAt: null },
      'approver-permission: the text of issue #7 was last edited by helper, not by its author filer; a request is approved only as its author wrote it. Ask filer to file the request again (or to edit it themselves), then add the approval label again; refusing.',
    ],
    [
      'an edit time that is not a time',
      { editor: { login: 'filer' }, lastEditedAt: 1733045400 },
      "approver-permission: GitHub's answer on when issue #7 was last edited cannot be read, so who wrote its text cannot be checked; refusing.",
    ],
    [
      'another author than the event names',
      { author: { login: 'mallory' } },
      'approver-permission: GitHub names mallory as the author of issue #7, not filer as the event does, so who wrote the request cannot be checked; refusing.',
    ],
    [
      'a deleted author',
      { author: null },
      'approver-permission: GitHub names no readable author of issue #7 (a deleted account, say), so who wrote the request cannot be checked; refusing.',
    ],
    [
      'a text that changed since the issue was read again',
      { body: '### Member emails\n\nowner@example.com' },
      'The issue changed after the event that started this run: its text was edited; refusing, since what was approved is not what would run. Re-apply the label once the request is right.',
    ],
  ];
  it.each(refused)('refuses when %s', async (_what, edits, message) => {
    expect((await admit(edits)).denial).toBe(message);
  });

  it('fails closed when the GraphQL query fails, and names the permission', async () => {
    const forbidden = Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
    expect((await admit(forbidden)).denial).toBe(
      'approver-permission: could not read who last edited issue #7 (GitHub GraphQL API): HTTP 403: Resource not accessible by integration; refusing. The workflow needs "permissions: issues: read".',
    );
    const errors = new Error('Request failed due to following response errors:\n - Could not resolve to an Issue');
    expect((await admit(errors)).denial).toBe(
      'approver-permission: could not read who last edited issue #7 (GitHub GraphQL API): Request failed due to following response errors:\n - Could not resolve to an Issue; refusing.',
    );
  });

  it('fails closed, within timeout-seconds, when the query never answers', async () => {
    const { connect } = fakeGitHub({ roles, event, hang: ['issueEdits'] });
    const gate = await admitIssueRun({ ...approving, timeoutMs: 100 }, 'issues', notices(), connect);
    expect(gate.denial).toBe(
      'approver-permission: could not read who last edited issue #7 (GitHub GraphQL API): no answer within 0.1 s (timeout-seconds); refusing.',
    );
  });

  it('asks nothing of GraphQL without approver-permission', async () => {
    const { connect, calls } = fakeGitHub({
      roles: { mona: 'write' },
      edits: { editor: { login: 'x' }, lastEditedAt: WHEN },
    });
    expect((await admitIssueRun(settings(), 'issues', notices(), connect)).denial).toBeUndefined();
    expect(calls).toEqual(['role mona', 'issue 7']);
  });
});

describe('events an outsider can cause', () => {
  for (const event of ['discussion', 'discussion_comment', 'pull_request_target', 'fork', 'watch', 'some_new_event']) {
    it(`checks the sender of ${event}, and refuses an outsider`, async () => {
      const { connect, calls } = fakeGitHub({
        roles: { maintainer: 'maintain' },
        event: { sender: 'outsider', author: undefined },
      });
      const gate = await admitIssueRun(settings(), event, notices(), connect);
      expect(calls).toEqual(['role outsider']);
      expect(gate.denial).toBe(
        `required-permission: the event's sender outsider is not a collaborator of this repository, and runs triggered by "${event}" need "write" permission; refusing.`,
      );
    });
  }

  it('lets a writer through, and makes no call for events only writers can cause, or no event at all', async () => {
    const writer = fakeGitHub({ roles: { mona: 'write' } });
    expect(await admitIssueRun(settings(), 'discussion', notices(), writer.connect)).toEqual({ denial: undefined });
    const none = fakeGitHub();
    for (const event of ['workflow_dispatch', 'push', 'schedule', 'repository_dispatch', 'release', '']) {
      expect(await admitIssueRun(settings(), event, notices(), none.connect)).toEqual({});
    }
    expect(none.calls).toEqual([]);
  });
});

describe('the issue read again', () => {
  const stale: Array<[string, Parameters<typeof fakeGitHub>[0], string]> = [
    [
      'edited while the run waited',
      { event: { body: 'form' }, issue: { body: 'form, then edited' } },
      'its text was edited',
    ],
    ['closed', { issue: { state: 'closed' } }, 'it is closed'],
    [
      'without the label the event added',
      { event: { label: 'approved' }, issue: { labels: ['request'] } },
      'it no longer carries the label "approved"',
    ],
  ];
  it.each(stale)('refuses an issue %s', async (_what, options, change) => {
    const { connect } = fakeGitHub(options);
    const gate = await admitIssueRun(settings(), 'issues', notices(), connect);
    expect(gate.denial).toBe(
      `The issue changed after the event that started this run: ${change}; refusing, since what was approved is not what would run. Re-apply the label once the request is right.`,
    );
  });

  it('does not count line endings as an edit', async () => {
    const { connect } = fakeGitHub({
      event: { body: '### Email\n\nann@example.com' },
      issue: { body: '### Email\r\n\r\nann@example.com' },
    });
    expect((await admitIssueRun(settings(), 'issues', notices(), connect)).denial).toBeUndefined();
  });

  it('refuses when the issue cannot be read, and names the permission', async () => {
    const { connect } = fakeGitHub({
      issue: Object.assign(new Error('Resource not accessible by integration'), { status: 403 }),
    });
    expect((await admitIssueRun(settings(), 'issues', notices(), connect)).denial).toBe(
      'required-permission: could not read issue #7 again to check that it did not change: HTTP 403: Resource not accessible by integration; refusing. The workflow needs "permissions: issues: read".',
    );
  });
});

describe('the comment, by its own author', () => {
  const marked = (body: string) => `${COMMENT_MARKER}\n${body}`;

  it('never touches a comment with the marker written by someone else', async () => {
    const { connect, calls } = fakeGitHub({ comments: [{ id: 5, author: 'other-bot[bot]', body: marked('forged') }] });
    await (
      await admitIssueRun(settings({ commentOnIssue: true }), 'issues', notices(), connect)
    ).postResult!('## result');
    expect(calls.filter((c) => /^(create|update)/.test(c))).toEqual(['create 7 ## result']);
  });

  it('posts a new comment when its own identity cannot be read, or the update is refused', async () => {
    const own = [{ id: 5, author: 'github-actions[bot]', body: marked('before') }];
    const unknown = fakeGitHub({ viewer: new Error('no viewer'), comments: own });
    await (
      await admitIssueRun(settings({ commentOnIssue: true }), 'issues', notices(), unknown.connect)
    ).postResult!('## a');
    expect(unknown.calls.filter((c) => /^(find|create|update)/.test(c))).toEqual(['create 7 ## a']);
    const refused = fakeGitHub({ updateFails: 403, comments: own });
    const seen = notices();
    await (
      await admitIssueRun(settings({ commentOnIssue: true }), 'issues', seen, refused.connect)
    ).postResult!('## b');
    expect(refused.calls.filter((c) => /^(create|update)/.test(c))).toEqual(['update 5 ## b', 'create 7 ## b']);
    expect(seen.seen.at(-1)).toBe('info Posted the result comment on issue #7.');
  });
});
