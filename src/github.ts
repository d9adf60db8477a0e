// Issue-triggered runs: the permission gate before any Cloudflare request, and one result comment
// on the issue, updated on re-runs. Every GitHub call is bounded by timeout-seconds. Knows nothing
// of Cloudflare; @actions/github (octokit) is loaded only when a GitHub call is needed.

export const PERMISSIONS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface GitHubSettings {
  readonly token: string;
  readonly requiredPermission: Permission | 'none';
  readonly commentOnIssue: boolean;
  readonly timeoutMs: number;
}

/** Who is behind an issue event, from its payload: anything in it may be missing or wrong. */
export interface IssueEvent {
  issueNumber: unknown;
  /** The issue's author, whose form text drives the run. */
  author: unknown;
  /** The event's sender: opener, editor, labeller or commenter. */
  sender: unknown;
}

/** The few GitHub calls the action makes; each one given a signal that ends it. */
export interface GitHubApi {
  /** The user's role on the repository: read, triage, write, maintain, admin; throws with `status` 404 for a non-collaborator. */
  role(user: string, signal: AbortSignal): Promise<string>;
  findComment(issue: number, marker: string, signal: AbortSignal): Promise<number | undefined>;
  createComment(issue: number, body: string, signal: AbortSignal): Promise<void>;
  updateComment(id: number, body: string, signal: AbortSignal): Promise<void>;
}

/** The event of this run and the API, from @actions/github by default; tests pass their own. */
export type ConnectGitHub = (token: string) => Promise<{ event: IssueEvent; api: GitHubApi }>;

export interface Notices {
  info(message: string): void;
  warning(message: string): void;
}

export interface IssueGate {
  /** Why the run may not go on; undefined when it may. */
  refusal?: string;
  /** Posts (or updates) the result comment, when asked for. Never throws: a failure is a warning. */
  comment?: (markdown: string) => Promise<void>;
}

const ISSUE_EVENTS = ['issues', 'issue_comment'];
export const COMMENT_MARKER = '<!-- cloudflare-remove-group-member:result -->';
const MAX_COMMENT_PAGES = 30;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/**
 * The gate and the comment for this run. Other events, or an issue event with neither the gate
 * nor the comment asked for, make no GitHub call and never load @actions/github.
 */
export async function openIssue(settings: GitHubSettings, eventName: string, notices: Notices, connect: ConnectGitHub = octokit): Promise<IssueGate> {
  if (!ISSUE_EVENTS.includes(eventName)) {
    if (settings.commentOnIssue) notices.warning(`comment-on-issue: ignored, because this run was triggered by "${eventName || 'an unknown event'}", not by an issue.`);
    return {};
  }
  const gate = settings.requiredPermission !== 'none';
  if (!gate && !settings.commentOnIssue) return {};
  if (settings.token === '') {
    const refusal = `github-token: required for runs triggered by "${eventName}" (the permission check and the comment use it); leave it at its default, \${{ github.token }}.`;
    if (gate) return { refusal };
    notices.warning(refusal);
    return {};
  }
  let github: Awaited<ReturnType<ConnectGitHub>>;
  try {
    github = await connect(settings.token);
  } catch (error) {
    const problem = `could not read the event or reach the GitHub API: ${describe(error)}`;
    if (gate) return { refusal: `required-permission: ${problem}; refusing.` };
    notices.warning(`comment-on-issue: ${problem}.`);
    return {};
  }
  const { event, api } = github;
  const bounded = <T>(call: (signal: AbortSignal) => Promise<T>) => withTimeout(settings.timeoutMs, call);
  const refusal = gate ? await checkPermissions(event, settings.requiredPermission as Permission, bounded, api, notices) : undefined;
  if (!settings.commentOnIssue) return { refusal };
  const issue = event.issueNumber;
  if (typeof issue !== 'number' || !Number.isSafeInteger(issue) || issue < 1) {
    notices.warning('comment-on-issue: the event payload names no issue; no comment will be posted.');
    return { refusal };
  }
  return {
    refusal,
    async comment(markdown) {
      const body = `${COMMENT_MARKER}\n${markdown}`;
      try {
        const existing = await bounded((signal) => api.findComment(issue, COMMENT_MARKER, signal));
        if (existing === undefined) await bounded((signal) => api.createComment(issue, body, signal));
        else await bounded((signal) => api.updateComment(existing, body, signal));
        notices.info(`${existing === undefined ? 'Posted' : 'Updated'} the result comment on issue #${issue}.`);
      } catch (error) {
        const status = (error as { status?: number }).status;
        const fix = status === 403 || status === 404 ? 'The workflow needs "permissions: issues: write".' : 'Re-run the workflow to post it.';
        notices.warning(`comment-on-issue: could not comment on issue #${issue}: ${describe(error)}. ${fix}`);
      }
    },
  };
}

