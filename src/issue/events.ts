// Who can cause each event, and so what the permission gate must check before any Cloudflare
// request: for issue events, the issue's author (whose form text drives the run) and the sender;
// for any other event an outsider can cause, the sender; for events only writers can cause, no one.

export type EventKind = 'issue' | 'writers-only' | 'anyone';

const ISSUE_EVENTS = ['issues', 'issue_comment'];
/** Events only people with write access (or the repository itself) can cause. */
export const WRITERS_ONLY = ['workflow_dispatch', 'push', 'schedule', 'repository_dispatch', 'release'];

/**
 * Discussions, pull_request_target, fork, watch and any event the action does not know: anyone.
 * No event at all (a run outside GitHub Actions, `npm run local-action`) has no one to check.
 */
export function eventKind(eventName: string): EventKind {
  if (ISSUE_EVENTS.includes(eventName)) return 'issue';
  return eventName === '' || WRITERS_ONLY.includes(eventName) ? 'writers-only' : 'anyone';
}
