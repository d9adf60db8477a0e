// The GitHub calls through octokit, in this process, against the GitHub API mock on loopback: the
// GraphQL answer for who wrote an issue, in each shape GitHub gives it, and what the approval makes
// of it. The bundle's issue-triggered runs take the same path once per case a user meets.
import { getOctokit } from '@actions/github';
import { describe, expect, it } from 'vitest';
import { octokitApi, type RunEvent } from '../../src/issue/github-api.js';
import { admitIssueRun } from '../../src/issue/issue-run.js';
import type { MockIssue } from '../../simulator/github.ts';
import { github, GITHUB_TOKEN } from '../helpers/fixture.ts';

const BODY = '### Member emails\n\nann@example.com';
const event: RunEvent = {
  issueNumber: 1,
  author: 'filer',
  sender: 'lead',
  senderType: 'User',
  body: BODY,
  state: 'open',
  label: 'offboarding-approved',
};

async function approval(issue: Partial<MockIssue>, mode?: 'forbidden' | 'not-found') {
  const gh = await github({ filer: 'triage', lead: 'maintain' });
  gh.mock.issues.set(1, { body: BODY, state: 'open', labels: ['offboarding-approved'], author: 'filer', ...issue });
  if (mode) gh.mock.issueQuery = mode;
  const api = octokitApi(getOctokit(GITHUB_TOKEN, { baseUrl: gh.env.GITHUB_API_URL }), {
    owner: 'octo-org',
    repo: 'offboarding',
  });
  const seen: string[] = [];
  const notices = { info: (m: string) => void seen.push(m), warning: (m: string) => void seen.push(m) };
  const options = {
    token: GITHUB_TOKEN,
    requiredPermission: 'triage' as const,
    approverPermission: 'maintain' as const,
    commentOnIssue: false,
    timeoutMs: 5000,
  };
  const run = await admitIssueRun(options, 'issues', notices, async () => ({ event, api }));
  return { denial: run.denial, api, requests: gh.mock.requests };
}

describe('who wrote the issue, by GraphQL', () => {
  it('reads author, editor, lastEditedAt and body as GitHub answers them', async () => {
    const { api, denial, requests } = await approval({ editor: 'filer', lastEditedAt: '2026-12-01T09:30:00Z' });
    expect(denial).toBeUndefined();
    expect(requests.at(-1)).toBe('POST /graphql');
    expect(await api.issueEdits(1, new AbortController().signal)).toEqual({
      author: { login: 'filer' },
      editor: { login: 'filer' },
      lastEditedAt: '2026-12-01T09:30:00Z',
      body: BODY,
    });
  });

  it('refuses an edit by a deleted account: lastEditedAt set, editor null', async () => {
    const { denial } = await approval({ editor: null, lastEditedAt: '2026-12-01T09:30:00Z' });
    expect(denial).toContain('was last edited by an account that can no longer be read');
  });

  it('fails closed on the errors GitHub answers to a token without access, with data.repository null', async () => {
    const { denial } = await approval({}, 'forbidden');
    expect(denial).toMatch(
      /^approver-permission: could not read who last edited issue #1 \(GitHub GraphQL API\): .*Resource not accessible by integration; refusing\. The workflow needs "permissions: issues: read"\.$/s,
    );
  });

  it('fails closed when GraphQL finds no such issue', async () => {
    const { denial } = await approval({}, 'not-found');
    expect(denial).toMatch(/^approver-permission: could not read who last edited issue #1 .*Could not resolve/s);
  });
});
