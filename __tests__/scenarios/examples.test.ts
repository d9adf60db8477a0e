// The example issue workflow's offboarding step, run: the inputs a filed request gives, as GitHub
// passes them, to the sources in this process against the simulator, with the approval event and
// a fake GitHub. What a requester sees is the comment on the issue.
import { describe, expect, it } from 'vitest';
import { seeded } from '../helpers/fixture.ts';
import { fakeGitHub } from '../helpers/github-fake.ts';
import { actionInputs, FORM, ISSUE_WORKFLOW, loadWorkflow, parserOutputs, REQUESTS } from '../helpers/workflow.ts';

async function approved(body: string, seed: (fixture: Awaited<ReturnType<typeof seeded>>) => void = () => {}) {
  const fixture = await seeded();
  seed(fixture);
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
