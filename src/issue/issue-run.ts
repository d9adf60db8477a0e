// What a run needs from GitHub before any Cloudflare request, and after: the permission gate on
// everyone an outsider could be, the issue read again, and the result comment. Events only
// writers can cause, or a run that asks for neither gate nor comment, make no GitHub call and
// never load @actions/github. Knows nothing of Cloudflare.
import type { Permission } from '../model.js';
import { resultComment, type Notices, type PostResult } from './comment.js';
import { notTheAuthorsText } from './authorship.js';
import { bounded, describeGitHubError, statusOf, type Bounded } from './deadline.js';
import { eventKind } from './events.js';
import { staleIssue } from './freshness.js';
import { checkPeople } from './gate.js';
import { connectOctokit, type ConnectGitHub, type GitHubApi, type RunEvent } from './github-api.js';

export interface IssueOptions {
  readonly token: string;
  readonly requiredPermission: Permission | 'none';
  readonly approverPermission?: Permission;
  readonly commentOnIssue: boolean;
  readonly timeoutMs: number;
  /** The hidden marker that finds this action's comment again; the offboarding's by default. */
  readonly commentMarker?: string;
}

export interface IssueRun {
  /** Why the run may not go on; undefined when it may. */
  denial?: string;
  /** Posts (or updates) the result comment, when asked for. Never throws. */
  postResult?: PostResult;
}

export async function admitIssueRun(
  options: IssueOptions,
  eventName: string,
  notices: Notices,
  connect: ConnectGitHub = connectOctokit,
): Promise<IssueRun> {
  const kind = eventKind(eventName);
  const gate = options.requiredPermission !== 'none' && kind !== 'writers-only';
  const comment = options.commentOnIssue && kind === 'issue';
  if (options.commentOnIssue && !comment) {
    const event = eventName || 'an unknown event';
    notices.warning(`comment-on-issue: ignored, because this run was triggered by "${event}", not by an issue.`);
  }
  if (!gate && !comment) return {};
  const github = await connectFor(options, eventName, connect);
  if ('problem' in github) {
    if (gate) return { denial: github.problem };
    notices.warning(github.problem);
    return {};
  }
  const { event, api } = github;
  const call = bounded(options.timeoutMs);
  const denial = gate ? await check(options, eventName, event, api, call, notices) : undefined;
  if (!comment) return { denial };
  const issue = event.issueNumber;
  if (typeof issue !== 'number' || !Number.isSafeInteger(issue) || issue < 1) {
    notices.warning('comment-on-issue: the event payload names no issue; no comment will be posted.');
    return { denial };
  }
  return { denial, postResult: resultComment(issue, api, options.timeoutMs, notices, options.commentMarker) };
}

async function check(
  options: IssueOptions,
  eventName: string,
  event: RunEvent,
  api: GitHubApi,
  call: Bounded,
  notices: Notices,
) {
  const issue = eventKind(eventName) === 'issue';
  const rules = {
    required: options.requiredPermission as Permission,
    ...(issue && options.approverPermission && { approver: options.approverPermission }),
    trigger: issue ? 'an issue' : `"${eventName}"`,
  };
  const denial = await checkPeople(event, rules, issue, call, api, (message) => notices.info(message));
  if (denial !== undefined || !issue) return denial;
  return (await readAgain(event, api, call)) ?? (rules.approver ? await whoWrote(event, api, call) : undefined);
}

// The issue as it is now, before anything is done on its word.
async function readAgain(event: RunEvent, api: GitHubApi, call: Bounded): Promise<string | undefined> {
  const number = event.issueNumber;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    return 'required-permission: the event names no issue, so it cannot be read again; refusing.';
  }
  try {
    return staleIssue(event, await call((signal) => api.issue(number, signal)));
  } catch (error) {
    const fix =
      statusOf(error) === 403 || statusOf(error) === 404 ? ' The workflow needs "permissions: issues: read".' : '';
    return `required-permission: could not read issue #${number} again to check that it did not change: ${describeGitHubError(error)}; refusing.${fix}`;
  }
}

// With an approver: the issue's text as its author wrote it, by GraphQL (the REST issue does not say).
async function whoWrote(event: RunEvent, api: GitHubApi, call: Bounded): Promise<string | undefined> {
  const number = event.issueNumber as number;
  try {
    return notTheAuthorsText(event, await call((signal) => api.issueEdits(number, signal)), number);
  } catch (error) {
    // GraphQL answers a token without access with 200 and an error of type FORBIDDEN.
    const types = (error as { errors?: Array<{ type?: unknown }> } | undefined)?.errors?.map((e) => e?.type) ?? [];
    const refused = statusOf(error) === 403 || statusOf(error) === 404 || types.includes('FORBIDDEN');
    const fix = refused ? ' The workflow needs "permissions: issues: read".' : '';
    return `approver-permission: could not read who last edited issue #${number} (GitHub GraphQL API): ${describeGitHubError(error)}; refusing.${fix}`;
  }
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
