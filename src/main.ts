// Wiring only: settings -> permission gate -> client -> removal -> report. The one place that
// fails the step. Every path ends in a complete record: outputs, summary and, when asked, the comment.
import * as actionsCore from '@actions/core';
import type { Dispatcher } from 'undici';
import { CloudflareClient } from './cloudflare/client.js';
import { createDispatcher } from './cloudflare/http.js';
import { Pacer } from './cloudflare/pacer.js';
import { Transport } from './cloudflare/transport.js';
import type { ConnectGitHub } from './issue/github-api.js';
import { admitIssueRun, type IssueRun } from './issue/issue-run.js';
import { messageOf, unexpected, type Env } from './model.js';
import { runRemoval } from './removal/removal.js';
import { intent, settingsForDebug } from './report/intent.js';
import type { RunOutcome } from './report/outcome.js';
import { buildReport } from './report/report.js';
import { safeText, secretParts } from './safe-text.js';
import { credentialValues } from './settings/credentials.js';
import { problemsMessage, readSettings, type Settings } from './settings/settings.js';
import { openStep, type ActionsCore, type Step } from './step.js';

export interface Dependencies {
  core: ActionsCore;
  env: Env;
  /** The HTTP layer (tests); by default an undici agent through the runner's proxy settings. */
  dispatcher?: Dispatcher;
  /** The time, and how to wait (tests pass a fake clock). */
  clock?: Clock;
  /** The GitHub API and event (tests); by default @actions/github, loaded only when needed. */
  github?: ConnectGitHub;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: Date.now, sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

export async function run(dependencies: Partial<Dependencies> = {}): Promise<void> {
  const core = dependencies.core ?? actionsCore;
  const env = dependencies.env ?? process.env;
  // Credentials are masked before anything else can print them.
  const secrets = credentialValues((name) => core.getInput(name), env);
  for (const part of secretParts(secrets)) core.setSecret(part);
  const step = openStep(core, safeText(secrets));
  try {
    await offboard(step, env, dependencies);
  } catch (error) {
    // Only a fault while writing the record itself ends up here.
    step.fail(unexpected(error));
  }
}

async function offboard(step: Step, env: Env, dependencies: Partial<Dependencies>): Promise<void> {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const read = readSettings((name) => step.input(name), env);
  if (!read.ok) {
    // Nothing will reach Cloudflare, so no permission check; the comment still reports it.
    const issue = await admitIssueRun(
      { ...read.github, requiredPermission: 'none' },
      eventName,
      step,
      dependencies.github,
    );
    return finish(step, { stage: 'inputs', problem: { message: problemsMessage(read.problems) } }, issue);
  }
  const { settings } = read;
  step.debug(settingsForDebug(settings));
  // The permission gate comes before any Cloudflare request.
  const issue = await admitIssueRun(settings.github, eventName, step, dependencies.github);
  if (issue.denial !== undefined)
    return finish(step, { stage: 'gate', settings, problem: { message: issue.denial } }, issue);

  const client = cloudflare(settings, step, dependencies);
  step.info(intent(settings));
  const remove = () => runRemoval(settings, client, (message) => step.info(message));
  const record = manyGroups(settings) ? await step.group('User groups', remove) : await remove();
  return finish(step, { stage: 'removal', settings, record }, issue);
}

function cloudflare(settings: Settings, step: Step, dependencies: Partial<Dependencies>): CloudflareClient {
  const { now, sleep } = dependencies.clock ?? realClock;
  const log = (message: string) => step.info(message);
  const transport = new Transport({
    baseUrl: settings.baseUrl,
    credentials: settings.credentials,
    maxRetries: settings.maxRetries,
    timeoutMs: settings.timeoutMs,
    dispatcher: dependencies.dispatcher ?? createDispatcher(settings.baseUrl),
    pacer: new Pacer({ concurrency: settings.concurrency, sleep, now, log }),
    log,
    excerpt: step.text.excerpt,
    sleep,
    now,
  });
  return new CloudflareClient(transport, settings.accountId);
}

// A sweep's lines (one per group, retries, waits) go into a collapsible log group.
function manyGroups({ groups }: Settings): boolean {
  return groups.by === 'all' || (groups.by === 'id' ? groups.ids : groups.names).length > 1;
}

// Outputs first, so that `if: always()` steps can read them, then the summary, the issue
// comment, and last the failure itself.
async function finish(step: Step, outcome: RunOutcome, issue: IssueRun): Promise<void> {
  const report = buildReport(outcome, step.text);
  for (const [name, value] of Object.entries(report.outputs)) step.output(name, value);
  try {
    await step.summary(report.summary);
  } catch (error) {
    step.warning(`Could not write the job summary: ${messageOf(error)}`);
  }
  if (issue.postResult) await issue.postResult(report.summary);
  for (const warning of report.warnings) step.warning(warning);
  if (report.failure !== undefined) step.fail(report.failure);
}
