// A mock of the few GitHub endpoints the action calls for issue-triggered runs: an actor's
// permission, the issue itself (REST), who wrote it (GraphQL: author, editor, lastEditedAt, body),
// the token's own login (GraphQL viewer), and listing, creating and updating issue comments, in
// the shapes GitHub answers them. Loopback only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

// Base permission reported for each role, as GitHub does.
const PERMISSION_OF: Record<string, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
};

/** An issue: what REST answers, and who wrote it, as GraphQL answers it. */
export interface MockIssue {
  body: string;
  state: string;
  labels: string[];
  /** The author's login (GraphQL `author`); null: a deleted account. */
  author?: string | null;
  /** The login of whoever edited the body last (GraphQL `editor`); null: never edited, or a deleted account. */
  editor?: string | null;
  /** When the body was last edited (GraphQL `lastEditedAt`); null: never. */
  lastEditedAt?: string | null;
}

/**
 * How the GraphQL issue query is answered: as the issue is; with the errors GitHub gives a token
 * without access (data.repository null); or as for an issue that does not exist (data.repository.issue null).
 */
export type IssueQueryMode = 'answer' | 'forbidden' | 'not-found';

export class GitHubMock {
  /** Role name per login; a login missing here is not a collaborator (404). */
  roles: Record<string, string> = {};
  /** Comments per issue number. */
  comments = new Map<number, MockComment[]>();
  /** Issues by number, as GET /repos/{o}/{r}/issues/{n} and the GraphQL issue query answer them. */
  issues = new Map<number, MockIssue>();
  issueQuery: IssueQueryMode = 'answer';
  /** The login the token belongs to, as the GraphQL viewer query answers it; undefined: the query fails. */
  viewer: string | undefined = 'github-actions[bot]';
  /** Answer every request with this status instead (GitHub down, token without a permission). */
  failWith: { status: number; path?: RegExp } | undefined;
  /** Never answer the requests whose "METHOD /path" line matches. */
  hang: RegExp | undefined;
  readonly requests: string[] = [];
  private server: Server | undefined;
  private nextId = 1000;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const url = new URL(request.url ?? '/', 'http://github');
    const line = `${request.method} ${url.pathname}`;
    this.requests.push(line);
    const reply = (status: number, data: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(data));
    };
    if (
      request.headers.authorization !== 'token ghs_mock-token' &&
      request.headers.authorization !== 'Bearer ghs_mock-token'
    ) {
      return reply(401, { message: 'Bad credentials' });
    }
    if (this.hang?.test(line)) return;
    if (this.failWith && (!this.failWith.path || this.failWith.path.test(line)))
      return reply(this.failWith.status, { message: `Mock failure ${this.failWith.status}` });

    if (line === 'POST /graphql') {
      const { query, variables } = JSON.parse(body) as { query: string; variables?: { number?: number } };
      if (/\bissue\s*\(/.test(query)) return reply(200, this.issueQueryAnswer(Number(variables?.number)));
      if (this.viewer === undefined)
        return reply(200, { errors: [{ message: 'Resource not accessible by integration' }] });
      return reply(200, { data: { viewer: { login: this.viewer } } });
    }
    let match = /^GET \/repos\/[^/]+\/[^/]+\/collaborators\/([^/]+)\/permission$/.exec(line);
    if (match) {
      const login = decodeURIComponent(match[1]!);
      const role = this.roles[login];
      if (!role) return reply(404, { message: `${login} is not a user` });
      return reply(200, { permission: PERMISSION_OF[role] ?? 'read', role_name: role, user: { login } });
    }
    match = /^GET \/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(line);
    if (match) {
      const issue = this.issues.get(Number(match[1]));
      if (!issue) return reply(404, { message: 'Not Found' });
      return reply(200, {
        number: Number(match[1]),
        body: issue.body,
        state: issue.state,
        labels: issue.labels.map((name) => ({ name })),
      });
    }
    match = /^(GET|POST) \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(line);
    if (match) {
      const issue = Number(match[2]);
      const list = this.comments.get(issue) ?? [];
      if (match[1] === 'GET') return reply(200, list);
      const comment: MockComment = {
        id: this.nextId++,
        body: bodyOf(body),
        user: { login: 'github-actions[bot]', type: 'Bot' },
      };
      this.comments.set(issue, [...list, comment]);
      return reply(201, comment);
    }
    match = /^PATCH \/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(line);
    if (match) {
      const id = Number(match[1]);
      const comment = [...this.comments.values()].flat().find((c) => c.id === id);
      if (!comment) return reply(404, { message: 'Not Found' });
      comment.body = bodyOf(body);
      return reply(200, comment);
    }
    return reply(404, { message: 'Not Found' });
  }

  // GraphQL answers 200 with `errors` beside partial `data`; the fields the action asks for, only.
  private issueQueryAnswer(number: number): unknown {
    const issue = this.issues.get(number);
    if (this.issueQuery === 'forbidden') {
      const error = { type: 'FORBIDDEN', path: ['repository'], message: 'Resource not accessible by integration' };
      return { data: { repository: null }, errors: [{ ...error, locations: [{ line: 2, column: 3 }] }] };
    }
    if (this.issueQuery === 'not-found' || !issue) {
      const message = `Could not resolve to an issue or pull request with the number of ${number}.`;
      const error = { type: 'NOT_FOUND', path: ['repository', 'issue'], message, locations: [{ line: 3, column: 5 }] };
      return { data: { repository: { issue: null } }, errors: [error] };
    }
    const actor = (login: string | null | undefined) => (login ? { login } : null);
    return {
      data: {
        repository: {
          issue: {
            author: actor(issue.author),
            editor: actor(issue.editor),
            lastEditedAt: issue.lastEditedAt ?? null,
            body: issue.body,
          },
        },
      },
    };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The `body` of a comment a request sends, as text. */
function bodyOf(request: string): string {
  const parsed: unknown = JSON.parse(request);
  const body = typeof parsed === 'object' && parsed !== null ? (parsed as { body?: unknown }).body : undefined;
  return typeof body === 'string' ? body : '';
}
