// Where the action's requests go and how the GitHub side is reached: the Cloudflare base URL, and
// the GitHub token, the permission gate and the issue comment. Both actions read them alike.
import { quote } from '../identifiers.js';
import { PERMISSIONS, type Permission } from '../model.js';
import type { Reader } from './reader.js';

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';

/** The settings the GitHub part needs: read on their own, so that invalid inputs can still be reported on the issue. */
export interface GitHubSettings {
  readonly token: string;
  readonly requiredPermission: Permission | 'none';
  /** For issue-triggered runs: the sender approves, holding this, and is not the issue's author. */
  readonly approverPermission?: Permission;
  readonly commentOnIssue: boolean;
  readonly timeoutMs: number;
}

// An invalid value here falls back to its default, so that a comment can still report the problems.
export function readGitHub(read: Reader): GitHubSettings {
  const approver = read.oneOf<Permission | ''>('approver-permission', PERMISSIONS, '');
  return {
    token: read.text('github-token'),
    requiredPermission: read.oneOf<Permission | 'none'>('required-permission', [...PERMISSIONS, 'none'], 'write'),
    ...(approver !== '' && { approverPermission: approver }),
    commentOnIssue: read.bool('comment-on-issue', false),
    timeoutMs: read.number('timeout-seconds', { fallback: 30, min: 1, max: 600, whole: false }) * 1000,
  };
}

/** True for hosts a plain-http base URL may point at: 127.0.0.0/8, localhost, [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function readBaseUrl(value: string, read: Reader): string {
  if (value === '') return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    read.refuse(`api-base-url: expected an absolute URL such as ${DEFAULT_BASE_URL}, got ${quote(value)}.`);
    return DEFAULT_BASE_URL;
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    read.refuse(`api-base-url: must use https: (plain http: only for a loopback host), got ${quote(url.origin)}.`);
  } else if (url.username !== '' || url.password !== '' || /[?#]/.test(value)) {
    read.refuse('api-base-url: must not contain credentials, a query or a fragment.');
  }
  return url.href.replace(/\/+$/, '');
}
