// `npm run bench`: the action's whole-process cost, as a runner runs it, against floors measured
// side by side, reported as ratios.
// 1. Cold start: one removal by member-id (dist/index.js) versus a bare Node process sending the
//    same DELETE with fetch (bench/floor.mjs); paired repetitions in alternating order.
// 2. Sweeps by email over every group (200 and 1000 groups, the member in 5, 40 ms of simulated
//    latency per request), at the default concurrency: wall time against the floor in round trips,
//    requests against the design's lower bound, and the official SDK doing the same sweep.
// 3. The concurrency curve behind the default.
// 4. A sweep larger than a small rate budget, with its count of 429s.
// 5. The size of dist/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CloudflareSimulator, type SimulatorOptions } from '../simulator/cloudflare.ts';
import { runAction, type RunResult } from '../simulator/runner.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 15);
const SWEEP_RUNS = Number(process.env.BENCH_SWEEP_RUNS ?? 5);
const SDK_RUNS = Number(process.env.BENCH_SDK_RUNS ?? 1);
const LATENCY_MS = 40;
const HOLDING = 5;
const TOKEN = 'bench-token';
const DEFAULT_CONCURRENCY = Number(
  (parse(readFileSync(`${root}action.yml`, 'utf8')) as { inputs: { concurrency: { default: string } } }).inputs
    .concurrency.default,
);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function coldStart() {
  const sim = new CloudflareSimulator({ tokens: { [TOKEN]: 'write' } });
  const account = sim.addAccount();
  const member = sim.addMember(account, 'ann@example.com');
  const group = sim.addGroup(account, 'Engineers', [member.id]);
  const baseUrl = await sim.start();
  const inputs = {
    'account-id': account,
    'user-group-id': group.id,
    'member-id': member.id,
    'api-token': TOKEN,
    'api-base-url': baseUrl,
  };
  const once = async (script: string) => {
    sim.group(account, group.id).memberIds = [member.id];
    const result = await runAction(inputs, { script });
    if (result.exitCode !== 0) throw new Error(`run failed:\n${result.stdout}${result.stderr}`);
    return result.durationMs;
  };
  const action = `${root}dist/index.js`;
  const floor = `${root}bench/floor.mjs`;
  await once(action);
  await once(floor); // warm the file cache for both
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < REPETITIONS; i++) {
    // Alternate which goes first, so drift on the machine hits both alike.
    if (i % 2 === 0) {
      const bare = await once(floor);
      pairs.push([await once(action), bare]);
    } else {
      const measured = await once(action);
      pairs.push([measured, await once(floor)]);
    }
  }
  await sim.stop();
  return {
    action: median(pairs.map(([a]) => a)),
    floor: median(pairs.map(([, f]) => f)),
    ratio: median(pairs.map(([a, f]) => a / f)),
  };
}

/** An account with `groups` groups, the member in HOLDING of them, on a simulator with latency. */
async function sweepAccount(groups: number, options: SimulatorOptions = {}) {
  const sim = new CloudflareSimulator({ tokens: { [TOKEN]: 'write' }, latencyMs: LATENCY_MS, ...options });
  const account = sim.addAccount();
  const member = sim.addMember(account, 'ann@example.com');
  for (let i = 0; i < 20; i++) sim.addMember(account, `colleague${i}@example.com`);
  const step = Math.floor(groups / HOLDING);
  const all = Array.from({ length: groups }, (_, i) =>
    sim.addGroup(account, `Team ${i}`, i % step === 3 ? [member.id] : []),
  );
  const reset = () => all.forEach((group, i) => (group.memberIds = i % step === 3 ? [member.id] : []));
  const baseUrl = await sim.start();
  const inputs = {
    'account-id': account,
    'all-groups': 'true',
    'member-email': 'ann@example.com',
    'api-token': TOKEN,
    'api-base-url': baseUrl,
  };
  return { sim, inputs, reset };
}

/** Runs one sweep `runs` times on a fresh account: the median wall time and the requests of one run. */
async function timeSweeps(groups: number, runs: number, once: (inputs: Record<string, string>) => Promise<RunResult>) {
  const { sim, inputs, reset } = await sweepAccount(groups);
  const times: number[] = [];
  let requests = 0;
  for (let i = 0; i < runs; i++) {
    reset();
    sim.requests.length = 0;
    const result = await once(inputs);
    if (result.exitCode !== 0) throw new Error(`sweep failed:\n${result.stdout}${result.stderr}`);
    times.push(result.durationMs);
    requests = sim.requests.length;
  }
  await sim.stop();
  return { wall: median(times), requests };
}

