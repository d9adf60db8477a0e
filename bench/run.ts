// `npm run bench`: the action as a runner runs it (dist/index.js, a process per run) against floors,
// every figure as min/median/max of several runs.
// 1. Cold start: one removal by member-id, the action against a bare Node process sending the
//    same DELETE with fetch (bench/floor.mjs), in pairs run in alternating order.
// 2. Sweeps by email over every group (the member in 5 of them) at each simulated latency: the
//    action's wall time and requests against the design's lower bound and against the floor.
// 3. Per sweep, the most requests that reached the simulator within any one second.
// 4. The official SDK (npm `cloudflare`, bench/sdk-sweep.ts) doing the same sweeps.
// 5. A complete offboarding (tokens, sessions, the account membership) against its lower bound.
// 6. Ten members over 1000 groups in one run, against one member's sweep and ten single runs.
// 7. A fleet: every account the token sees (all-accounts), 200 groups each, the person in 3 of
//    them, against its lower bound, the cap per second and the floor.
// 8. The rate budget of a real five-minute window, on a simulated clock shared with the simulator.
// 9. The size of each file in dist/.
// Knobs (environment): BENCH_PAIRS, BENCH_SWEEP_RUNS, BENCH_SDK_RUNS, BENCH_GROUPS (empty: no
// sweeps, no complete offboarding, no several members), BENCH_LATENCIES, BENCH_BUDGET_GROUPS,
// BENCH_PER_SECOND_LIMIT (0: none), BENCH_PEOPLE, BENCH_FLEET (accounts in the fleet; 0: no fleet).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ALL_GRANTS } from '../simulator/access.ts';
import { CloudflareSimulator, type SimulatorOptions } from '../simulator/cloudflare.ts';
import { runAction, type RunResult } from '../simulator/runner.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const ACTION = `${root}dist/index.js`;
const FLOOR = `${root}bench/floor.mjs`;
const SDK = `${root}bench/sdk-sweep.ts`;
const TOKEN = 'bench-token';
const EMAIL = 'ann@example.com';
/** Groups that hold the member in every sweep. */
const HOLDING = 5;
/** Others in the account: the members still fit one page of 50. */
const COLLEAGUES = 20;

/** A list of numbers from the environment, comma-separated; empty: none. */
const numbers = (name: string, fallback: string) =>
  (process.env[name] ?? fallback)
    .split(',')
    .filter((item) => item.trim() !== '')
    .map(Number);
const PAIRS = numbers('BENCH_PAIRS', '21')[0]!;
const SWEEP_RUNS = numbers('BENCH_SWEEP_RUNS', '5')[0]!;
const SDK_RUNS = numbers('BENCH_SDK_RUNS', '3')[0]!;
const GROUPS = numbers('BENCH_GROUPS', '200,1000');
const LATENCIES = numbers('BENCH_LATENCIES', '40,150');
const BUDGET_GROUPS = numbers('BENCH_BUDGET_GROUPS', '1000,2000');
/** People leaving together in the several-members run. */
const PEOPLE = numbers('BENCH_PEOPLE', '10')[0]!;
/** Cloudflare's allowance per IP address, enforced by the simulator in the sweeps (0: none). */
const PER_SECOND_LIMIT = numbers('BENCH_PER_SECOND_LIMIT', '200')[0]!;
/** Accounts the fleet's token sees (0: no fleet); groups in each; accounts that hold the person. */
const FLEET = numbers('BENCH_FLEET', '20')[0]!;
const FLEET_GROUPS = 200;
const FLEET_HOLDERS = 3;
/** Accounts beside the fleet that hold the person but that the token does not see. */
const FLEET_UNSEEN = 2;
/** GET /accounts pages: at most 50 accounts each. */
const ACCOUNTS_PER_PAGE = 50;

/** The floor's pacing: at most this many requests started in any second, this many in flight. */
const CAP_PER_SECOND = 150;
const FLOOR_CONCURRENCY = 50;
/** The goal for a sweep: wall time at most this times the floor. */
const SWEEP_GOAL = 1.1;
/** The goal for a cold start: at most this times the bare-fetch process. */
const COLD_GOAL = 1.1;
/** The budget Cloudflare gives a user: requests per window. */
const BUDGET = { quota: 1200, windowMs: 300_000 };

