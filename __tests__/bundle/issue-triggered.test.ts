// Issue-triggered runs of the bundle, with real webhook payloads and octokit against a GitHub API
// mock: the permission gate on the issue's author and the event's sender, bounded GitHub calls,
// and the result comment. Every role and every author/sender pairing: the unit tests' tables.
import examples from '@octokit/webhooks-examples';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { deletes, github, issueEvent, seeded } from '../helpers/fixture.ts';

type Payload = {
  action?: string;
  sender: { login: string; type: string };
  issue: { number: number; user: { login: string } };
};
type Example = { name: string; examples: Payload[] };
const example = (event: string, action: string) =>
  structuredClone(
    (examples as unknown as Example[]).find((e) => e.name === event)!.examples.find((x) => x.action === action)!,
  );

/** A payload of this event, with the issue written by `author` and the event sent by `sender`. */
function payload(event: 'issues' | 'issue_comment', action: string, author: string, sender: string): Payload {
  const p = example(event, action);
  p.issue.user.login = author;
  p.sender.login = sender;
  return p;
}

const permissionPath = (login: string) => `GET /repos/octo-org/offboarding/collaborators/${login}/permission`;
describe('permission gate', () => {
  for (const role of ['read', 'write']) {
    const allowed = role === 'write';
    it(`an issue opened by a ${role} user is ${allowed ? 'allowed' : 'refused'} with the default (write)`, async () => {
      const { sim, ann, engineers, bundle: run } = await seeded();
      const { mock, env } = await github({ mona: role });
      const result = await run(
        { 'user-group-id': engineers.id, 'member-id': ann.id },
        issueEvent('issues', payload('issues', 'opened', 'mona', 'mona'), { mock, env }),
      );
      expect(mock.requests).toEqual(
        allowed ? [permissionPath('mona'), 'GET /repos/octo-org/offboarding/issues/1'] : [permissionPath('mona')],
      );
      if (allowed) {
        expect(result.exitCode).toBe(0);
        expect(sim.requests).toHaveLength(1);
        expect(result.stdout).toContain(
          `the issue's author and the event's sender mona has "${role}" permission on this repository (required: write).`,
        );
      } else {
        expect(result.exitCode).toBe(1);
        expect(sim.requests).toEqual([]);
        expect(result.errors[0]).toBe(
          `required-permission: the issue's author and the event's sender mona has "${role}" permission on this repository, and runs triggered by an issue need "write" or higher; refusing.`,
        );
      }
    });
  }

  // A maintainer who edits, labels or comments on an outsider's issue must not lend the outsider's
  // form text their own permission, nor an outsider's comment run a maintainer's form.
  const mixed: Array<[string, 'issues' | 'issue_comment', string, string, string]> = [
    ["a maintainer labels an outsider's issue", 'issues', 'labeled', 'outsider', 'maintainer'],
    ["an outsider comments on a maintainer's issue", 'issue_comment', 'created', 'maintainer', 'outsider'],
  ];
  for (const [what, event, action, author, sender] of mixed) {
    it(`refuses when ${what}`, async () => {
      const { sim, ann, engineers, bundle: run } = await seeded();
      const { mock, env } = await github({ maintainer: 'maintain', outsider: 'read' });
      const result = await run(
        { 'user-group-id': engineers.id, 'member-id': ann.id },
        issueEvent(event, payload(event, action, author, sender), { mock, env }),
      );
      expect(result.exitCode).toBe(1);
      expect(sim.requests).toEqual([]);
      expect(mock.requests.sort()).toEqual([permissionPath('maintainer'), permissionPath('outsider')].sort());
      const who = author === 'outsider' ? "the issue's author" : "the event's sender";
      expect(result.errors[0]).toBe(
        `required-permission: ${who} outsider has "read" permission on this repository, and runs triggered by an issue need "write" or higher; refusing.`,
      );
    });
  }

  it('allows a run when both the author and the sender hold the permission', async () => {
    const { sim, ann, engineers, bundle: run } = await seeded();
    const { mock, env } = await github({ author: 'write', labeller: 'admin' });
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      issueEvent('issues', payload('issues', 'labeled', 'author', 'labeller'), { mock, env }),
    );
    expect(result.exitCode).toBe(0);
    expect(deletes(sim)).toHaveLength(1);
    expect(result.stdout).toContain(
      `the issue's author author has "write"; the event's sender labeller has "admin" permission on this repository (required: write).`,
    );
  });

  it('fails closed when the GitHub API is down', async () => {
    const { sim, ann, engineers, bundle: run } = await seeded();
    const { mock, env } = await github({ mona: 'admin' });
    mock.failWith = { status: 503 };
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      issueEvent('issues', payload('issues', 'opened', 'mona', 'mona'), { mock, env }),
    );
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toMatch(
      /^required-permission: could not read the repository permission of the issue's author and the event's sender mona: HTTP 503/,
    );
  });

  it('fails closed, within timeout-seconds, when the permission endpoint never answers', async () => {
    const { sim, ann, engineers, bundle: run } = await seeded();
    const { mock, env } = await github({ mona: 'admin' });
    mock.hang = /permission$/;
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id, 'timeout-seconds': '1' },
      issueEvent('issues', payload('issues', 'opened', 'mona', 'mona'), { mock, env }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toBe(
      `required-permission: could not read the repository permission of the issue's author and the event's sender mona: no answer within 1 s (timeout-seconds); refusing.`,
    );
  });
});

