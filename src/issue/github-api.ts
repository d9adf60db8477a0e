// The few GitHub calls the action makes, and the event of this run, through @actions/github
// (octokit), which is loaded only when a GitHub call is needed. Tests pass their own.
import { PERMISSIONS } from '../model.js';

/** Who is behind an issue event, from its payload: anything in it may be missing or wrong. */
export interface IssueEvent {
  issueNumber: unknown;
  /** The issue's author, whose form text drives the run. */
  author: unknown;
  /** The event's sender: opener, editor, labeller or commenter. */
  sender: unknown;
}

/** Each call is given a signal that ends it. */
export interface GitHubApi {
  /** The user's role on the repository: read, triage, write, maintain, admin; throws with `status` 404 for a non-collaborator. */
  role(user: string, signal: AbortSignal): Promise<string>;
  findComment(issue: number, marker: string, signal: AbortSignal): Promise<number | undefined>;
  createComment(issue: number, body: string, signal: AbortSignal): Promise<void>;
  updateComment(id: number, body: string, signal: AbortSignal): Promise<void>;
}

export type ConnectGitHub = (token: string) => Promise<{ event: IssueEvent; api: GitHubApi }>;

const MAX_COMMENT_PAGES = 30;

// Custom repository roles report their base permission (admin, write, read) instead.
function roleName(data: { permission?: string; role_name?: string }): string {
  const known = (name: string | undefined) => name !== undefined && (PERMISSIONS as readonly string[]).includes(name);
  if (known(data.role_name)) return data.role_name as string;
  return known(data.permission) ? (data.permission as string) : 'none';
}

export async function connectOctokit(token: string): Promise<{ event: IssueEvent; api: GitHubApi }> {
  const { context, getOctokit } = await import('@actions/github');
  const payload = context.payload as {
    issue?: { number?: unknown; user?: { login?: unknown } };
    sender?: { login?: unknown };
  };
  return {
    event: { issueNumber: payload.issue?.number, author: payload.issue?.user?.login, sender: payload.sender?.login },
    api: octokitApi(getOctokit(token), context.repo),
  };
}

type Octokit = ReturnType<Awaited<typeof import('@actions/github')>['getOctokit']>;

function octokitApi(client: Octokit, { owner, repo }: { owner: string; repo: string }): GitHubApi {
  return {
    async role(username, signal) {
      const { data } = await client.rest.repos.getCollaboratorPermissionLevel({
        owner,
        repo,
        username,
        request: { signal },
      });
      return roleName(data);
    },
    // Paged by hand: octokit's paginate drops the request options, and with them the signal.
    async findComment(issue_number, marker, signal) {
      for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
        const request = { owner, repo, issue_number, per_page: 100, page, request: { signal } };
        const { data } = await client.rest.issues.listComments(request);
        const found = data.find((c) => c.user?.type === 'Bot' && c.body?.startsWith(marker));
        if (found) return found.id;
        if (data.length < 100) return undefined;
      }
      return undefined;
    },
    async createComment(issue_number, body, signal) {
      await client.rest.issues.createComment({ owner, repo, issue_number, body, request: { signal } });
    },
    async updateComment(comment_id, body, signal) {
      await client.rest.issues.updateComment({ owner, repo, comment_id, body, request: { signal } });
    },
  };
}