type Bounded = <T>(call: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/**
 * Both the issue's author and the event's sender must hold `required`: the sender alone would let
 * a maintainer's edit or label replay an outsider's form text with the maintainer's permission.
 * Fails closed: anything but a confirmed, high enough role refuses the run.
 */
async function checkPermissions(event: IssueEvent, required: Permission, bounded: Bounded, api: GitHubApi, notices: Notices): Promise<string | undefined> {
  const people = [
    { who: "the issue's author", login: event.author },
    { who: "the event's sender", login: event.sender },
  ];
  for (const { who, login } of people) {
    if (typeof login !== 'string' || !LOGIN.test(login)) return `required-permission: the event names no valid login for ${who}, so their permission cannot be checked; refusing.`;
  }
  const [author, sender] = people as Array<{ who: string; login: string }>;
  const checks = author!.login.toLowerCase() === sender!.login.toLowerCase() ? [{ who: `${author!.who} and ${sender!.who}`, login: author!.login }] : [author!, sender!];
  const results = await Promise.all(checks.map(async ({ who, login }) => ({ who, login, ...(await roleOf(login, bounded, api)) })));
  const refusals: string[] = [];
  for (const { who, login, role, error } of results) {
    if (error !== undefined) refusals.push(`required-permission: could not read the repository permission of ${who} ${login}: ${error}; refusing.`);
    else if (role === undefined) refusals.push(`required-permission: ${who} ${login} is not a collaborator of this repository, and runs triggered by an issue need "${required}" permission; refusing.`);
    else if (PERMISSIONS.indexOf(role) < PERMISSIONS.indexOf(required)) refusals.push(`required-permission: ${who} ${login} has "${role}" permission on this repository, and runs triggered by an issue need "${required}" or higher; refusing.`);
  }
  if (refusals.length > 0) return refusals.join('\n');
  notices.info(`${results.map(({ who, login, role }) => `${who} ${login} has "${role}"`).join('; ')} permission on this repository (required: ${required}).`);
  return undefined;
}

async function roleOf(login: string, bounded: Bounded, api: GitHubApi): Promise<{ role?: Permission; error?: string }> {
  try {
    const role = await bounded((signal) => api.role(login, signal));
    return (PERMISSIONS as readonly string[]).includes(role) ? { role: role as Permission } : { error: `GitHub answered an unknown role ${JSON.stringify(role).slice(0, 40)}` };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return {};
    return { error: describe(error) };
  }
}

/** Runs one GitHub call with a signal that aborts it after `ms`; a timeout says so plainly. */
async function withTimeout<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      reject(new Error(`no answer within ${ms / 1000} s (timeout-seconds)`));
    }, ms);
  });
  try {
    // The deadline also ends a call that ignores its signal.
    return await Promise.race([call(controller.signal), deadline]);
  } catch (error) {
    if (timedOut) throw new Error(`no answer within ${ms / 1000} s (timeout-seconds)`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { status?: number }).status;
  return status ? `HTTP ${status}: ${error.message}` : error.message;
}

// Custom repository roles report their base permission (admin, write, read) instead.
function roleName(data: { permission?: string; role_name?: string }): string {
  const known = (name: string | undefined) => name !== undefined && (PERMISSIONS as readonly string[]).includes(name);
  if (known(data.role_name)) return data.role_name as string;
  return known(data.permission) ? (data.permission as string) : 'none';
}

async function octokit(token: string): Promise<{ event: IssueEvent; api: GitHubApi }> {
  const { context, getOctokit } = await import('@actions/github');
  const { owner, repo } = context.repo;
  const client = getOctokit(token);
  const payload = context.payload as { issue?: { number?: unknown; user?: { login?: unknown } }; sender?: { login?: unknown } };
  return {
    event: { issueNumber: payload.issue?.number, author: payload.issue?.user?.login, sender: payload.sender?.login },
    api: {
      async role(username, signal) {
        const { data } = await client.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username, request: { signal } });
        return roleName(data);
      },
      // Paged by hand: octokit's paginate drops the request options, and with them the signal.
      async findComment(issue_number, marker, signal) {
        for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
          const { data } = await client.rest.issues.listComments({ owner, repo, issue_number, per_page: 100, page, request: { signal } });
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
    },
  };
}
