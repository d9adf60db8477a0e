// The result comment on the issue: one comment, found again on re-runs among those written by the
// token's own identity and carrying the marker, and updated. A comment by anyone else is never
// touched; when the identity cannot be read, or the update is refused, a new comment is posted.
// Never throws: a comment that cannot be posted is a warning, never a failure of the run.
import { bounded, describeGitHubError, statusOf } from './deadline.js';
import type { GitHubApi } from './github-api.js';

export const COMMENT_MARKER = '<!-- cloudflare-remove-group-member:result -->';

export interface Notices {
  info(message: string): void;
  warning(message: string): void;
}

/** Posts the result; within `withinMs` when a stopped run has only that long left. */
export type PostResult = (markdown: string, withinMs?: number) => Promise<void>;

export function resultComment(
  issue: number,
  api: GitHubApi,
  timeoutMs: number,
  notices: Notices,
  marker = COMMENT_MARKER,
): PostResult {
  return async (markdown, withinMs) => {
    const deadline = Date.now() + (withinMs ?? Number.POSITIVE_INFINITY);
    // Each call gets its own bound, but never past what a stopped run has left.
    const call = <T>(work: (signal: AbortSignal) => Promise<T>) =>
      bounded(Math.max(0, Math.min(timeoutMs, deadline - Date.now())))(work);
    const body = `${marker}\n${markdown}`;
    try {
      const existing = await ownComment(issue, api, call, marker);
      if (existing !== undefined && (await updated(existing, body, api, call))) {
        return notices.info(`Updated the result comment on issue #${issue}.`);
      }
      await call((signal) => api.createComment(issue, body, signal));
      notices.info(`Posted the result comment on issue #${issue}.`);
    } catch (error) {
      const status = statusOf(error);
      const fix =
        status === 403 || status === 404
          ? 'The workflow needs "permissions: issues: write".'
          : 'Re-run the workflow to post it.';
      notices.warning(`comment-on-issue: could not comment on issue #${issue}: ${describeGitHubError(error)}. ${fix}`);
    }
  };
}

type Call = <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>;

// The comment this identity wrote before; none when the identity cannot be read.
async function ownComment(issue: number, api: GitHubApi, call: Call, marker: string): Promise<number | undefined> {
  let author: string;
  try {
    author = await call((signal) => api.viewer(signal));
  } catch {
    return undefined;
  }
  return call((signal) => api.findComment(issue, marker, author, signal));
}

async function updated(id: number, body: string, api: GitHubApi, call: Call): Promise<boolean> {
  try {
    await call((signal) => api.updateComment(id, body, signal));
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404 || status === 422) return false;
    throw error;
  }
}