const DEFAULT_CONCURRENCY = Number(
  (parse(readFileSync(`${root}action.yml`, 'utf8')) as { inputs: { concurrency: { default: string } } }).inputs
    .concurrency.default,
);
const SDK_WORKERS = [...new Set([DEFAULT_CONCURRENCY, 4, 1])];

// ---- figures -----------------------------------------------------------------------------------

function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

const median = (values: number[]) => quantiles(values).median;

/** "min 1.02 · median 1.10 · max 1.31 s": `scale` divides, `digits` rounds, `unit` follows. */
function spread(values: number[], unit = '', scale = 1, digits = 2): string {
  if (values.length === 0) return 'no figure';
  const { min, median, max } = quantiles(values);
  const show = (value: number) => (value / scale).toFixed(digits);
  return `min ${show(min)} · median ${show(median)} · max ${show(max)}${unit}`;
}

const seconds = (values: number[]) => spread(values, ' s', 1000);
const ms = (value: number) => `${value.toFixed(0)} ms`;
const s = (value: number) => `${(value / 1000).toFixed(2)} s`;
/** A count that may differ from run to run: one figure, or its range. */
function counts(values: number[]): string {
  const { min, max } = quantiles(values);
  return min === max ? String(min) : `${min} to ${max}`;
}

/** The most arrival times that fall within any one second, [t, t + 1000 ms). */
function mostInOneSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

// ---- bounds ------------------------------------------------------------------------------------

/**
 * The fewest requests a sweep can make: one page of account members (at most 50 members), the
 * pages of groups (500 each; a last page that is exactly full needs one more, empty, page to be
 * known as the last), one lookup per group, one DELETE per group that holds the member.
 */
function lowerBound(groups: number) {
  const groupPages = Math.floor(groups / 500) + 1;
  return { total: 1 + groupPages + groups + HOLDING, groupPages };
}

/**
 * The fewest requests a run over a fleet can make: the pages of GET /accounts (a last page that is
 * exactly full needs one more, empty, page), one page of members per account, and a sweep of each
 * account that holds the person (its group pages, one lookup per group, one DELETE per group that
 * holds them).
 */
function fleetBound(accounts: number, groups: number, holders: number) {
  const accountPages = Math.floor(accounts / ACCOUNTS_PER_PAGE) + 1;
  const { groupPages } = lowerBound(groups);
  const sweep = groupPages + groups + HOLDING;
  return { total: accountPages + accounts + holders * sweep, accountPages, groupPages, sweep };
}

/**
 * The floor of a sweep: the bare-fetch cold start, then the longer of what the cap allows, as a
 * steady rate, and the round trips at the floor's concurrency (the first carries the account
 * members and the first page of groups, then the rest follow in rounds).
 */
function floorMs(requests: number, latencyMs: number, coldFloorMs: number) {
  const capMs = (requests / CAP_PER_SECOND) * 1000;
  const rounds = 1 + Math.ceil((requests - 2) / FLOOR_CONCURRENCY);
  return { total: coldFloorMs + Math.max(capMs, rounds * latencyMs), capMs, rounds };
}

/**
 * The same requests on a schedule that keeps to the cap and the concurrency at once: each starts
 * as soon as its slot is free, the one CAP_PER_SECOND before it is a second old, and (after the
 * first two) the first round trip is back. The cap's allowance may go out at the start of a second,
 * so this can be below floorMs, or above it where the two limits together cost more than either alone.
 */
function scheduleMs(requests: number, latencyMs: number, coldFloorMs: number): number {
  const starts: number[] = [];
  for (let i = 0; i < requests; i++) {
    const ready = i < 2 ? 0 : latencyMs;
    const slot = i >= FLOOR_CONCURRENCY ? starts[i - FLOOR_CONCURRENCY]! + latencyMs : 0;
    const cap = i >= CAP_PER_SECOND ? starts[i - CAP_PER_SECOND]! + 1000 : 0;
    starts.push(Math.max(ready, slot, cap));
  }
  return coldFloorMs + starts.at(-1)! + latencyMs;
}

// ---- accounts ----------------------------------------------------------------------------------

