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

async function approved(body: string, seed?: Awaited<ReturnType<typeof seeded>>) {
  const fixture = seed ?? (await seeded());
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
  const result = await fixture.run(
    { ...actionInputs(steps, contexts), ...fixture.base },
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
    const fixture = await seeded();
    const { sim, account, ann, engineers } = fixture;
    const deploy = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
    const offboarding = await approved(
      REQUESTS.all
        .replace('- [X] Remove from the account', '- [ ] Remove from the account')
        .replace('\nreport\n', '\ndisable\n'),
      fixture,
    );
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
