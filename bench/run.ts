// `npm run bench`: the action's whole-process cost against the floor, measured side by side.
// 1. Cold start: one removal by member-id, dist/index.js run as a runner runs it, versus a bare
//    Node process sending the same DELETE with fetch (bench/floor.mjs); paired repetitions in
//    alternating order, reported as the median of the paired ratios.
// 2. Sweep: all-groups by email over 200 groups, the member in 5, 40 ms of simulated latency per
//    request: wall time and requests, next to the lower bound of requests.
// 3. The size of dist/.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CloudflareSimulator } from '../simulator/cloudflare.ts';
import { runAction } from '../simulator/runner.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 15);
const SWEEP_RUNS = Number(process.env.BENCH_SWEEP_RUNS ?? 5);
const TOKEN = 'bench-token';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function coldStart() {
  const sim = new CloudflareSimulator({ tokens: { [TOKEN]: 'write' } });
  const account = sim.addAccount();
  const member = sim.addMember(account, 'ann@example.com');
  const group = sim.addGroup(account, 'Engineers', [member.id]);
  const baseUrl = await sim.start();
  const inputs = { 'account-id': account, 'user-group-id': group.id, 'member-id': member.id, 'api-token': TOKEN, 'api-base-url': baseUrl };
  const once = async (script?: string) => {
    sim.group(account, group.id).memberIds = [member.id];
    const result = await runAction(inputs, script ? { script } : {});
    if (result.exitCode !== 0) throw new Error(`run failed:\n${result.stdout}${result.stderr}`);
    return result.durationMs;
  };
  const floor = `${root}bench/floor.mjs`;
  await once();
  await once(floor); // warm the file cache for both
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < REPETITIONS; i++) {
    // Alternate which goes first, so drift on the machine hits both alike.
    if (i % 2 === 0) {
      const bare = await once(floor);
      pairs.push([await once(), bare]);
    } else {
      const action = await once();
      pairs.push([action, await once(floor)]);
    }
  }
  await sim.stop();
  return {
    action: median(pairs.map(([a]) => a)),
    floor: median(pairs.map(([, f]) => f)),
    ratio: median(pairs.map(([a, f]) => a / f)),
  };
}

async function sweep() {
  const sim = new CloudflareSimulator({ tokens: { [TOKEN]: 'write' }, latencyMs: 40 });
  const account = sim.addAccount();
  const member = sim.addMember(account, 'ann@example.com');
  const holding = new Set([3, 41, 97, 150, 199]);
  const groups = Array.from({ length: 200 }, (_, i) => sim.addGroup(account, `Team ${i}`, holding.has(i) ? [member.id] : []));
  const baseUrl = await sim.start();
  const inputs = { 'account-id': account, 'all-groups': 'true', 'member-email': 'ann@example.com', 'api-token': TOKEN, 'api-base-url': baseUrl };
  const times: number[] = [];
  let requests = 0;
  for (let i = 0; i < SWEEP_RUNS; i++) {
    for (const [index, group] of groups.entries()) group.memberIds = holding.has(index) ? [member.id] : [];
    sim.requests.length = 0;
    const result = await runAction(inputs);
    if (result.exitCode !== 0 || JSON.parse(result.outputs['removed-groups']!).length !== holding.size) throw new Error(`sweep failed:\n${result.stdout}`);
    times.push(result.durationMs);
    requests = sim.requests.length;
  }
  await sim.stop();
  const lowerBound = Math.ceil(200 / 50) + 200 + holding.size;
  return { wall: median(times), requests, lowerBound };
}

function distSize() {
  const dir = `${root}dist`;
  return readdirSync(dir).map((name) => ({ name, bytes: statSync(`${dir}/${name}`).size }));
}

const cold = await coldStart();
const swept = await sweep();
const files = distSize();

console.log(`Node ${process.version}, ${REPETITIONS} paired cold-start repetitions, ${SWEEP_RUNS} sweeps (medians)\n`);
console.log('Cold start (one removal by member-id):');
console.log(`  action dist/index.js  ${cold.action.toFixed(0)} ms`);
console.log(`  floor (bare fetch)    ${cold.floor.toFixed(0)} ms`);
console.log(`  ratio                 ${cold.ratio.toFixed(2)}  (goal: at most 1.25)\n`);
console.log('Sweep (all-groups by email, 200 groups, member in 5, 40 ms per request, default concurrency):');
console.log(`  wall time             ${(swept.wall / 1000).toFixed(2)} s  (goal: at most 2.5 s)`);
console.log(`  requests              ${swept.requests}  (lower bound: ${swept.lowerBound} = 4 pages + 200 lookups + 5 DELETEs)`);
const rounds = Math.ceil(swept.lowerBound / 4);
console.log(`  latency floor         ${((rounds * 40) / 1000).toFixed(2)} s  (${rounds} rounds of 4 requests x 40 ms) + start-up ${(cold.action / 1000).toFixed(2)} s\n`);
console.log('dist/:');
for (const file of files) console.log(`  ${file.name.padEnd(20)} ${(file.bytes / 1024).toFixed(1)} KiB`);
console.log(`  total                ${(files.reduce((sum, f) => sum + f.bytes, 0) / 1024).toFixed(1)} KiB`);
