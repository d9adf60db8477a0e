// The result comment on the issue: one comment, found again by its marker and updated on re-runs.
// Never throws: a comment that cannot be posted is a warning, never a failure of the run.
import { bounded, describeGitHubError, statusOf } from './deadline.js';
import type { GitHubApi } from './github-api.js';

export const COMMENT_MARKER = '<!-- cloudflare-remove-group-member:result -->';

export interface Notices {
  info(message: string): void;
  warning(message: string): void;
}

export function resultComment(
  issue: number,
  api: GitHubApi,
  timeoutMs: number,
  notices: Notices,
): (markdown: string, withinMs?: number) => Promise<void> {
  return async (markdown, withinMs) => {
    // A stopped run has little time left: the comment gets what remains of it, whole.
    const call = bounded(withinMs === undefined ? timeoutMs : Math.min(timeoutMs, withinMs));
    const body = `${COMMENT_MARKER}\n${markdown}`;
    try {
      const existing = await call((signal) => api.findComment(issue, COMMENT_MARKER, signal));
      if (existing === undefined) await call((signal) => api.createComment(issue, body, signal));
      else await call((signal) => api.updateComment(existing, body, signal));
      notices.info(`${existing === undefined ? 'Posted' : 'Updated'} the result comment on issue #${issue}.`);
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
