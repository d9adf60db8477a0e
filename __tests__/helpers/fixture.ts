// Scenarios for the tests against the simulator: a seeded account, the action run in this process
// (the variants of a path) or as the bundle the runner runs (one run per path), and issue-triggered
// runs with a GitHub API mock. Tests say what happens, not how.
import { readFile } from 'node:fs/promises';
import { afterEach } from 'vitest';
import { ALL_GRANTS } from '../../simulator/access.ts';
import { CloudflareSimulator, type SimulatorOptions } from '../../simulator/cloudflare.ts';
import { GitHubMock } from '../../simulator/github.ts';
import { runAction, type RunOptions, type RunResult } from '../../simulator/runner.ts';
import { fakeClock } from './clock.ts';
import { runInProcess, type InProcessOptions } from './in-process.ts';

export const TOKEN = 'cfut_test-token-0123456789abcdef';
export const READ_TOKEN = 'cfut_read-only-token-fedcba9876543210';
export const GITHUB_TOKEN = 'ghs_mock-token';

// The global setup bundles the sources under test; a run of the committed dist/ would test nothing new.
const bundled = process.env.ACTION_BUNDLE_DONE;
if (!process.env.ACTION_BUNDLE || !bundled) {
  throw new Error('ACTION_BUNDLE is not set: run the tests through vitest, whose global setup bundles src/.');
}