/** A simulator holding one account: the member, colleagues, `groups` groups of which HOLDING hold the member. */
async function sweepAccount(groups: number, options: SimulatorOptions) {
  const sim = new CloudflareSimulator({ tokens: { [TOKEN]: 'write' }, ...options });
  const account = sim.addAccount();
  const member = sim.addMember(account, EMAIL);
  for (let i = 0; i < COLLEAGUES; i++) sim.addMember(account, `colleague${i}@example.com`);
  const step = Math.floor(groups / HOLDING);
  const all = Array.from({ length: groups }, (_, i) =>
    sim.addGroup(account, `Team ${i}`, i % step === 3 ? [member.id] : []),
  );
  const baseUrl = await sim.start();
  const inputs = { 'account-id': account, 'all-groups': 'true', 'member-email': EMAIL, 'api-token': TOKEN };
  return {
    sim,
    inputs: { ...inputs, 'api-base-url': baseUrl },
    /** Groups that still hold the member. */
    left: () => all.filter((group) => group.memberIds.includes(member.id)).length,
  };
}

/** A simulator holding `people` members leaving together over `groups` groups, each in HOLDING of them. */
async function teamAccount(groups: number, people: number, options: SimulatorOptions) {
  const sim = new CloudflareSimulator({ tokens: { [TOKEN]: 'write' }, ...options });
  const account = sim.addAccount();
  const members = Array.from({ length: people }, (_, i) => sim.addMember(account, `leaver${i}@example.com`));
  for (let i = 0; i < COLLEAGUES; i++) sim.addMember(account, `colleague${i}@example.com`);
  const step = Math.floor(groups / HOLDING);
  const all = Array.from({ length: groups }, (_, i) =>
    sim.addGroup(
      account,
      `Team ${i}`,
      members.filter((_, m) => i % step === (3 + m) % step).map((member) => member.id),
    ),
  );
  const baseUrl = await sim.start();
  const emails = members.map((member) => sim.accounts.get(account)!.members.get(member.id)!.email).join('\n');
  return {
    sim,
    inputs: {
      'account-id': account,
      'all-groups': 'true',
      'member-email': emails,
      'api-token': TOKEN,
      'api-base-url': baseUrl,
    },
    memberships: members.length * HOLDING,
    left: () => all.reduce((sum, group) => sum + members.filter((m) => group.memberIds.includes(m.id)).length, 0),
  };
}

/**
 * A fleet: `accounts` accounts that a user's token sees, each with colleagues and FLEET_GROUPS
 * groups; FLEET_HOLDERS of them, spread over the fleet, hold the member in HOLDING groups. Beside
 * it, FLEET_UNSEEN accounts hold the member too, but the token does not see them (GET /accounts
 * leaves them out, anything else there answers 403): the run must neither list nor touch them.
 */
async function fleetAccounts(accounts: number, options: SimulatorOptions) {
  const seen: string[] = [];
  const sim = new CloudflareSimulator({
    tokens: { [TOKEN]: { grants: [...ALL_GRANTS], owner: 'user', accounts: seen } },
    ...options,
  });
  const holders = new Set(
    Array.from({ length: FLEET_HOLDERS }, (_, i) => Math.floor(((2 * i + 1) * accounts) / (2 * FLEET_HOLDERS))),
  );
  const held: Array<{ unseen: boolean; groups: () => number }> = [];
  const unseenIds: string[] = [];
  for (let a = 0; a < accounts + FLEET_UNSEEN; a++) {
    const unseen = a >= accounts;
    const account = sim.addAccount(undefined, unseen ? `Unseen ${a - accounts}` : `Business unit ${a}`);
    (unseen ? unseenIds : seen).push(account);
    for (let i = 0; i < COLLEAGUES; i++) sim.addMember(account, `colleague${i}@example.com`);
    const member = unseen || holders.has(a) ? sim.addMember(account, EMAIL) : undefined;
    const count = unseen ? HOLDING : FLEET_GROUPS;
    const step = Math.floor(count / HOLDING);
    const groups = Array.from({ length: count }, (_, i) =>
      sim.addGroup(account, `Team ${i}`, member && i % step === Math.min(3, step - 1) ? [member.id] : []),
    );
    if (member)
      held.push({ unseen, groups: () => groups.filter((group) => group.memberIds.includes(member.id)).length });
  }
  const baseUrl = await sim.start();
  const left = (unseen: boolean) =>
    held.filter((account) => account.unseen === unseen).reduce((sum, account) => sum + account.groups(), 0);
  return {
    sim,
    inputs: {
      'all-accounts': 'true',
      'all-groups': 'true',
      'member-email': EMAIL,
      'api-token': TOKEN,
      'api-base-url': baseUrl,
    },
    holders: holders.size,
    /** Groups that still hold the member in the fleet's accounts. */
    left: () => left(false),
    /** Groups that hold the member in the accounts the token does not see: all of them, always. */
    unseenLeft: () => left(true),
    unseenIds,
  };
}

