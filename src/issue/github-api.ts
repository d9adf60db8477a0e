// The few GitHub calls the action makes, and the event of this run, through @actions/github
// (octokit), which is loaded only when a GitHub call is needed. Tests pass their own.
import { PERMISSIONS } from '../model.js';

/** The event of this run, from its payload: anything in it may be missing or wrong. */
export interface RunEvent {
  issueNumber: unknown;
  /** The issue's author, whose form text drives the run. */
  author: unknown;
  /** The event's sender: opener, editor, labeller, commenter, or whoever caused another event. */
  sender: unknown;
  /** The sender's account type: `User` for a person; `Bot` (an app) or `Organization` otherwise. */
  senderType?: unknown;
  /** The issue as the event saw it: its body and state, and the label the event added, if any. */
  body?: unknown;
  state?: unknown;
  label?: unknown;
}

/** The issue as it is now. */
export interface IssueNow {
  body: string;
  state: string;
  labels: string[];
}

/**
 * Who wrote the issue's text as it is now, as GraphQL answers it (the REST issue does not say):
 * its author, the editor of its last edit and when that was (both null when never edited), and the
 * text itself. Anything may be missing, null or of another type.
 */
export interface IssueEdits {
  author: unknown;
  editor: unknown;
  lastEditedAt: unknown;
  body: unknown;
}

/** Each call is given a signal that ends it. */
export interface GitHubApi {
  /** The user's role on the repository: read, triage, write, maintain, admin; throws with `status` 404 for a non-collaborator. */
  role(user: string, signal: AbortSignal): Promise<string>;
  /** The login of the token's own identity. */
  viewer(signal: AbortSignal): Promise<string>;
  issue(issue: number, signal: AbortSignal): Promise<IssueNow>;
  /** Who wrote the issue's text (GraphQL); throws when the query fails or names no such issue. */
  issueEdits(issue: number, signal: AbortSignal): Promise<IssueEdits>;
  /** The first comment by `author` that starts with `marker`. */
  findComment(issue: number, marker: string, author: string, signal: AbortSignal): Promise<number | undefined>;
  createComment(issue: number, body: string, signal: AbortSignal): Promise<void>;
  updateComment(id: number, body: string, signal: AbortSignal): Promise<void>;
}

export type ConnectGitHub = (token: string) => Promise<{ event: RunEvent; api: GitHubApi }>;

const MAX_COMMENT_PAGES = 30;

// Custom repository roles report their base permission (admin, write, read) instead.
function roleName(data: { permission?: string; role_name?: string }): string {
  const known = (name: string | undefined) => name !== undefined && (PERMISSIONS as readonly string[]).includes(name);
  if (known(data.role_name)) return data.role_name as string;
  return known(data.permission) ? (data.permission as string) : 'none';
}

interface Payload {
  issue?: { number?: unknown; user?: { login?: unknown }; body?: unknown; state?: unknown };
  sender?: { login?: unknown; type?: unknown };
  label?: { name?: unknown };
}

export async function connectOctokit(token: string): Promise<{ event: RunEvent; api: GitHubApi }> {
  const { context, getOctokit } = await import('@actions/github');
  const { issue, sender, label } = context.payload as Payload;
  return {
    event: {
      issueNumber: issue?.number,
      author: issue?.user?.login,
      sender: sender?.login,
      senderType: sender?.type,
      body: issue?.body,
      state: issue?.state,
      label: label?.name,
    },
    api: octokitApi(getOctokit(token), context.repo),
  };
}

// GraphQL's Issue: `editor` is the actor who last edited the body, `lastEditedAt` when
// (https://docs.github.com/en/graphql/reference/objects#issue).
const ISSUE_EDITS = `query ($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issue(number: $number) { author { login } editor { login } lastEditedAt body }
  }
}`;

type Octokit = ReturnType<Awaited<typeof import('@actions/github')>['getOctokit']>;

export function octokitApi(client: Octokit, { owner, repo }: { owner: string; repo: string }): GitHubApi {
  return {
    async role(username, signal) {
      const request = { owner, repo, username, request: { signal } };
      return roleName((await client.rest.repos.getCollaboratorPermissionLevel(request)).data);
    },
    async viewer(signal) {
      const data = await client.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }', {
        request: { signal },
      });
      if (typeof data.viewer?.login !== 'string') throw new Error('the GraphQL answer names no viewer');
      return data.viewer.login;
    },
    async issue(issue_number, signal) {
      const { data } = await client.rest.issues.get({ owner, repo, issue_number, request: { signal } });
      const labels = data.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? '')));
      return { body: data.body ?? '', state: data.state, labels };
    },
    async issueEdits(number, signal) {
      type Answer = { repository?: { issue?: Partial<IssueEdits> | null } | null };
      const data = await client.graphql<Answer>(ISSUE_EDITS, { owner, name: repo, number, request: { signal } });
      const issue = data?.repository?.issue;
      if (typeof issue !== 'object' || issue === null) throw new Error(`the GraphQL answer names no issue #${number}`);
      return { author: issue.author, editor: issue.editor, lastEditedAt: issue.lastEditedAt, body: issue.body };
    },
    // Paged by hand: octokit's paginate drops the request options, and with them the signal.
    async findComment(issue_number, marker, author, signal) {
      for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
        const request = { owner, repo, issue_number, per_page: 100, page, request: { signal } };
        const { data } = await client.rest.issues.listComments(request);
        const ours = data.find(
          (c) => c.user?.login.toLowerCase() === author.toLowerCase() && c.body?.startsWith(marker),
        );
        if (ours) return ours.id;
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
