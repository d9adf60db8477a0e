// The example issue workflow's offboarding step, run: the inputs a filed request gives, as GitHub
// passes them, to the sources in this process against the simulator, with the approval event and
// a fake GitHub. What a requester sees is the comment on the issue.
import { describe, expect, it } from 'vitest';
import { seeded } from '../helpers/fixture.ts';
import { fakeGitHub } from '../helpers/github-fake.ts';
import { actionInputs, FORM, ISSUE_WORKFLOW, loadWorkflow, parserOutputs, REQUESTS } from '../helpers/workflow.ts';

async function approved(body: string) {
  const fixture = await seeded();
  const { steps } = await loadWorkflow(ISSUE_WORKFLOW);
  const contexts = {
    vars: { CLOUDFLARE_ACCOUNT_ID: fixture.account, CLOUDFLARE_PROTECTED_MEMBERS: '' },
    secrets: { CLOUDFLARE_API_TOKEN: fixture.base['api-token'] },
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