/** Cloudflare's allowance per IP address as the simulator enforces it: any one second, unannounced. */
function perSecondLimit(): SimulatorOptions['perSecond'] {
  return PER_SECOND_LIMIT > 0 ? PER_SECOND_LIMIT : undefined;
}

// ---- measurements ------------------------------------------------------------------------------

/** One removal by member-id, the action and the floor in pairs, alternating which goes first. */
async function coldStart() {
  const sim = new CloudflareSimulator({ tokens: { [TOKEN]: 'write' } });
  const account = sim.addAccount();
  const member = sim.addMember(account, EMAIL);
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
    if (result.exitCode !== 0 || sim.group(account, group.id).memberIds.length !== 0)
      throw new Error(`cold start of ${script} failed:\n${result.stdout}${result.stderr}`);
    return result.durationMs;
  };
  await once(ACTION); // both read from the file cache from here on
  await once(FLOOR);
  const action: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      floor.push(await once(FLOOR));
      action.push(await once(ACTION));
    } else {
      action.push(await once(ACTION));
      floor.push(await once(FLOOR));
    }
  }
  await sim.stop();
  return { action, floor, ratios: action.map((a, i) => a / floor[i]!) };
}

interface SweepRuns {
  walls: number[];
  requests: number[];
  tooMany: number[];
  mostInOneSecond: number[];
  failures: string[];
}

/** Runs a sweep `runs` times, each on a fresh simulator; a run fails unless it exits 0 with the member in no group. */
async function sweepRuns(
  groups: number,
  latencyMs: number,
  runs: number,
  once: (inputs: Record<string, string>) => Promise<RunResult>,
): Promise<SweepRuns> {
  const figures: SweepRuns = { walls: [], requests: [], tooMany: [], mostInOneSecond: [], failures: [] };
  for (let i = 0; i < runs; i++) {
    const { sim, inputs, left } = await sweepAccount(groups, { latencyMs, perSecond: perSecondLimit() });
    const result = await once(inputs);
    await sim.stop();
    figures.requests.push(sim.requests.length);
    figures.tooMany.push(sim.tooManyRequests);
    figures.mostInOneSecond.push(mostInOneSecond(sim.requests.map((request) => request.at)));
    if (result.exitCode === 0 && left() === 0) figures.walls.push(result.durationMs);
    else figures.failures.push(failure(result, left()));
  }
  return figures;
}

function failure(result: RunResult, left: number): string {
  const said = [...result.errors, ...result.stderr.split('\n').filter((line) => /error/i.test(line))];
  return `exit code ${result.exitCode}, the member still in ${left} group(s)${said[0] ? `: ${said[0].slice(0, 160)}` : ''}`;
}

function actionSweep(groups: number, latencyMs: number) {
  return sweepRuns(groups, latencyMs, SWEEP_RUNS, (inputs) => runAction(inputs, { script: ACTION }));
}

function sdkSweep(groups: number, latencyMs: number, workers: number) {
  return sweepRuns(groups, latencyMs, SDK_RUNS, (inputs) =>
    runAction(inputs, { script: SDK, env: { BENCH_WORKERS: String(workers) } }),
  );
}

/**
 * A sweep against the budget of a real window, announced by IETF Ratelimit headers: the action's
 * sources in this process on a simulated clock that the simulator shares, so the window's wait
 * costs no real time. Pauses are gaps of more than a second between two requests reaching the
 * simulator, time no pacing to a number per second accounts for.
 */
