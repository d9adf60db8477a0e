// What an issue-triggered run needs from GitHub: the permission gate, before any Cloudflare
// request, and the result comment. Other events, or an issue event that asks for neither, make no
// GitHub call and never load @actions/github. Knows nothing of Cloudflare.
import type { Permission } from '../model.js';
import { resultComment, type Notices } from './comment.js';
import { bounded, describeGitHubError } from './deadline.js';
import { connectOctokit, type ConnectGitHub } from './github-api.js';
import { checkPermissions } from './gate.js';

export interface IssueOptions {
  readonly token: string;
  readonly requiredPermission: Permission | 'none';
  readonly commentOnIssue: boolean;
  readonly timeoutMs: number;
}

export interface IssueRun {
  /** Why the run may not go on; undefined when it may. */
  denial?: string;
  /** Posts (or updates) the result comment, when asked for, within `withinMs` if given. Never throws. */
  postResult?: (markdown: string, withinMs?: number) => Promise<void>;
}

const ISSUE_EVENTS = ['issues', 'issue_comment'];

export async function admitIssueRun(
  options: IssueOptions,
  eventName: string,
  notices: Notices,
  connect: ConnectGitHub = connectOctokit,
): Promise<IssueRun> {
  if (!ISSUE_EVENTS.includes(eventName)) {
    if (options.commentOnIssue) {
      const event = eventName || 'an unknown event';
      notices.warning(`comment-on-issue: ignored, because this run was triggered by "${event}", not by an issue.`);
    }
    return {};
  }
  const gate = options.requiredPermission !== 'none';
  if (!gate && !options.commentOnIssue) return {};
  const github = await connectFor(options, eventName, connect);
  if ('problem' in github) {
    if (gate) return { denial: github.problem };
    notices.warning(github.problem);
    return {};
  }
  const { event, api } = github;
  const call = bounded(options.timeoutMs);
  const required = options.requiredPermission;
  const info = (message: string) => notices.info(message);
  const denial = required !== 'none' ? await checkPermissions(event, required, call, api, info) : undefined;
  if (!options.commentOnIssue) return { denial };
  const issue = event.issueNumber;
  if (typeof issue !== 'number' || !Number.isSafeInteger(issue) || issue < 1) {
    notices.warning('comment-on-issue: the event payload names no issue; no comment will be posted.');
    return { denial };
  }
  return { denial, postResult: resultComment(issue, api, options.timeoutMs, notices) };
}

// The event and the API, or what stands in the way: a refusal for the gate, a warning for the comment.
async function connectFor(options: IssueOptions, eventName: string, connect: ConnectGitHub) {
  const gate = options.requiredPermission !== 'none';
  if (options.token === '') {
    const uses = 'the permission check and the comment use it';
    return {
      problem: `github-token: required for runs triggered by "${eventName}" (${uses}); leave it at its default, \${{ github.token }}.`,
    };
  }
  try {
    return await connect(options.token);
  } catch (error) {
    const problem = `could not read the event or reach the GitHub API: ${describeGitHubError(error)}`;
    return { problem: gate ? `required-permission: ${problem}; refusing.` : `comment-on-issue: ${problem}.` };
  }
}
