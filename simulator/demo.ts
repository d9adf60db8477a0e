// `npm run demo`: runs the bundled action as a runner would against the simulator and its sample
// account, then prints the requests, the log, the outputs and the job summary. No Cloudflare
// account needed. First the plain removal (one person from one group, by email and group name, as
// the README's quick start does), then a complete offboarding of ann: every group, the API tokens
// she created, her Access sessions and her account membership, as a dry run and for real.
import { seedSample } from './sample.ts';
import { runAction } from './runner.ts';

const { simulator, values } = seedSample();
const baseUrl = await simulator.start();
const base = { 'account-id': values['account-id'], 'api-token': values['api-token'], 'api-base-url': baseUrl };
const complete = {
  'member-email': 'ann@example.com',
  'all-groups': 'true',
  'member-tokens': 'disable',
  'revoke-access-sessions': 'true',
  'remove-from-account': 'true',
};

// Each run with the exit code it should end with: the complete offboarding fails on purpose, on
// the group that is managed by SCIM, which Cloudflare refuses to change; everything else it ends.
const runs: Array<[string, Record<string, string>, number]> = [
  [
    'Plain removal: joann from the group Engineers, by email and group name',
    { 'member-email': 'joann@example.com', 'user-group-name': 'Engineers' },
    0,
  ],
  ['Complete offboarding of ann: dry run', { ...complete, 'dry-run': 'true' }, 0],
  [
    'Complete offboarding of ann: groups, API tokens, Access sessions, account membership (fails on the SCIM-managed group, on purpose)',
    complete,
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
