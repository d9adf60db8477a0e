// A seeded simulator for integration tests: one account, a token, a few members and groups.
import { afterEach } from 'vitest';
import { CloudflareSimulator, type SimulatorOptions } from '../simulator/cloudflare.ts';
import { runAction, type RunOptions } from '../simulator/runner.ts';

export const TOKEN = 'cfut_test-token-0123456789abcdef';
export const READ_TOKEN = 'cfut_read-only-token';

const running: CloudflareSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
});

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
