// `npm run demo`: runs the bundled action as a runner would against the simulator, seeded with
// a sample account, then prints the outputs and the job summary. No Cloudflare account needed.
import { CloudflareSimulator } from './cloudflare.ts';
import { runAction } from './runner.ts';

const token = 'demo-token-with-account-settings-write';
const simulator = new CloudflareSimulator({ tokens: { [token]: 'write' } });
const account = simulator.addAccount();
const ann = simulator.addMember(account, 'ann@example.com');
const joann = simulator.addMember(account, 'joann@example.com');
const engineers = simulator.addGroup(account, 'Engineers', [ann.id, joann.id]);
simulator.addGroup(account, 'Billing', [joann.id]);
const baseUrl = await simulator.start();

try {
  const inputs = { 'account-id': account, 'user-group-id': engineers.id, 'member-id': ann.id, 'api-token': token, 'api-base-url': baseUrl };
  console.log('Inputs:');
  for (const [name, value] of Object.entries(inputs)) console.log(`  ${name}: ${name === 'api-token' ? '***' : value}`);
  const run = await runAction(inputs);
  console.log(`\nRequests sent to the simulator:\n  ${simulator.requestLines().join('\n  ')}`);
  console.log(`\nLog (exit code ${run.exitCode}):\n${run.stdout.trimEnd().replace(/^/gm, '  ')}`);
  console.log('\nOutputs:');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name}: ${value}`);
  console.log(`\nJob summary:\n${run.summary.trimEnd().replace(/^/gm, '  ')}`);
  process.exitCode = run.exitCode;
} finally {
  await simulator.stop();
}
