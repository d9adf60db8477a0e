// Issue-triggered runs: the permission gate before any Cloudflare request, and one result
// comment on the issue, updated on re-runs. It knows nothing of Cloudflare.
import { readFileSync } from 'node:fs';
import type { Env, Permission, Settings } from './inputs.js';
import { PERMISSIONS } from './inputs.js';
import { Refusal } from './refusal.js';

export interface IssueContext {
  /** Posts (or updates) the result comment. Never throws: a failure is a warning. */
  comment(markdown: string): Promise<void>;
}

/** The few GitHub calls the action makes. */
export interface GitHubApi {
  /** The actor's role on the repository: read, triage, write, maintain, admin, or none. */
  role(user: string): Promise<string>;
  findComment(issue: number, marker: string): Promise<number | undefined>;
  createComment(issue: number, body: string): Promise<void>;
  updateComment(id: number, body: string): Promise<void>;
}

export interface Notices {
  info(message: string): void;
  warning(message: string): void;
}

const ISSUE_EVENTS = ['issues', 'issue_comment'];
export const COMMENT_MARKER = '<!-- cloudflare-remove-group-member:result -->';

/**
 * Returns undefined when the event is not about an issue, or when neither the gate nor the
 * comment is asked for: then no GitHub call is made and @actions/github is never loaded.
 */
export async function issueContext(
  settings: Settings,
  env: Env,
  notices: Notices,
  connect: (token: string, env: Env) => Promise<GitHubApi> = octokitApi,
): Promise<IssueContext | undefined> {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!ISSUE_EVENTS.includes(event)) {
    if (settings.commentOnIssue) notices.warning(`comment-on-issue: ignored, because this run was triggered by "${event || 'an unknown event'}", not by an issue.`);
    return undefined;
  }
  const gate = settings.requiredPermission !== 'none';
  if (!gate && !settings.commentOnIssue) return undefined;

  const payload = readPayload(env);
  const actor = payload.sender?.login ?? env.GITHUB_ACTOR ?? '';
  const issue = payload.issue?.number;
  if (settings.githubToken === '') {
    throw new Refusal(`github-token: required for runs triggered by "${event}" (the permission check and comment use it); leave it at its default, \${{ github.token }}.`);
  }
  const api = await connect(settings.githubToken, env);

  if (gate) await checkPermission(api, actor, settings.requiredPermission as Permission, notices);
  if (!settings.commentOnIssue) return undefined;
  if (typeof issue !== 'number') {
    notices.warning('comment-on-issue: the event payload names no issue; no comment will be posted.');
    return undefined;
  }
  return {
    async comment(markdown) {
      const body = `${COMMENT_MARKER}\n${markdown}`;
      try {
        const existing = await api.findComment(issue, COMMENT_MARKER);
        if (existing === undefined) await api.createComment(issue, body);
        else await api.updateComment(existing, body);
        notices.info(`${existing === undefined ? 'Posted' : 'Updated'} the result comment on issue #${issue}.`);
      } catch (error) {
        const status = (error as { status?: number }).status;
        const fix = status === 403 || status === 404 ? 'The workflow needs "permissions: issues: write".' : 'Re-run the workflow to post it.';
        notices.warning(`comment-on-issue: could not comment on issue #${issue}: ${describe(error)}. ${fix}`);
      }
    },
  };
}

/** Fails closed: anything but a confirmed, high enough role refuses the run. */
async function checkPermission(api: GitHubApi, actor: string, required: Permission, notices: Notices): Promise<void> {
  if (actor === '') throw new Refusal('required-permission: the event names no actor, so their permission cannot be checked; refusing.');
  let role: string;
  try {
    role = await api.role(actor);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404) {
      throw new Refusal(`required-permission: ${actor} is not a collaborator of this repository, and runs triggered by an issue need "${required}" permission; refusing.`);
    }
    throw new Refusal(`required-permission: could not read the repository permission of ${actor}: ${describe(error)}; refusing.`);
  }
  const rank = (PERMISSIONS as readonly string[]).indexOf(role);
  if (rank < PERMISSIONS.indexOf(required)) {
    throw new Refusal(`required-permission: ${actor} has "${role}" permission on this repository, and runs triggered by an issue need "${required}" or higher; refusing.`);
  }
  notices.info(`${actor} has "${role}" permission on this repository (required: ${required}).`);
}

interface Payload {
  sender?: { login?: string };
  issue?: { number?: number };
}

function readPayload(env: Env): Payload {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) throw new Refusal('The run was triggered by an issue, but GITHUB_EVENT_PATH is not set, so the actor cannot be checked; refusing.');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Payload;
  } catch (error) {
    throw new Refusal(`Could not read the event payload at ${path}: ${describe(error)}; refusing.`);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { status?: number }).status;
  return status ? `HTTP ${status}: ${error.message}` : error.message;
}

// Custom repository roles report their base permission (admin, write, read) instead.
function roleOf(data: { permission?: string; role_name?: string }): string {
  const known = (name: string | undefined) => name !== undefined && (PERMISSIONS as readonly string[]).includes(name);
  if (known(data.role_name)) return data.role_name as string;
  return known(data.permission) ? (data.permission as string) : 'none';
}

async function octokitApi(token: string, env: Env): Promise<GitHubApi> {
  const { getOctokit } = await import('@actions/github');
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const octokit = getOctokit(token, { baseUrl: env.GITHUB_API_URL || 'https://api.github.com' });
  return {
    async role(username) {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
      return roleOf(data);
    },
    async findComment(issue_number, marker) {
      for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 })) {
        const found = page.data.find((c) => c.user?.type === 'Bot' && c.body?.startsWith(marker));
        if (found) return found.id;
      }
      return undefined;
    },
    async createComment(issue_number, body) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number, body });
    },
    async updateComment(comment_id, body) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id, body });
    },
  };
}
