// Scenarios for the integration tests: a seeded simulator, the bundled action run as the runner
// runs it, and issue-triggered runs with a GitHub API mock. Tests say what happens, not how.
import { afterEach } from 'vitest';
import { CloudflareSimulator, type SimulatorOptions } from '../../simulator/cloudflare.ts';
import { GitHubMock } from '../../simulator/github.ts';
import { runAction, type RunOptions, type RunResult } from '../../simulator/runner.ts';

export const TOKEN = 'cfut_test-token-0123456789abcdef';
export const READ_TOKEN = 'cfut_read-only-token-fedcba9876543210';
export const GITHUB_TOKEN = 'ghs_mock-token';

// The global setup bundles the sources under test; a run of the committed dist/ would test nothing new.
if (!process.env.ACTION_BUNDLE) throw new Error('ACTION_BUNDLE is not set: run the tests through vitest, whose global setup bundles src/.');

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

/** One account, a write and a read token, ann and joann, and two groups: Engineers (both) and Billing (joann). */
export async function seeded(options: SimulatorOptions = {}) {
  const sim = new CloudflareSimulator({ tokens: { [TOKEN]: 'write', [READ_TOKEN]: 'read' }, ...options });
  const account = sim.addAccount();
  const ann = sim.addMember(account, 'ann@example.com');
  const joann = sim.addMember(account, 'joann@example.com', 'pending');
  const engineers = sim.addGroup(account, 'Engineers', [ann.id, joann.id]);
  const billing = sim.addGroup(account, 'Billing', [joann.id]);
  const baseUrl = await sim.start();
  running.push(sim);
  const base = { 'account-id': account, 'api-token': TOKEN, 'api-base-url': baseUrl };
  const run = (inputs: Record<string, string>, runOptions?: RunOptions) => runAction({ ...base, ...inputs }, runOptions);
  return { sim, account, ann, joann, engineers, billing, baseUrl, base, run };
}

/** A GitHub API mock with these roles, and the environment that points the action at it. */
export async function github(roles: Record<string, string> = {}) {
  const mock = new GitHubMock();
  mock.roles = roles;
  const url = await mock.start();
  running.push(mock);
  return { mock, env: { GITHUB_API_URL: url, GITHUB_REPOSITORY: 'octo-org/offboarding' } };
}

/** Options for a run triggered by an issue event with this payload. */
export function issueEvent(name: 'issues' | 'issue_comment', payload: unknown, env: Record<string, string>): RunOptions {
  return { env, githubToken: GITHUB_TOKEN, event: { name, payload } };
}

export const json = (text: string | undefined) => JSON.parse(text ?? 'null');

export const deletes = (sim: CloudflareSimulator) => sim.requests.filter((r) => r.method === 'DELETE');

/** Everything a reader of the run can see: the log (but the mask commands), outputs, summary. */
export function visible(result: RunResult): string {
  return [result.stdout.replace(/^::add-mask::.*$/gm, ''), result.stderr, JSON.stringify(result.outputs), result.summary].join('\n');
}
