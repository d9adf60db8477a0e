// The example issue workflows' action steps, run: the inputs a filed request gives, as GitHub
// passes them, to the sources in this process against the simulator, with the approval event and
// a fake GitHub. What a requester sees is the comment on the issue. The restore takes the record
// the offboarding keeps, through the files its steps write and the artifact carries.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seeded } from '../helpers/fixture.ts';
import { fakeGitHub } from '../helpers/github-fake.ts';
import {
  actionInputs,
  FORM,
  ISSUE_WORKFLOW,
  loadWorkflow,
  parserOutputs,
  REQUESTS,
  RESTORE_FORM,
  RESTORE_REQUESTS,
  RESTORE_WORKFLOW,
} from '../helpers/workflow.ts';

const RECORD_KEY = 'e'.repeat(64);

async function approved(body: string, seed: (fixture: Awaited<ReturnType<typeof seeded>>) => void = () => {}) {
  const fixture = await seeded();
  seed(fixture);
  const { steps } = await loadWorkflow(ISSUE_WORKFLOW);
  const contexts = {
    vars: { CLOUDFLARE_ACCOUNT_ID: fixture.account, CLOUDFLARE_PROTECTED_MEMBERS: '' },
    secrets: { CLOUDFLARE_API_TOKEN: fixture.base['api-token'], CLOUDFLARE_RECORD_KEY: RECORD_KEY },
    github: {},
    steps: { form: { outputs: await parserOutputs(body, FORM) } },
  };
  const github = fakeGitHub({
    roles: { filer: 'triage', lead: 'maintain' },
    event: { author: 'filer', sender: 'lead', body, label: 'offboarding-approved' },
  });
  // The account comes from the workflow (its variable, or every account), the rest from the fixture.
  const connection = { 'api-token': fixture.base['api-token'], 'api-base-url': fixture.base['api-base-url'] };
  const result = await fixture.run(
    { ...actionInputs(steps, contexts), ...connection },
    { githubToken: 'ghs_example', event: { name: 'issues', github: github.connect } },
  );
  return { ...fixture, result, comments: github.comments };
}

describe('the example issue workflow, run', () => {
  it('refuses "Remove from the account" with group names in the action, and says so on the issue', async () => {
    const { sim, result, comments } = await approved(REQUESTS.all.replace('\nAll\n', '\nEngineers\n'));
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toContain('remove-from-account: works with all-groups: true only');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('remove-from-account: works with all-groups: true only');
  });

  it('offboards a request for every account the token sees, with their WARP devices, and reports each account on the issue', async () => {
    let staging = '';
    const { sim, account, ann, result, comments } = await approved(REQUESTS.every, ({ sim, account }) => {
      sim.addDevices(account, 'ann@example.com');
      staging = sim.addAccount(undefined, 'Staging');
      const there = sim.addMember(staging, 'ann@example.com');
      sim.addGroup(staging, 'Deployers', [there.id]);
      sim.addDevices(staging, 'ann@example.com', 2);
    });
    expect(result.exitCode).toBe(0);
    expect(sim.requests.some((request) => request.path === '/accounts')).toBe(true);
    for (const id of [account, staging]) {
      expect([...sim.accounts.get(id)!.members.values()].some((m) => m.email === 'ann@example.com')).toBe(false);
      expect(sim.devices(id, 'ann@example.com')).toBe(0);
    }
    expect(sim.accounts.get(account)!.members.has(ann.id)).toBe(false);
    const revocations = sim.requests.filter((r) => r.path.endsWith('/access/organizations/revoke_user'));
    expect(revocations.map((r) => r.body)).toEqual(
      [account, staging].map(() => expect.objectContaining({ devices: true, warp_session_reauth: true })),
    );
    expect(JSON.parse(result.outputs.accounts!)).toHaveLength(2);
    expect(comments[0]!.body).toContain('Staging');
  });

  it('refuses "Every account" with group names in the action, and says so on the issue', async () => {
    const { sim, result, comments } = await approved(REQUESTS.every.replace('\nAll\n', '\nEngineers\n'));
    expect(result.exitCode).toBe(1);
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(result.errors[0]).toContain('user-group-name');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('user-group-name');
  });

  it('offboards a request for every group, and reports it on the issue', async () => {
    const { sim, account, ann, result, comments } = await approved(REQUESTS.all);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.removed).toBe('true');
    expect(sim.accounts.get(account)!.members.has(ann.id)).toBe(false);
    expect(comments[0]!.body).toContain('✅ removed');
  });
});

describe('the example restore workflow, run', () => {
  it('restores from the record the offboarding example kept, and says so on the restore issue', async () => {
    let deploy = { id: '' };
    const offboarding = await approved(
      REQUESTS.all
        .replace('- [X] Remove from the account', '- [ ] Remove from the account')
        .replace('\nreport\n', '\ndisable\n'),
      ({ sim, account }) => (deploy = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' })),
    );
    const fixture = offboarding;
    const { sim, account, ann, engineers } = fixture;
    expect(offboarding.result.exitCode).toBe(0);
    expect(sim.token(account, deploy.id).status).toBe('disabled');
    // The offboarding's "Keep the record" and "Upload the record", then the restore's "Download the record".
    const temp = await mkdtemp(join(tmpdir(), 'runner-temp-'));
    try {
      await writeFile(join(temp, 'cloudflare-record.json'), offboarding.result.outputs.accounts!);
      await mkdir(join(temp, 'record'));
      await copyFile(join(temp, 'cloudflare-record.json'), join(temp, 'record', 'cloudflare-record.json'));
      const body = RESTORE_REQUESTS.new;
      const { steps } = await loadWorkflow(RESTORE_WORKFLOW);
      const contexts = {
        vars: { CLOUDFLARE_ACCOUNT_ID: account, CLOUDFLARE_PROTECTED_MEMBERS: '' },
        secrets: { CLOUDFLARE_API_TOKEN: fixture.base['api-token'], CLOUDFLARE_RECORD_KEY: RECORD_KEY },
        github: {},
        runner: { temp },
        steps: { form: { outputs: await parserOutputs(body, RESTORE_FORM) } },
      };
      const github = fakeGitHub({
        roles: { filer: 'triage', lead: 'maintain' },
        event: { author: 'filer', sender: 'lead', body, label: 'restore-approved' },
      });
      const result = await fixture.restore(
        { ...actionInputs(steps, contexts), ...fixture.base },
        { githubToken: 'ghs_example', event: { name: 'issues', github: github.connect } },
      );
      expect(result.exitCode).toBe(0);
      expect(result.outputs.restored).toBe('true');
      expect(sim.group(account, engineers.id).memberIds).toContain(ann.id);
      expect(sim.token(account, deploy.id).status).toBe('active');
      expect(github.comments).toHaveLength(1);
      expect(github.comments[0]!.body).toMatch(
        /^<!-- cloudflare-remove-group-member:restore -->\n## Restore ` ann@example.com `/,
      );
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  });
});
