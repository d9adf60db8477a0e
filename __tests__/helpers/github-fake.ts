// A GitHub API and event in memory: roles, the issue as it is now, the token's own login, the
// comments, and a log of every call. Issue-triggered runs in this process use it; the bundle's
// issue-triggered runs use octokit against a mock server instead.
import type { ConnectGitHub, GitHubApi, IssueEdits, IssueNow, RunEvent } from '../../src/issue/github-api.ts';

export interface FakeGitHubOptions {
  /** A role per login; an Error is thrown, 'hang' never answers, a missing login is a 404. */
  roles?: Record<string, string | Error>;
  event?: Partial<RunEvent>;
  /** The issue now; by default what the event saw, open. An Error is thrown. */
  issue?: Partial<IssueNow> | Error;
  /** Who wrote the issue's text (GraphQL); by default its author, never edited. An Error is thrown. */
  edits?: Partial<IssueEdits> | Error;
  /** The token's own login; an Error: the identity cannot be read. */
  viewer?: string | Error;
  comments?: Array<{ id: number; author: string; body: string }>;
  /** Updating a comment fails with this status. */
  updateFails?: number;
  /** These calls never answer. */
  hang?: Array<keyof GitHubApi>;
}

const never = () => new Promise<never>(() => {});
const failure = (status: number, message: string) => Object.assign(new Error(message), { status });

export function fakeGitHub(options: FakeGitHubOptions = {}) {
  const { roles = { mona: 'admin' }, viewer = 'github-actions[bot]', hang = [] } = options;
  const event: RunEvent = {
    issueNumber: 7,
    author: 'mona',
    sender: 'mona',
    senderType: 'User',
    body: 'form',
    state: 'open',
    ...options.event,
  };
  const comments = [...(options.comments ?? [])];
  const calls: string[] = [];
  const answer = async <T>(call: keyof GitHubApi, line: string, result: () => T): Promise<T> => {
    calls.push(line);
    if (hang.includes(call)) return never();
    return result();
  };
  const api: GitHubApi = {
    role: (user) =>
      answer('role', `role ${user}`, () => {
        const role = roles[user];
        if (role === 'hang') return never();
        if (role instanceof Error) throw role;
        if (role === undefined) throw failure(404, 'Not Found');
        return role;
      }) as Promise<string>,
    viewer: () =>
      answer('viewer', 'viewer', () => {
        if (viewer instanceof Error) throw viewer;
        return viewer;
      }),
    issue: (issue) =>
      answer('issue', `issue ${issue}`, () => {
        if (options.issue instanceof Error) throw options.issue;
        const labels = typeof event.label === 'string' ? [event.label] : [];
        return { body: typeof event.body === 'string' ? event.body : '', state: 'open', labels, ...options.issue };
      }),
    issueEdits: (issue) =>
      answer('issueEdits', `edits ${issue}`, () => {
        if (options.edits instanceof Error) throw options.edits;
        return {
          author: { login: event.author },
          editor: null,
          lastEditedAt: null,
          body: event.body,
          ...options.edits,
        };
      }),
    findComment: (issue, marker, author) =>
      answer(
        'findComment',
        `find ${issue} by ${author}`,
        () => comments.find((c) => c.author === author && c.body.startsWith(marker))?.id,
      ),
    createComment: (issue, body) =>
      answer('createComment', `create ${issue} ${body.split('\n')[1]}`, () => {
        if (body.length > 65_536) throw failure(422, 'body is too long (maximum is 65536 characters)');
        comments.push({ id: 100 + comments.length, author: typeof viewer === 'string' ? viewer : 'unknown', body });
      }),
    updateComment: (id, body) =>
      answer('updateComment', `update ${id} ${body.split('\n')[1]}`, () => {
        if (options.updateFails) throw failure(options.updateFails, 'refused');
        const comment = comments.find((c) => c.id === id);
        if (comment) comment.body = body;
      }),
  };
  const connect: ConnectGitHub = async () => ({ event, api });
  return { connect, calls, comments };
}