async function budgetSweep(groups: number) {
  const { runInProcess, fakeClock } = await actionSources();
  const clock = fakeClock();
  const start = clock.now();
  const rateLimit = { ...BUDGET, headers: 'ietf' as const };
  const { sim, inputs, left } = await sweepAccount(groups, { now: clock.now, rateLimit });
  const result = await runInProcess(inputs, { clock });
  await sim.stop();
  const times = sim.requests.map((request) => request.at);
  const pauses = times
    .slice(1)
    .map((at, i) => at - times[i]!)
    .filter((gap) => gap > 1000);
  return {
    requests: sim.requests.length,
    tooMany: sim.tooManyRequests,
    pauses,
    simulatedMs: clock.now() - start,
    wallMs: result.durationMs,
    failure: result.exitCode === 0 && left() === 0 ? undefined : failure(result, left()),
  };
}

/**
 * The test helpers that run the action's sources in this process. The sources import each other
 * as `./name.js`, the name tsc gives the emitted file; Node runs the TypeScript file only when
 * asked for `./name.ts`, so a relative `.js` that is not there resolves to its `.ts`.
 */
let hooked = false;
async function actionSources() {
  if (!hooked) {
    registerHooks({
      resolve(specifier, context, nextResolve) {
        try {
          return nextResolve(specifier, context);
        } catch (error) {
          if (!/^\.\.?\/.*\.js$/.test(specifier)) throw error;
          return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
        }
      },
    });
    hooked = true;
  }
  const [{ runInProcess }, { fakeClock }] = await Promise.all([
    import('../__tests__/helpers/in-process.ts'),
    import('../__tests__/helpers/clock.ts'),
  ]);
  return { runInProcess, fakeClock };
}

function distSizes() {
  return readdirSync(`${root}dist`)
    .sort()
    .map((name) => ({ name, bytes: statSync(`${root}dist/${name}`).size }));
}

// ---- report ------------------------------------------------------------------------------------

const LABEL = 26;
/** One line of a section: a label in its column, or the column left blank. */
const line = (label: string, text: string) => console.log(`  ${label.padEnd(LABEL)} ${text}`);
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function reportColdStart(cold: Awaited<ReturnType<typeof coldStart>>) {
  const ratio = median(cold.ratios);
  console.log(`Cold start: one removal by member-id, ${PAIRS} pairs run in alternating order`);
  line('action dist/index.js', spread(cold.action, ' ms', 1, 0));
  line('floor, bare fetch', spread(cold.floor, ' ms', 1, 0));
  line(
    'ratio, pair by pair',
    `${spread(cold.ratios)}: goal at most ${COLD_GOAL}, ${ratio <= COLD_GOAL ? 'met' : 'missed'}`,
  );
  line('', cold.ratios.map((r) => r.toFixed(2)).join(' '));
  console.log();
}

function reportRuns(label: string, runs: SweepRuns, tried: number) {
  line(label, `${seconds(runs.walls)} (${plural(runs.walls.length, 'run')})`);
  line(
    '',
    `${counts(runs.requests)} requests, ${counts(runs.tooMany)} answered 429, at most ${Math.max(...runs.mostInOneSecond)} started in any one second at the simulator`,
  );
  if (runs.failures.length > 0)
    line('', `${runs.failures.length} of ${tried} runs failed; the first: ${runs.failures[0]}`);
}

/** The action's time against the floor, judged only when it kept to the cap the floor keeps to. */
function reportAgainstFloor(action: SweepRuns, lowerBound: number, floorTotalMs: number, scheduleMs: number) {
  const peak = Math.max(...action.mostInOneSecond);
  line('', `requests over the lower bound: ${counts(action.requests.map((requests) => requests - lowerBound))}`);
  if (action.walls.length === 0) return;
  const ratios = action.walls.map((wall) => wall / floorTotalMs);
  const verdict =
    peak > CAP_PER_SECOND
      ? `not comparable: the action started up to ${peak} in one second, over the cap of ${CAP_PER_SECOND} the floor keeps to`
      : median(ratios) <= SWEEP_GOAL
        ? 'met'
        : 'missed';
  line('', `ratio to the floor ${spread(ratios)}: goal at most ${SWEEP_GOAL}, ${verdict}`);
  line('', `ratio to the schedule ${spread(action.walls.map((wall) => wall / scheduleMs))}`);
}

