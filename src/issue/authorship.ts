// Who wrote what is approved: with an approver, the issue's text must be its author's own. Anyone
// with write access can edit someone else's issue, so a maintainer could rewrite an older request
// and then approve it as the "second person". The REST issue does not say who edited it; GraphQL's
// `editor` and `lastEditedAt` do. The author's own edits are fine; any other editor, an editor that
// cannot be read (a deleted account), or an answer that does not fit, refuses the run.
import { changedSince } from './freshness.js';
import type { IssueEdits, RunEvent } from './github-api.js';

export const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** Why the approver may not approve this text, or undefined when its author wrote all of it. */
export function notTheAuthorsText(event: RunEvent, edits: IssueEdits, issue: number): string | undefined {
  const author = event.author as string;
  const named = loginOf(edits.author);
  if (named === undefined) {
    return `approver-permission: GitHub names no readable author of issue #${issue} (a deleted account, say), so who wrote the request cannot be checked; refusing.`;
  }
  if (!same(named, author)) {
    return `approver-permission: GitHub names ${named} as the author of issue #${issue}, not ${author} as the event does, so who wrote the request cannot be checked; refusing.`;
  }
  const body = typeof event.body === 'string' ? event.body : '';
  if (typeof edits.body !== 'string' || normalized(edits.body) !== normalized(body)) {
    return changedSince(['its text was edited']);
  }
  const edited = edits.lastEditedAt !== null && edits.lastEditedAt !== undefined;
  if (edited && (typeof edits.lastEditedAt !== 'string' || edits.lastEditedAt.trim() === '')) {
    return `approver-permission: GitHub's answer on when issue #${issue} was last edited cannot be read, so who wrote its text cannot be checked; refusing.`;
  }
  if (edits.editor === null || edits.editor === undefined) {
    if (!edited) return undefined;
    return `approver-permission: the text of issue #${issue} was last edited by an account that can no longer be read (a deleted account, say), so who wrote it cannot be checked; ask ${author} to file the request again; refusing.`;
  }
  const editor = loginOf(edits.editor);
  if (editor === undefined) {
    return `approver-permission: GitHub names the last editor of issue #${issue} by no valid login, so who wrote its text cannot be checked; ask ${author} to file the request again; refusing.`;
  }
  if (same(editor, author)) return undefined;
  const role = typeof event.sender === 'string' && same(editor, event.sender) ? ', the approver' : '';
  return `approver-permission: the text of issue #${issue} was last edited by ${editor}${role}, not by its author ${author}; a request is approved only as its author wrote it. Ask ${author} to file the request again (or to edit it themselves), then add the approval label again; refusing.`;
}

// GraphQL names a bot without the "[bot]" that REST and the event add.
function loginOf(actor: unknown): string | undefined {
  const login = (actor as { login?: unknown } | null | undefined)?.login;
  return typeof login === 'string' && LOGIN.test(login) ? login : undefined;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const normalized = (text: string) => text.replace(/\r\n/g, '\n');
