// The issue as it is now, against the event that started the run: a reviewer approves what the
// issue says when they approve, but a waiting run acts on the text of its event. An edit during
// the wait, a closed issue, or a label taken off since, refuses the run.
import type { IssueNow, RunEvent } from './github-api.js';

/** Why the issue no longer is what the event saw, or undefined when it still is. */
export function staleIssue(event: RunEvent, now: IssueNow): string | undefined {
  const changes: string[] = [];
  const body = typeof event.body === 'string' ? event.body : '';
  if (now.body.replace(/\r\n/g, '\n') !== body.replace(/\r\n/g, '\n')) changes.push('its text was edited');
  if (now.state !== 'open') changes.push(`it is ${now.state === 'closed' ? 'closed' : `"${now.state.slice(0, 20)}"`}`);
  if (typeof event.label === 'string' && !now.labels.includes(event.label)) {
    changes.push(`it no longer carries the label ${JSON.stringify(event.label.slice(0, 50))}`);
  }
  return changes.length === 0 ? undefined : changedSince(changes);
}

/** The refusal of an issue that changed since the event: `changes` say how. */
export function changedSince(changes: string[]): string {
  return `The issue changed after the event that started this run: ${changes.join(', ')}; refusing, since what was approved is not what would run. Re-apply the label once the request is right.`;
}