async function reportSweep(groups: number, latencyMs: number, coldFloorMs: number) {
  const bound = lowerBound(groups);
  const floor = floorMs(bound.total, latencyMs, coldFloorMs);
  const schedule = scheduleMs(bound.total, latencyMs, coldFloorMs);
  const limit =
    PER_SECOND_LIMIT > 0
      ? `refuses a request when ${PER_SECOND_LIMIT} arrived in the second before it`
      : 'enforces no limit';
  console.log(
    `Sweep by email, all groups: ${groups} groups, the member in ${HOLDING}, ${latencyMs} ms per request; the simulator ${limit}`,
  );
  line(
    'lower bound',
    `${bound.total} requests: 1 account-members page, ${plural(bound.groupPages, 'group page')}, ${groups} lookups, ${HOLDING} DELETEs`,
  );
  line(
    'floor',
    `${s(floor.total)}: the bare-fetch cold start ${ms(coldFloorMs)} + the longer of ${bound.total} requests at ${CAP_PER_SECOND} a second (${s(floor.capMs)}) and ${floor.rounds} round trips at concurrency ${FLOOR_CONCURRENCY} (${s(floor.rounds * latencyMs)})`,
  );
  line(
    '',
    `a schedule keeping to both at once, each second's ${CAP_PER_SECOND} sent as soon as slots free: ${s(schedule)} with the cold start`,
  );

  const action = await actionSweep(groups, latencyMs);
  reportRuns(`action, concurrency ${DEFAULT_CONCURRENCY}`, action, SWEEP_RUNS);
  reportAgainstFloor(action, bound.total, floor.total, schedule);

  for (const workers of SDK_WORKERS) {
    const sdk = await sdkSweep(groups, latencyMs, workers);
    reportRuns(workers === 1 ? 'official SDK, 1 at a time' : `official SDK, ${workers} workers`, sdk, SDK_RUNS);
    if (sdk.walls.length > 0 && action.walls.length > 0)
      line('', `its median over the action's: ${(median(sdk.walls) / median(action.walls)).toFixed(2)}`);
  }
  console.log();
}

/**
 * Ten people over 1000 groups in one run, against one person's sweep of the same account (the
 * lower bound plus one DELETE per extra membership) and against ten single runs.
 */
async function reportSeveral(groups: number, people: number, latencyMs: number) {
  console.log(
    `Several members: ${people} people over ${groups} groups, each in ${HOLDING}, ${latencyMs} ms per request, one run`,
  );
  const one = await actionSweep(groups, latencyMs);
  const walls: number[] = [];
  const requests: number[] = [];
  const failures: string[] = [];
  let peak = 0;
  for (let i = 0; i < SWEEP_RUNS; i++) {
    const { sim, inputs, left, memberships } = await teamAccount(groups, people, {
      latencyMs,
      perSecond: perSecondLimit(),
    });
    const result = await runAction(inputs, { script: ACTION });
    await sim.stop();
    requests.push(sim.requests.length);
    peak = Math.max(peak, mostInOneSecond(sim.requests.map((request) => request.at)));
    if (result.exitCode === 0 && left() === 0) walls.push(result.durationMs);
    else failures.push(`${failure(result, left())} of ${memberships} memberships`);
  }
  const bound = lowerBound(groups).total + (people - 1) * HOLDING;
  line(`one run, ${people} members`, `${seconds(walls)} (${plural(walls.length, 'run')})`);
  line(
    '',
    `${counts(requests)} requests (one member's lower bound plus ${(people - 1) * HOLDING} DELETEs: ${bound}), at most ${peak} started in any one second`,
  );
  if (failures.length > 0) line('', `${failures.length} of ${SWEEP_RUNS} runs failed; the first: ${failures[0]}`);
  if (one.walls.length > 0 && walls.length > 0) {
    const ratio = median(walls) / median(one.walls);
    line("one member's sweep", `${seconds(one.walls)}, ${counts(one.requests)} requests`);
    line(
      '',
      `time over one member's: ${ratio.toFixed(2)}: goal at most 1.2, ${ratio <= 1.2 ? 'met' : 'missed'}; requests over the bound: ${counts(requests.map((r) => r - bound))}`,
    );
    line(
      `${people} single runs`,
      `${people * median(one.requests)} requests and about ${s(people * median(one.walls))} in sequence (${people} times one member's sweep; not run)`,
    );
  }
  console.log();
}