/** Waits until the global setup's bundler has finished, and fails the test if it failed. */
export async function bundleReady(): Promise<void> {
  for (;;) {
    const state = await readFile(bundled!, 'utf8').catch(() => undefined);
    if (state === 'ok') return;
    if (state !== undefined) throw new Error(state);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The bundle, run as the runner runs it, once it is built. */
export async function runBundle(inputs: Record<string, string>, options?: RunOptions): Promise<RunResult> {
  await bundleReady();
  return runAction(inputs, options);
}

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

/** One account, a write and a read token, ann and joann, and two groups: Engineers (both) and Billing (joann). */
export async function seeded(options: SimulatorOptions = {}) {
  // One fake clock for the simulator and the in-process action: waits cost no time. (A bundle run
  // keeps real time, so the simulator's clock stands still for it: no rate-limit window there.)
  const clock = fakeClock();
  const sim = new CloudflareSimulator({
    tokens: { [TOKEN]: 'write', [READ_TOKEN]: 'read' },
    now: clock.now,
    ...options,
  });
  const account = sim.addAccount();
  const ann = sim.addMember(account, 'ann@example.com');
  const joann = sim.addMember(account, 'joann@example.com', 'pending');
  const engineers = sim.addGroup(account, 'Engineers', [ann.id, joann.id]);
  const billing = sim.addGroup(account, 'Billing', [joann.id]);
  const baseUrl = await sim.start();
  running.push(sim);
  const base = { 'account-id': account, 'api-token': TOKEN, 'api-base-url': baseUrl };
  /** The bundle, run as the runner runs it. */
  const bundle = (inputs: Record<string, string>, runOptions?: RunOptions) =>
    runBundle({ ...base, ...inputs }, runOptions);
  /** The sources, in this process, on a fake clock: for the variants of a path. */
  const run = (inputs: Record<string, string>, runOptions?: InProcessOptions) =>
    runInProcess({ ...base, ...inputs }, { clock, ...runOptions });
  /** The restore action's bundle, and its sources in this process. */
  const restoreBundle = (inputs: Record<string, string>, runOptions?: RunOptions) =>
    runBundle({ ...base, ...inputs }, { ...runOptions, action: 'restore' });
  const restore = (inputs: Record<string, string>, runOptions?: InProcessOptions) =>
    runInProcess({ ...base, ...inputs }, { clock, ...runOptions, action: 'restore' });
  return { sim, account, ann, joann, engineers, billing, baseUrl, base, run, bundle, restore, restoreBundle, clock };
}

const ADMIN_ACCESS = {
  roles: [{ id: 'e'.repeat(32), name: 'Administrator Read Only' }],
  policies: [
    { access: 'allow' as const, permissionGroups: ['Zone Read', 'DNS Write'], resourceGroups: ['Account example'] },
  ],
};

/** The seeded account, and dana: an administrator by role and policy, in Engineers and in a SCIM-managed group. */
export async function offboarding() {
  const fixture = await seeded();
  const { sim, account, engineers } = fixture;
  const dana = sim.addMember(fixture.account, 'dana@example.com', 'accepted', undefined, ADMIN_ACCESS);
  sim.group(account, engineers.id).memberIds.push(dana.id);
  const okta = sim.addGroup(account, 'Okta Admins', [dana.id], { scim: true });
  return { ...fixture, dana, okta };
}

/**
 * The seeded account with a team leaving together: ann, bob and cy over `count` more groups, each
 * of them in groups of their own and some groups holding two of them; `held(member)` says which
 * groups hold a member now.
 */
export async function team(count = 300, options: SimulatorOptions = {}) {
  const fixture = await seeded(options);
  const { sim, account, ann, engineers } = fixture;
  const bob = sim.addMember(account, 'bob@example.com');
  const cy = sim.addMember(account, 'cy@example.com');
  const groups = Array.from({ length: count }, (_, i) =>
    sim.addGroup(account, `Team ${i}`, [
      ...(i % 50 === 1 ? [ann.id] : []),
      ...(i % 40 === 2 || i % 150 === 1 ? [bob.id] : []),
      ...(i % 60 === 5 ? [cy.id] : []),
    ]),
  );
  const all = [engineers, fixture.billing, ...groups];
  const held = (member: { id: string }) =>
    all.filter((group) => sim.group(account, group.id).memberIds.includes(member.id)).map((group) => group.id);
  return { ...fixture, bob, cy, held, groupCount: all.length };
}

/**
 * Several accounts, named "Account 0", "Account 1"...: ann is a member of those at the indexes
 * `holding`, in two of each account's three groups; `visible` (by default every one) are those the
 * token sees. `base` names every account in account-id.
 */
export async function fleet(count = 3, holding = [0, 2], options: SimulatorOptions & { visible?: number[] } = {}) {
  const clock = fakeClock();
  const ids = Array.from({ length: count }, (_, i) => `${i}`.padStart(32, 'a'));
  const visible = options.visible?.map((i) => ids[i]!);
  const sim = new CloudflareSimulator({
    tokens: { [TOKEN]: { grants: ALL_GRANTS, ...(visible && { accounts: visible }) } },
    now: clock.now,
    ...options,
  });
  const accounts = ids.map((id, i) => {
    sim.addAccount(id, `Account ${i}`);
    const colleague = sim.addMember(id, `colleague${i}@example.com`);
    const ann = holding.includes(i) ? sim.addMember(id, 'ann@example.com') : undefined;
    const inGroups = ann ? [ann.id, colleague.id] : [colleague.id];
    const groups = ['Engineers', 'Billing', 'Support'].map((name, g) =>
      sim.addGroup(id, name, g < 2 ? inGroups : [colleague.id]),
    );
    return { id, ann, colleague, groups };
  });
  const baseUrl = await sim.start();
  running.push(sim);
  const base = { 'account-id': ids.join(','), 'api-token': TOKEN, 'api-base-url': baseUrl };
  const bundle = (inputs: Record<string, string>, runOptions?: RunOptions) =>
    runBundle({ ...base, ...inputs }, runOptions);
  const run = (inputs: Record<string, string>, runOptions?: InProcessOptions) =>
    runInProcess({ ...base, ...inputs }, { clock, ...runOptions });
  /** The restore action in this process, in one account (`account-id` given) of the fleet. */
  const restore = (inputs: Record<string, string>, runOptions?: InProcessOptions) =>
    runInProcess({ ...base, ...inputs }, { clock, ...runOptions, action: 'restore' });
  /** The groups of an account that hold ann now. */
  const held = (index: number) =>
    accounts[index]!.groups.filter(
      (g) => accounts[index]!.ann && sim.group(ids[index]!, g.id).memberIds.includes(accounts[index]!.ann.id),
    );
  return { sim, ids, accounts, base, bundle, run, restore, held, clock };
}

/** A GitHub API mock with these roles, and the environment that points the action at it. */
export async function github(roles: Record<string, string> = {}) {
  const mock = new GitHubMock();
  mock.roles = roles;
  const url = await mock.start();
  running.push(mock);
  return { mock, env: { GITHUB_API_URL: url, GITHUB_REPOSITORY: 'octo-org/offboarding' } };
}

/** Options for a run triggered by an issue event with this payload; the mock serves its issue as it is. */
export function issueEvent(
  name: 'issues' | 'issue_comment',
  payload: unknown,
  { mock, env }: { mock: GitHubMock; env: Record<string, string> },
): RunOptions {
  type Issue = {
    number: number;
    body: string | null;
    state: string;
    labels?: Array<{ name: string }>;
    user?: { login: string };
  };
  const issue = (payload as { issue?: Issue }).issue;
  if (issue) {
    const labels = (issue.labels ?? []).map((label) => label.name);
    // Written by its author and never edited, unless a test says otherwise.
    mock.issues.set(issue.number, { body: issue.body ?? '', state: issue.state, labels, author: issue.user?.login });
  }
  return { env, githubToken: GITHUB_TOKEN, event: { name, payload } };
}

export const json = (text: string | undefined) => JSON.parse(text ?? 'null');

export const deletes = (sim: CloudflareSimulator) => sim.requests.filter((r) => r.method === 'DELETE');

/** Everything a reader of the run can see: the log (but the mask commands), outputs, summary. */
export function visible(result: RunResult): string {
  return [
    result.stdout.replace(/^::add-mask::.*$/gm, ''),
    result.stderr,
    JSON.stringify(result.outputs),
    result.summary,
  ].join('\n');
}
