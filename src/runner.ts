// What the runner gives a run and takes back, for both actions: the signals that cancel it, the
// address of its page, and the record the run leaves on every path (outputs, job summary, the
// issue comment, then the failure).
import * as actionsCore from '@actions/core';
import type { Dispatcher } from 'undici';
import { createDispatcher } from './cloudflare/http.js';
import { Pacer } from './cloudflare/pacer.js';
import { Transport, type TransportOptions } from './cloudflare/transport.js';
import type { ConnectGitHub } from './issue/github-api.js';
import type { IssueRun } from './issue/issue-run.js';
import { messageOf, unexpected, type Env } from './model.js';
import { safeText, secretParts, type SafeMarkdown } from './safe-text.js';
import { credentialValues } from './settings/credentials.js';
import { openStep, type ActionsCore, type Step } from './step.js';
import { realClock, Watchdog, type Clock, type StopReason } from './watchdog.js';

/** What a run is given; each has a default, and tests pass their own. */
export interface Dependencies {
  core: ActionsCore;
  env: Env;
  /** The HTTP layer (tests); by default an undici agent through the runner's proxy settings. */
  dispatcher?: Dispatcher;
  /** The time, and how to wait (tests pass a fake clock). */
  clock?: Clock;
  /** The GitHub API and event (tests); by default @actions/github, loaded only when needed. */
  github?: ConnectGitHub;
  /** Calls `stop` when the run must stop, and returns how to stop listening; by default SIGINT and SIGTERM. */
  interruptions?: (stop: (reason: StopReason) => void) => () => void;
}

/**
 * One run of an action: the credentials (and the record key) masked before anything else can
 * print them, the step opened, the signals listened to while `work` runs; a fault that escapes
 * `work` (only one while writing the record itself can) fails the step.
 */
export async function runStep(
  dependencies: Partial<Dependencies>,
  work: (step: Step, env: Env, watchdog: Watchdog) => Promise<void>,
): Promise<void> {
  const core = dependencies.core ?? actionsCore;
  const env = dependencies.env ?? process.env;
  const secrets = credentialValues((name) => core.getInput(name), env);
  for (const part of secretParts(secrets)) core.setSecret(part);
  const step = openStep(core, safeText(secrets));
  const watchdog = new Watchdog(dependencies.clock ?? realClock);
  const stopListening = (dependencies.interruptions ?? processSignals)((reason) => watchdog.stop(reason));
  try {
    await work(step, env, watchdog);
  } catch (error) {
    step.fail(unexpected(error));
  } finally {
    stopListening();
  }
}

/** The HTTP layer: the one a test gives, else an undici agent through the proxy the environment names; or why it cannot be made. */
export function dispatcherFor(
  dependencies: Partial<Dependencies>,
  baseUrl: string,
  env: Env,
): { dispatcher: Dispatcher } | { problem: string } {
  return dependencies.dispatcher ? { dispatcher: dependencies.dispatcher } : createDispatcher(baseUrl, env);
}

/** The one transport of a run (and so one pacer and one rate budget), from the settings that shape it. */
export function transportFor(
  settings: Pick<TransportOptions, 'baseUrl' | 'credentials' | 'maxRetries' | 'timeoutMs'> & { concurrency: number },
  step: Step,
  dispatcher: Dispatcher,
  clock: Clock,
  watchdog: Watchdog,
): Transport {
  const log = (message: string) => step.info(message);
  const { baseUrl, credentials, maxRetries, timeoutMs, concurrency } = settings;
  return new Transport({
    baseUrl,
    credentials,
    maxRetries,
    timeoutMs,
    dispatcher,
    pacer: new Pacer({ concurrency, clock, watchdog, log }),
    clock,
    watchdog,
    log,
    excerpt: step.text.excerpt,
  });
}

/** Calls `stop` on SIGINT or SIGTERM (a cancelled run, timeout-minutes); returns how to stop listening. */
function processSignals(stop: (reason: StopReason) => void): () => void {
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.on('SIGINT', onInt).on('SIGTERM', onTerm);
  return () => void process.off('SIGINT', onInt).off('SIGTERM', onTerm);
}

/** This run's page, where the runner says which it is. */
export function runUrl({
  GITHUB_SERVER_URL: server,
  GITHUB_REPOSITORY: repository,
  GITHUB_RUN_ID: id,
}: Env): string | undefined {
  const valid =
    /^https:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(server ?? '') &&
    /^[\w.-]+\/[\w.-]+$/.test(repository ?? '') &&
    /^\d+$/.test(id ?? '');
  return valid ? `${server}/${repository}/actions/runs/${id}` : undefined;
}

/** What a run leaves behind, from its report. */
export interface RunRecord {
  outputs: Record<string, string>;
  summary: SafeMarkdown;
  comment: SafeMarkdown;
  failure?: string;
  warnings: string[];
}

/** After SIGINT the runner sends SIGTERM 7.5 s later and kills the process 2.5 s after that. */
const COMMENT_DEADLINE_AFTER_STOP_MS = 9_000;

/**
 * Outputs first, so that `if: always()` steps can read them, then the summary, the issue comment
 * (within the time a stopped run has left), and last the failure itself. A failure to write one
 * of them never keeps the others from being written.
 */
export async function writeRecord(step: Step, record: RunRecord, issue: IssueRun, watchdog: Watchdog): Promise<void> {
  const lost: string[] = [];
  try {
    for (const [name, value] of Object.entries(record.outputs)) step.output(name, value);
  } catch (error) {
    lost.push(`Could not write the step's outputs (GITHUB_OUTPUT): ${messageOf(error)}`);
  }
  try {
    await step.summary(record.summary);
  } catch (error) {
    step.warning(`Could not write the job summary (GITHUB_STEP_SUMMARY): ${messageOf(error)}`);
  }
  const sinceStop = watchdog.sinceStop();
  const withinMs = sinceStop === undefined ? undefined : Math.max(0, COMMENT_DEADLINE_AFTER_STOP_MS - sinceStop);
  if (issue.postResult) await issue.postResult(record.comment, withinMs);
  for (const warning of record.warnings) step.warning(warning);
  const failure = [record.failure, ...lost].filter((part) => part !== undefined).join('\n');
  if (failure !== '') step.fail(failure);
}