/**
 * A complete offboarding (every group, tokens disabled, Access sessions revoked, the account
 * membership ended) against its lower bound: the sweep, the token list, the run's own token, a
 * read, a write and a confirming read per token, one revocation, one account DELETE.
 */
async function reportOffboarding(groups: number, latencyMs: number) {
  const { sim, inputs, left } = await sweepAccount(groups, { latencyMs, perSecond: perSecondLimit() });
  const account = inputs['account-id'];
  const email = EMAIL;
  const tokens = 3;
  for (let i = 0; i < tokens; i++) sim.addToken(account, { name: `deploy ${i}`, creator: email });
  sim.addSessions(account, email, 2);
  const result = await runAction(
    { ...inputs, 'remove-from-account': 'true', 'revoke-access-sessions': 'true', 'member-tokens': 'disable' },
    { script: ACTION },
  );
  await sim.stop();
  const bound = lowerBound(groups).total + 1 + 1 + 3 * tokens + 1 + 1;
  console.log(
    `A complete offboarding: ${groups} groups, ${tokens} tokens to disable, Access sessions, the account membership; ${latencyMs} ms per request`,
  );
  line(
    'lower bound',
    `${bound} requests: the sweep's ${lowerBound(groups).total}, 1 token list, 1 verify, 3 per token, 1 revocation, 1 account DELETE`,
  );
  line(
    'action',
    `${sim.requests.length} requests (${sim.requests.length - bound} over the bound), ${s(result.durationMs)}, exit code ${result.exitCode}, the member left in ${left()} groups`,
  );
  console.log();
}

/** The requests of a run by kind, to show where any over the lower bound went. */
function requestKinds(requests: Array<{ method: string; path: string }>): string {
  const kinds = new Map<string, number>();
  for (const { method, path } of requests) {
    const kind =
      path === '/accounts'
        ? 'account page'
        : /^\/accounts\/\w+\/members$/.test(path)
          ? 'member page'
          : /\/iam\/user_groups$/.test(path)
            ? 'group page'
            : method === 'DELETE' && /\/iam\/user_groups\/\w+\/members\/\w+$/.test(path)
              ? 'DELETE'
              : /\/iam\/user_groups\/\w+\/members$/.test(path)
                ? 'lookup'
                : `other (${method} ${path.replace(/[0-9a-f]{32}/g, '{id}')})`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds]
    .map(([kind, count]) => (kind.startsWith('other') ? `${count} ${kind}` : plural(count, kind)))
    .join(', ');
}

/**
 * A fleet of accounts in one run by all-accounts: against its lower bound (the account pages,
 * every account's members, one sweep of each account that holds the member), the cap per second
 * at the simulator, and the floor of as many requests at 150 a second. A run fails unless it
 * exits 0 with the member in no group of the fleet, writes one `accounts` entry per account it
 * sees, and never asks anything of the accounts the token does not see.
 */