describe('result comment', () => {
  const md = new MarkdownIt({ linkify: true, html: true });

  it('posts one comment, then updates it on a re-run', async () => {
    const { ann, engineers, bundle: run } = await seeded();
    const { mock, env } = await github({ mona: 'write' });
    const inputs = {
      'user-group-id': engineers.id,
      'member-id': ann.id,
      'comment-on-issue': 'true',
      'if-not-member': 'skip',
    };
    const options = issueEvent('issues', payload('issues', 'opened', 'mona', 'mona'), { mock, env });
    expect((await run(inputs, options)).exitCode).toBe(0);
    expect(mock.comments.get(1)).toHaveLength(1);
    expect(mock.comments.get(1)![0]!.body).toContain('✅ removed');

    const again = await run(inputs, options);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('Updated the result comment on issue #1.');
    expect(mock.comments.get(1)).toHaveLength(1);
    expect(mock.comments.get(1)![0]!.body).toContain('➖ not a member');
    expect(mock.requests.filter((r) => r.startsWith('POST /repos'))).toHaveLength(1);
    expect(mock.requests.filter((r) => r === 'POST /graphql')).toHaveLength(2);
    expect(mock.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(1);
  });

  it('reports a failed removal with outside text made inert: no HTML, mention or link, credentials redacted', async () => {
    const { sim, account, ann, bundle: run } = await seeded();
    const odd = sim.addGroup(account, '<script>alert(1)</script> | @octo-org/admins see https://evil.test/x', [ann.id]);
    sim.faults.push({ kind: 'echo-credentials', method: 'DELETE' });
    const { mock, env } = await github({ mona: 'admin' });
    const result = await run(
      { 'user-group-name': odd.name, 'member-id': ann.id, 'comment-on-issue': 'true' },
      issueEvent('issue_comment', payload('issue_comment', 'created', 'mona', 'mona'), { mock, env }),
    );
    expect(result.exitCode).toBe(1);
    const body = mock.comments.get(1)![0]!.body;
    expect(body).toContain('❌ failed');
    expect(body).toContain('**Failed:**');
    expect(body).not.toContain('cfut_test-token');
    const html = md.render(body);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<a /);
    // Every @ and every URL sits inside a code element, where GitHub makes no mention or link.
    const outsideCode = html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, '');
    expect(outsideCode).not.toContain('@');
    expect(outsideCode).not.toContain('evil.test');
  });

  it('reports a refused run in the comment too', async () => {
    const { sim, ann, engineers, bundle: run } = await seeded();
    const { mock, env } = await github({ maintainer: 'admin', outsider: 'read' });
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id, 'comment-on-issue': 'true' },
      issueEvent('issues', payload('issues', 'edited', 'outsider', 'maintainer'), { mock, env }),
    );
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    const body = mock.comments.get(1)![0]!.body;
    expect(body).toContain('The run stopped before any request to Cloudflare; nothing was removed.');
    expect(body).toContain(`the issue's author outsider has "read" permission`);
  });

  it('reports invalid inputs in the comment', async () => {
    const { mock, env } = await github({ mona: 'admin' });
    const { sim, bundle: run } = await seeded();
    const result = await run(
      { 'user-group-id': 'nope', 'member-email': '@everyone', 'comment-on-issue': 'true' },
      issueEvent('issues', payload('issues', 'opened', 'mona', 'mona'), { mock, env }),
    );
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    const body = mock.comments.get(1)![0]!.body;
    expect(body).toContain('member-email: expected one plain email address');
    expect(md.render(body).replace(/<code[^>]*>[\s\S]*?<\/code>/g, '')).not.toContain('@everyone');
  });

  it('warns, without failing the removal, when the comment cannot be posted', async () => {
    const { ann, engineers, bundle: run } = await seeded();
    const { mock, env } = await github({ mona: 'write' });
    mock.failWith = { status: 403, path: /comments/ };
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id, 'comment-on-issue': 'true' },
      issueEvent('issues', payload('issues', 'opened', 'mona', 'mona'), { mock, env }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs.removed).toBe('true');
    expect(result.warnings[0]).toMatch(
      /^comment-on-issue: could not comment on issue #1: HTTP 403.*"permissions: issues: write"/,
    );
  });

  it('warns after the removal, within timeout-seconds, when the comment endpoint never answers', async () => {
    const { ann, engineers, bundle: run } = await seeded();
    const { mock, env } = await github({ mona: 'write' });
    mock.hang = /comments/;
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id, 'comment-on-issue': 'true', 'timeout-seconds': '1' },
      issueEvent('issues', payload('issues', 'opened', 'mona', 'mona'), { mock, env }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.outputs.removed).toBe('true');
    expect(result.warnings[0]).toBe(
      'comment-on-issue: could not comment on issue #1: no answer within 1 s (timeout-seconds). Re-run the workflow to post it.',
    );
  });
});

