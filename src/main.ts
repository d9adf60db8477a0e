// Wiring only: settings -> permission gate -> client -> removal -> report. The one place that
// fails the step. Every path ends in a complete record: outputs, summary and, when asked, the
// comment; a cancelled run too (SIGINT, SIGTERM), within the time the runner leaves it.
import type { Dispatcher } from 'undici';
import { listAccounts } from './cloudflare/client.js';
import { admitIssueRun } from './issue/issue-run.js';
import type { Env } from './model.js';
import { removalApi } from './removal/api.js';
import { accountsCovered, confirmAccounts, runAccounts, type AccountsPlan } from './removal/accounts.js';
import { intent, settingsForDebug } from './report/intent.js';
import type { RunOutcome } from './report/run-view.js';
import { buildReport } from './report/report.js';
import { dispatcherFor, runStep, runUrl, transportFor, writeRecord, type Dependencies } from './runner.js';
import { MAX_ACCOUNTS } from './settings/accounts.js';
import { problemsMessage, readSettings, type Settings } from './settings/settings.js';
import type { Step } from './step.js';
import { realClock, type Watchdog } from './watchdog.js';

export function run(dependencies: Partial<Dependencies> = {}): Promise<void> {
  return runStep(dependencies, (step, env, watchdog) => offboard(step, env, dependencies, watchdog));
}

async function offboard(step: Step, env: Env, dependencies: Partial<Dependencies>, watchdog: Watchdog): Promise<void> {
  const ready = prepare(step, env, dependencies);
  // A run refused for its inputs sends nothing to Cloudflare, so it needs no permission check; its
  // comment still reports it. Otherwise the permission gate comes before any Cloudflare request.
  const github = 'refused' in ready ? { ...ready.github, requiredPermission: 'none' as const } : ready.settings.github;
  const issue = await admitIssueRun(github, env.GITHUB_EVENT_NAME ?? '', step, dependencies.github);
  let outcome: RunOutcome;
  if ('refused' in ready) outcome = ready.refused;
  else if (issue.denial !== undefined)
    outcome = { stage: 'gate', settings: ready.settings, problem: { message: issue.denial } };
  else outcome = await removal(ready.settings, ready.dispatcher, step, dependencies, watchdog);
  return writeRecord(step, buildReport(outcome, step.text, runUrl(env)), issue, watchdog);
}

type Prepared =
  | { settings: Settings; dispatcher: Dispatcher }
  | { refused: Extract<RunOutcome, { stage: 'inputs' }>; github: Settings['github'] };

// The settings, and the HTTP layer through the proxy the environment names; or why the inputs or
// the environment refuse the run.
function prepare(step: Step, env: Env, dependencies: Partial<Dependencies>): Prepared {
  const read = readSettings((name) => step.input(name), env);
  if (!read.ok)
    return { refused: { stage: 'inputs', problem: { message: problemsMessage(read.problems) } }, github: read.github };
  const { settings } = read;
  for (const warning of read.warnings) step.warning(warning);
  step.debug(settingsForDebug(settings));
  const http = dispatcherFor(dependencies, settings.baseUrl, env);
  if ('problem' in http)
    return { refused: { stage: 'inputs', settings, problem: { message: http.problem } }, github: settings.github };
  return { settings, dispatcher: http.dispatcher };
}

async function removal(
  settings: Settings,
  dispatcher: Dispatcher,
  step: Step,
  dependencies: Partial<Dependencies>,
  watchdog: Watchdog,
): Promise<RunOutcome> {
  // One transport for every account: one rate budget and one per-second cap for the whole run.
  const clock = dependencies.clock ?? realClock;
  const startedAt = new Date(clock.now()).toISOString();
  const transport = transportFor(settings, step, dispatcher, clock, watchdog);
  step.info(intent(settings));
  const remove = async () => {
    const covered = await accountsCovered(settings.accounts, () => listAccounts(transport), MAX_ACCOUNTS);
    if ('problem' in covered) return covered;
    const targets = covered.map((account) => ({ ...account, api: removalApi(transport, account.id) }));
    const accounts = await runAccounts(removalPlanOf(settings), targets, (message) => step.info(message));
    if (!settings.confirmInAuditLog || settings.dryRun || watchdog.reason) return accounts;
    step.info('Looking each change up in the audit log of its account, by its cf-ray (for at most a minute).');
    return confirmAccounts(accounts, targets, new Date(startedAt), { now: clock.now, wait: (ms) => watchdog.wait(ms) });
  };
  const accounts = manyGroups(settings) ? await step.group('User groups', remove) : await remove();
  if ('problem' in accounts) return { stage: 'accounts', settings, problem: accounts.problem };
  const interrupted = watchdog.reason;
  return { stage: 'removal', settings, accounts, startedAt, ...(interrupted && { interrupted }) };
}

/** What the removal is asked to do: only that, none of the credentials or the transport's settings. */
function removalPlanOf(settings: Settings): AccountsPlan {
  return {
    groups: settings.groups,
    members: settings.members,
    dryRun: settings.dryRun,
    protectedMembers: settings.protectedMembers,
    ifNotInAccount: settings.ifNotInAccount,
    removeFromAccount: settings.removeFromAccount,
    revokeSessions: settings.revokeSessions,
    revokeDevices: settings.revokeDevices,
    memberTokens: settings.memberTokens,
    usesToken: settings.credentials.scheme === 'token',
    // A signed record vouches for each removal, and Cloudflare's answer to the DELETE of a
    // non-member is undocumented.
    proveRemovals: settings.recordKey !== '',
  };
}

// A sweep's lines (one per group, retries, waits) go into a collapsible log group.
function manyGroups({ groups, members }: Settings): boolean {
  return groups.by === 'all' || members.length > 1 || (groups.by === 'id' ? groups.ids : groups.names).length > 1;
}