async function reportFleet(accounts: number, latencyMs: number, coldFloorMs: number) {
  const holders = Math.min(FLEET_HOLDERS, accounts);
  const bound = fleetBound(accounts, FLEET_GROUPS, holders);
  const floor = floorMs(bound.total, latencyMs, coldFloorMs);
  const schedule = scheduleMs(bound.total, latencyMs, coldFloorMs);
  const limit =
    PER_SECOND_LIMIT > 0
      ? `refuses a request when ${PER_SECOND_LIMIT} arrived in the second before it`
      : 'enforces no limit';
  console.log(
    `A fleet, all-accounts: ${accounts} accounts of ${FLEET_GROUPS} groups, the member in ${HOLDING} groups of ${holders} of them (and in ${FLEET_UNSEEN} accounts the token does not see), ${latencyMs} ms per request; the simulator ${limit}`,
  );
  line(
    'lower bound',
    `${bound.total} requests: ${plural(bound.accountPages, 'account page')}, ${accounts} member pages, ${holders} sweeps of ${bound.sweep} (${plural(bound.groupPages, 'group page')}, ${FLEET_GROUPS} lookups, ${HOLDING} DELETEs)`,
  );
  line(
    'floor',
    `${s(floor.total)}: the bare-fetch cold start ${ms(coldFloorMs)} + the longer of ${bound.total} requests at ${CAP_PER_SECOND} a second (${s(floor.capMs)}) and ${floor.rounds} round trips at concurrency ${FLOOR_CONCURRENCY} (${s(floor.rounds * latencyMs)})`,
  );
  line(
    '',
    `a schedule keeping to both at once, each second's ${CAP_PER_SECOND} sent as soon as slots free: ${s(schedule)} with the cold start`,
  );
  const runs: SweepRuns = { walls: [], requests: [], tooMany: [], mostInOneSecond: [], failures: [] };
  let kinds = '';
  for (let i = 0; i < SWEEP_RUNS; i++) {
    const fleet = await fleetAccounts(accounts, { latencyMs, perSecond: perSecondLimit() });
    const result = await runAction(fleet.inputs, { script: ACTION });
    await fleet.sim.stop();
    const requests = fleet.sim.requests;
    runs.requests.push(requests.length);
    runs.tooMany.push(fleet.sim.tooManyRequests);
    runs.mostInOneSecond.push(mostInOneSecond(requests.map((request) => request.at)));
    kinds = requestKinds(requests);
    const covered = (JSON.parse(result.outputs.accounts || '[]') as unknown[]).length;
    const touched = requests.filter((request) => fleet.unseenIds.some((id) => request.path.includes(id))).length;
    const problems = [
      ...(covered === accounts ? [] : [`accounts output has ${covered} entries, not ${accounts}`]),
      ...(touched === 0 ? [] : [`${touched} requests to accounts the token does not see`]),
      ...(fleet.unseenLeft() === FLEET_UNSEEN * HOLDING ? [] : ['a group of an unseen account changed']),
    ];
    if (result.exitCode === 0 && fleet.left() === 0 && problems.length === 0) runs.walls.push(result.durationMs);
    else runs.failures.push([failure(result, fleet.left()), ...problems].join('; '));
  }
  reportRuns(`action, concurrency ${DEFAULT_CONCURRENCY}`, runs, SWEEP_RUNS);
  line('', `by kind (the last run): ${kinds}`);
  reportAgainstFloor(runs, bound.total, floor.total, schedule);
  console.log();
}

async function reportBudget() {
  console.log(
    `Rate budget: ${BUDGET.quota} requests per ${BUDGET.windowMs / 1000}-s window, announced by Ratelimit headers; the action's sources in process on a simulated clock, no latency`,
  );
  for (const groups of BUDGET_GROUPS) {
    const budget = await budgetSweep(groups);
    const waited = budget.pauses.reduce((sum, gap) => sum + gap, 0);
    line(
      `${groups} groups`,
      `${budget.requests} requests, ${budget.tooMany} answered 429 (must be 0); simulated time ${s(budget.simulatedMs)}, of which ${plural(budget.pauses.length, 'pause')} for the window, ${s(waited)} in all; wall time ${s(budget.wallMs)}`,
    );
    if (budget.failure) line('', `failed: ${budget.failure}`);
  }
  console.log();
}

function reportDist() {
  console.log('dist/:');
  const files = distSizes();
  const size = (bytes: number) => `${String(bytes).padStart(9)} bytes (${(bytes / 1024).toFixed(1)} KiB)`;
  for (const file of files) line(file.name, size(file.bytes));
  line('in all', size(files.reduce((sum, file) => sum + file.bytes, 0)));
}

const started = performance.now();
console.log(
  `Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)} at the start; action.yml's concurrency default: ${DEFAULT_CONCURRENCY}`,
);
console.log(
  `Runs: ${PAIRS} cold-start pairs, ${SWEEP_RUNS} per action sweep, ${SDK_RUNS} per SDK sweep; the floor's pacing: ${CAP_PER_SECOND} requests starting in any second, ${FLOOR_CONCURRENCY} in flight\n`,
);
const cold = await coldStart();
reportColdStart(cold);
for (const latencyMs of LATENCIES)
  for (const groups of GROUPS) await reportSweep(groups, latencyMs, median(cold.floor));
if (GROUPS.length > 0) {
  await reportOffboarding(GROUPS.at(-1)!, LATENCIES[0]!);
  await reportSeveral(GROUPS.at(-1)!, PEOPLE, LATENCIES[0]!);
}
if (FLEET > 0) for (const latencyMs of LATENCIES) await reportFleet(FLEET, latencyMs, median(cold.floor));
await reportBudget();
reportDist();
console.log(`\nThe bench took ${s(performance.now() - started)}.`);