describe('a request approved by a second person', () => {
  // The form applies a request label; a maintainer other than the author adds the approval label.
  function approval(author: string, sender: string, state = 'open') {
    const p = payload('issues', 'labeled', author, sender) as Payload & {
      label: { name: string };
      issue: { labels: Array<{ name: string }>; state: string; body: string };
    };
    p.label = { ...p.label, name: 'offboarding-approved' };
    p.issue.labels = [{ name: 'offboarding-request' }, { name: 'offboarding-approved' }];
    p.issue.state = state;
    p.issue.body = '### Member emails\n\nann@example.com';
    return p;
  }
  const inputs = (engineers: string, ann: string) => ({
    'user-group-id': engineers,
    'member-id': ann,
    'required-permission': 'triage',
    'approver-permission': 'maintain',
  });

  it('runs when a maintainer approves a request filed by someone with triage', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    const gh = await github({ filer: 'triage', lead: 'maintain' });
    const result = await bundle(inputs(engineers.id, ann.id), issueEvent('issues', approval('filer', 'lead'), gh));
    expect(result.exitCode).toBe(0);
    expect(deletes(sim)).toHaveLength(1);
  });

  it('refuses the author approving their own request, and a request edited while the run waited', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    const gh = await github({ lead: 'admin', filer: 'triage' });
    const own = await bundle(inputs(engineers.id, ann.id), issueEvent('issues', approval('lead', 'lead'), gh));
    expect(own.exitCode).toBe(1);
    expect(own.errors[0]).toContain(`approver-permission: the event's sender lead is the issue's author`);
    const options = issueEvent('issues', approval('filer', 'lead'), gh);
    gh.mock.issues.set(1, {
      body: '### Member emails\n\nowner@example.com',
      state: 'open',
      labels: ['offboarding-approved'],
    });
    const edited = await bundle(inputs(engineers.id, ann.id), options);
    expect(edited.exitCode).toBe(1);
    expect(edited.errors[0]).toContain('The issue changed after the event that started this run: its text was edited');
    expect(sim.requests).toEqual([]);
  });
});

