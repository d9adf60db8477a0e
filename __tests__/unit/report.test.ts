import { describe, expect, it } from 'vitest';
import type { RemovalRecord } from '../../src/removal/removal.js';
import { buildReport } from '../../src/report/report.js';
import { safeText } from '../../src/safe-text.js';
import type { Settings } from '../../src/settings/settings.js';

const ACCOUNT = 'a'.repeat(32);
const G1 = '1'.repeat(32);
const G2 = '2'.repeat(32);
const MEMBER = 'c'.repeat(32);

const SETTINGS: Settings = {
  accounts: { by: 'ids', ids: [ACCOUNT] },
  groups: { by: 'id', ids: [G1, G2] },
  members: [{ by: 'id', id: MEMBER }],
  credentials: { scheme: 'token', token: 'secret-token-value' },
  ifNotMember: 'fail',
  ifNotInAccount: 'fail',
  dryRun: false,
  protectedMembers: { ids: new Set(), emails: new Set() },
  removeFromAccount: false,
  revokeSessions: false,
  revokeDevices: false,
  memberTokens: 'ignore',
  maxRetries: 3,
  timeoutMs: 30_000,
  concurrency: 10,
  baseUrl: 'https://api.cloudflare.com/client/v4',
  recordKey: '',
  confirmInAuditLog: false,
  github: { token: '', requiredPermission: 'write', commentOnIssue: false, timeoutMs: 30_000 },
};

function report(record: Partial<RemovalRecord>, settings: Partial<Settings> = {}) {
  return buildReport(
    {
      stage: 'removal',
      settings: { ...SETTINGS, ...settings },
      startedAt: '2026-12-07T10:00:00.000Z',
      accounts: [
        {
          id: ACCOUNT,
          records: [{ member: { id: MEMBER, email: 'ann@example.com' }, groups: [], warnings: [], ...record }],
        },
      ],
    },
    safeText(['secret-token-value']),
  );
}

describe('buildReport', () => {
  it('adds the hint that says what to change, at the edge', () => {
    const failed = (status: number, codes: number[] = [], extra: Partial<Settings> = {}) =>
      report(
        {
          groups: [
            { group: { id: G1 }, outcome: 'failed', problem: { message: `DELETE x: HTTP ${status}`, status, codes } },
          ],
        },
        extra,
      ).failure!;
    expect(failed(403)).toContain(
      `HTTP 403. Check the credentials: the token needs the "Account Settings Write" or "SCIM Provisioning" permission on account ${ACCOUNT}.`,
    );
    expect(failed(403, [], { credentials: { scheme: 'global-key', email: 'a@b.c', key: 'k' } })).toContain(
      'Check api-email and api-key',
    );
    expect(failed(403, [9109])).toContain('restricted by client IP (code 9109)');
    expect(failed(429)).toContain('1,200 requests per five minutes per user');
    expect(failed(409)).toBe(`Could not remove ann@example.com in 1 of 1 user group:\n- ${G1}: DELETE x: HTTP 409`);
  });

  it('never says there is nothing to remove when the run was refused', () => {
    const refused = report(
      { stopped: { message: 'Could not list every user group of the account: GET x: HTTP 500' } },
      { groups: { by: 'all' } },
    );
    expect(refused.warnings).toEqual([]);
    expect(refused.summary).not.toContain('nothing to remove');
    expect(refused.summary).toContain('Nothing was removed.');
    expect(refused.failure).toBe('Could not list every user group of the account: GET x: HTTP 500');
  });

  it('says what was removed before the run stopped', () => {
    const partial = report(
      {
        groups: [{ group: { id: G1, name: 'Ops' }, outcome: 'removed' }],
        stopped: { message: 'Could not list every user group of the account: boom' },
      },
      { groups: { by: 'all' } },
    );
    expect(partial.outputs.removed).toBe('true');
    expect(partial.outputs['removed-groups']).toBe(JSON.stringify([G1]));
    expect(partial.summary).toContain('The run stopped part-way; the table lists what was removed before it stopped.');
    expect(JSON.parse(partial.outputs.result).failure).toBe('Could not list every user group of the account: boom');
  });

  it('lists every failed group and every group that did not hold the member', () => {
    const mixed = report({
      groups: [
        { group: { id: G1 }, outcome: 'not-member' },
        { group: { id: G2, name: 'B' }, outcome: 'failed', problem: { message: 'HTTP 500' } },
      ],
    });
    expect(mixed.failure).toBe(
      `Could not remove ann@example.com in 2 of 2 user groups:\n- ${G1}: ann@example.com is not in this group (set if-not-member: skip to accept that).\n- "B" (${G2}): HTTP 500`,
    );
    expect(mixed.outputs['skipped-groups']).toBe(JSON.stringify([G1]));
  });

  it('redacts credentials from every free text it writes, and bounds error text in the result', () => {
    const echoed = report({
      groups: [
        { group: { id: G1 }, outcome: 'failed', problem: { message: `echo secret-token-value ${'x'.repeat(5000)}` } },
      ],
    });
    const result = JSON.parse(echoed.outputs.result);
    expect(result.groups[0].error).toMatch(/^echo \*\*\* x+… \(\d+ more characters\)$/);
    expect(echoed.summary).not.toContain('secret-token-value');
    // The failure message is redacted on its way out, by the step's annotation sink.
    expect(safeText(['secret-token-value']).forAnnotation(echoed.failure!)).not.toContain('secret-token-value');
  });
});
