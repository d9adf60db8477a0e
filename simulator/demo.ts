// `npm run demo`: runs the bundled action as a runner would against the simulator and its sample
// account, then prints the requests, the log, the outputs and the job summary. No Cloudflare
// account needed. First the common case (one group, by member ID), then an offboarding sweep by
// email: a dry run, then the removal.
import { seedSample } from './sample.ts';
import { runAction } from './runner.ts';

const { simulator, values } = seedSample();
const baseUrl = await simulator.start();
const base = { 'account-id': values['account-id'], 'api-token': values['api-token'], 'api-base-url': baseUrl };

// Each run with the exit code it should end with: the sweep fails on purpose, on the group that
// is managed by SCIM, which Cloudflare refuses to change.
const runs: Array<[string, Record<string, string>, number]> = [
  [
    'One group, by member ID (the common case: one request)',
    { 'user-group-id': values['engineers-id'], 'member-id': values['joann-id'] },
    0,
  ],
  [
    'Offboarding sweep by email: dry run',
    { 'member-email': 'ann@example.com', 'all-groups': 'true', 'dry-run': 'true' },
    0,
  ],
  [
    'Offboarding sweep by email: removal (fails on the SCIM-managed group, on purpose)',
    { 'member-email': 'ann@example.com', 'all-groups': 'true' },
    1,
  ],
];

const indent = (text: string) => text.trimEnd().replace(/^/gm, '  ');
const surprises: string[] = [];
try {
  for (const [title, inputs, expected] of runs) {
    simulator.requests.length = 0;
    console.log(`\n=== ${title} ===\n\nInputs:`);
    for (const [name, value] of Object.entries({ ...base, ...inputs }))
      console.log(`  ${name}: ${name === 'api-token' ? '***' : value}`);
    const run = await runAction({ ...base, ...inputs });
    console.log(`\nRequests sent to the simulator:\n${indent(simulator.requestLines().join('\n'))}`);
    console.log(`\nLog (exit code ${run.exitCode}):\n${indent(run.stdout)}`);
    console.log('\nOutputs:');
    for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name}: ${value}`);
    console.log(`\nJob summary:\n${indent(run.summary)}`);
    if (run.exitCode !== expected) surprises.push(`${title}: exit code ${run.exitCode}, expected ${expected}`);
  }
} finally {
  await simulator.stop();
}
console.log(surprises.length === 0 ? '\nEvery run ended as expected.' : `\nUnexpected:\n  ${surprises.join('\n  ')}`);
process.exitCode = surprises.length === 0 ? 0 : 1;