describe('an approval that means what it says', () => {
  // A real app sender from the webhook examples (type "Bot"), given admin on the repository.
  const bot = structuredClone(
    (examples as unknown as Example[]).flatMap((e) => e.examples).find((x) => x.sender?.type === 'Bot')!.sender,
  );
  function approval(author: string, sender: Payload['sender']) {
    const p = payload('issues', 'labeled', author, sender.login) as Payload & {
      label: { name: string };
      issue: { labels: Array<{ name: string }> };
    };
    p.sender = sender;
    p.label = { ...p.label, name: 'offboarding-approved' };
    p.issue.labels = [{ name: 'offboarding-request' }, p.label];
    return p;
  }
  const inputs = (engineers: string, ann: string) => ({
    'user-group-id': engineers,
    'member-id': ann,
    'required-permission': 'triage',
    'approver-permission': 'maintain',
    'comment-on-issue': 'true',
  });

  it('refuses an app that adds the approval label, before asking anyone’s permission', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    const gh = await github({ filer: 'triage', [bot.login]: 'admin' });
    const result = await bundle(inputs(engineers.id, ann.id), issueEvent('issues', approval('filer', bot), gh));
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toBe(
      `approver-permission: the event's sender ${bot.login} is not a person (GitHub account type "Bot", not "User"); a bot or an app never counts as the second person with "maintain" permission who approves a request; refusing.`,
    );
    expect(gh.mock.requests.filter((r) => r.includes('/permission'))).toEqual([]);
    expect(gh.mock.comments.get(1)![0]!.body).toContain('is not a person');
  });

  it('refuses a request its approver rewrote, naming who edited it, as GraphQL tells', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    const gh = await github({ filer: 'triage', lead: 'maintain' });
    const lead = { ...bot, login: 'lead', type: 'User' };
    const options = issueEvent('issues', approval('filer', lead), gh);
    Object.assign(gh.mock.issues.get(1)!, { editor: 'lead', lastEditedAt: '2026-12-01T09:30:00Z' });
    const result = await bundle(inputs(engineers.id, ann.id), options);
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(gh.mock.requests).toContain('POST /graphql');
    expect(result.errors[0]).toBe(
      'approver-permission: the text of issue #1 was last edited by lead, the approver, not by its author filer; a request is approved only as its author wrote it. Ask filer to file the request again (or to edit it themselves), then add the approval label again; refusing.',
    );
    expect(gh.mock.comments.get(1)![0]!.body).toContain('was last edited by lead, the approver');
  });
});

describe('events an outsider can cause', () => {
  it('checks the sender of a discussion before any Cloudflare request', async () => {
    const { sim, ann, engineers, bundle } = await seeded();
    const { mock, env } = await github({ maintainer: 'maintain' });
    const discussion = {
      action: 'created',
      sender: { login: 'outsider' },
      discussion: { number: 3, body: 'remove ann' },
    };
    const result = await bundle(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      { env, githubToken: 'ghs_mock-token', event: { name: 'discussion', payload: discussion } },
    );
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(mock.requests).toEqual([permissionPath('outsider')]);
    expect(result.errors[0]).toBe(
      `required-permission: the event's sender outsider is not a collaborator of this repository, and runs triggered by "discussion" need "write" permission; refusing.`,
    );
  });
});

describe('the comment of another bot', () => {
  it('is never taken for ours: a new comment is posted beside it', async () => {
    const { ann, engineers, bundle } = await seeded();
    const gh = await github({ mona: 'write' });
    gh.mock.comments.set(1, [
      {
        id: 7,
        body: '<!-- cloudflare-remove-group-member:result -->\nforged',
        user: { login: 'other-bot[bot]', type: 'Bot' },
      },
    ]);
    const result = await bundle(
      { 'user-group-id': engineers.id, 'member-id': ann.id, 'comment-on-issue': 'true' },
      issueEvent('issues', payload('issues', 'opened', 'mona', 'mona'), gh),
    );
    expect(result.exitCode).toBe(0);
    const comments = gh.mock.comments.get(1)!;
    expect(comments.map((c) => c.user.login)).toEqual(['other-bot[bot]', 'github-actions[bot]']);
    expect(comments[0]!.body).toContain('forged');
  });
});