async function sweep(groups: number, concurrency = DEFAULT_CONCURRENCY, runs = SWEEP_RUNS) {
  const { wall, requests } = await timeSweeps(groups, runs, async (inputs) => {
    const result = await runAction({ ...inputs, concurrency: String(concurrency) });
    if (result.exitCode === 0 && JSON.parse(result.outputs['removed-groups']!).length !== HOLDING)
      throw new Error(`sweep removed the wrong groups:\n${result.stdout}`);
    return result;
  });
  // The design's lower bound: one page of account members, the pages of groups (500 each; a
  // last page that is exactly full needs one more, empty, page to be known as the last, since no
  // total in an answer is trusted), one lookup per group, one DELETE per group that holds the
  // member. The first round trip reads the account members and the first page of groups at once;
  // then lookups and DELETEs fill the slots, at most 200 requests per second.
  const groupPages = Math.floor(groups / 500) + 1;
  const lowerBound = 1 + groupPages + groups + HOLDING;
  const rounds = 1 + Math.ceil((lowerBound - 2) / concurrency);
  const floorMs = Math.max(rounds * LATENCY_MS, (lowerBound / 200) * 1000 + LATENCY_MS);
  return { wall, requests, lowerBound, rounds, floorMs };
}

function sdkSweep(groups: number, workers: number) {
  return timeSweeps(groups, SDK_RUNS, (inputs) =>
    runAction(inputs, { script: `${root}bench/sdk-sweep.ts`, env: { BENCH_WORKERS: String(workers) } }),
  );
}

async function overBudget() {
  const quota = 150;
  const { sim, inputs, reset } = await sweepAccount(250, { rateLimit: { quota, windowMs: 5_000, headers: 'ietf' } });
  reset();
  const result = await runAction(inputs);
  await sim.stop();
  if (result.exitCode !== 0) throw new Error(`budget sweep failed:\n${result.stdout}`);
  return {
    quota,
    requests: sim.requests.length,
    tooMany: sim.tooManyRequests,
    wall: result.durationMs,
    waits: (result.stdout.match(/Rate budget: /g) ?? []).length,
  };
}

const cold = await coldStart();
console.log(
  `Node ${process.version}; medians of ${REPETITIONS} paired cold starts, ${SWEEP_RUNS} action sweeps, ${SDK_RUNS} SDK sweeps; default concurrency ${DEFAULT_CONCURRENCY}\n`,
);
console.log('Cold start (one removal by member-id, @actions/core inside):');
console.log(`  action dist/index.js  ${cold.action.toFixed(0)} ms`);
console.log(`  floor (bare fetch)    ${cold.floor.toFixed(0)} ms`);
console.log(`  ratio                 ${cold.ratio.toFixed(2)}  (goal: at most 1.25)\n`);

for (const groups of [200, 1000]) {
  const action = await sweep(groups);
  const floor = action.floorMs + cold.action;
  const sequential = await sdkSweep(groups, 1);
  const parallel = await sdkSweep(groups, 4);
  console.log(`Sweep by email, all groups: ${groups} groups, member in ${HOLDING}, ${LATENCY_MS} ms per request:`);
  console.log(
    `  action                ${seconds(action.wall)}, ${action.requests} requests (lower bound ${action.lowerBound})${groups === 200 ? '  (goal: at most 1.2 s)' : ''}`,
  );
  console.log(
    `  floor                 ${seconds(floor)}: ${action.rounds} round trips at concurrency ${DEFAULT_CONCURRENCY}, or ${action.lowerBound} requests at 200 per second, whichever is longer, + the action's cold start; ratio ${(action.wall / floor).toFixed(2)}`,
  );
  console.log(
    `  official SDK, 1 at a time   ${seconds(sequential.wall)}, ${sequential.requests} requests; the action is ${(sequential.wall / action.wall).toFixed(1)}x faster`,
  );
  console.log(
    `  official SDK, 4 workers     ${seconds(parallel.wall)}, ${parallel.requests} requests; the action is ${(parallel.wall / action.wall).toFixed(1)}x faster\n`,
  );
}

console.log(`Concurrency curve (200 groups, ${LATENCY_MS} ms, median of 3): the default is chosen from it`);
for (const concurrency of [4, 6, 8, 10, 12, 16, 20]) {
  const result = await sweep(200, concurrency, 3);
  const perSecond = Math.round((result.requests / (result.wall - cold.action)) * 1000);
  console.log(
    `  concurrency ${String(concurrency).padStart(2)}        ${seconds(result.wall)}  (about ${perSecond} requests per second while sweeping)`,
  );
}

const budget = await overBudget();
console.log(
  `\nA sweep larger than the budget (250 groups, ${budget.quota} requests per 5 s window, announced by Ratelimit headers):`,
);
console.log(
  `  ${budget.requests} requests, ${budget.tooMany} answered 429, ${budget.waits} wait(s) for the window, ${seconds(budget.wall)}\n`,
);

console.log('dist/:');
const files = readdirSync(`${root}dist`).map((name) => ({ name, bytes: statSync(`${root}dist/${name}`).size }));
for (const file of files) console.log(`  ${file.name.padEnd(20)} ${(file.bytes / 1024).toFixed(1)} KiB`);
