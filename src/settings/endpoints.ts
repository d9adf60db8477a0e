// How requests reach Cloudflare (the base URL, retries, time limit, concurrency) and how the GitHub
// side is reached (the token, the permission gate, the issue comment). Both actions read them alike.
import { quote } from '../identifiers.js';
import { PERMISSIONS, type Env, type Permission } from '../model.js';
import type { Reader } from './reader.js';

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
/** Chosen by measurement: see the README's performance section. */
export const DEFAULT_CONCURRENCY = 50;

/** How requests to Cloudflare go: where, with how many retries, in how long, how many at once. */
export interface TransportSettings {
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly baseUrl: string;
}

/** The transport inputs; the time limit is the one the GitHub side read (timeout-seconds bounds both). */
export function readTransport(read: Reader, env: Env, github: GitHubSettings): TransportSettings {
  return {
    maxRetries: read.number('max-retries', { fallback: 3, min: 0, max: 10, whole: true }),
    timeoutMs: github.timeoutMs,
    concurrency: read.number('concurrency', { fallback: DEFAULT_CONCURRENCY, min: 1, max: 50, whole: true }),
    baseUrl: readBaseUrl(read.text('api-base-url') || (env.CLOUDFLARE_BASE_URL ?? '').trim(), read),
  };
}

/** The gate's inputs that do not go together. */
export function gateProblems(github: GitHubSettings): string[] {
  return github.approverPermission && github.requiredPermission === 'none'
    ? [
        'approver-permission: works with the permission gate, which required-permission: none turns off; set required-permission too.',
      ]
    : [];
}

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

function readBaseUrl(value: string, read: Reader): string {
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
