// Runs the action's sources in this process, the way the runner runs the bundle: the same
// INPUT_* variables and files, the real @actions/core writing to a captured stdout, the real HTTP
// client against the simulator on loopback. Time passes on a fake clock. For the variants of a
// path; each path a user can take also has a run of the bundle.
import * as core from '@actions/core';
import type { ConnectGitHub } from '../../src/issue/github-api.ts';
import { run } from '../../src/main.ts';
import { run as runRestore } from '../../src/restore/main.ts';
import type { StopReason } from '../../src/watchdog.ts';
import { prepareRun, type RunOptions, type RunResult } from '../../simulator/runner.ts';
import { fakeClock, type FakeClock } from './clock.ts';

export interface InProcessOptions extends Omit<RunOptions, 'script' | 'nodeArguments' | 'started' | 'event'> {
  clock?: FakeClock;
  /** Called with a function that stops the run as SIGINT or SIGTERM would. */
  interrupt?: (stop: (reason: StopReason) => void) => void;
  /** The event name, and the GitHub API and event as the action would read them. */
  event?: { name: string; github: ConnectGitHub };
}

export async function runInProcess(
  inputs: Record<string, string>,
  options: InProcessOptions = {},
): Promise<RunResult & { clock: FakeClock }> {
  const clock = options.clock ?? fakeClock();
  const env = { ...options.env, ...(options.event && { GITHUB_EVENT_NAME: options.event.name }) };
  const action = options.action ?? 'main';
  const prepared = await prepareRun(inputs, {
    env,
    action,
    ...(options.githubToken !== undefined && { githubToken: options.githubToken }),
  });
  const savedEnv = process.env;
  const savedWrite = process.stdout.write;
  const savedExitCode = process.exitCode;
  let stdout = '';
  process.env = { ...prepared.env };
  process.exitCode = undefined;
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  };
  const started = performance.now();
  let exitCode: number;
  try {
    // @actions/core's summary remembers the first summary file it wrote to: each run gets its own.
    const summary = new (core.summary.constructor as new () => typeof core.summary)();
    const interruptions = (stop: (reason: StopReason) => void) => {
      options.interrupt?.(stop);
      return () => {};
    };
    await (action === 'restore' ? runRestore : run)({
      core: { ...core, summary },
      clock,
      interruptions,
      ...(options.event && { github: options.event.github }),
    });
    exitCode = Number(process.exitCode ?? 0);
  } finally {
    process.stdout.write = savedWrite;
    process.env = savedEnv;
    process.exitCode = savedExitCode;
  }
  const result = await prepared.finish({ exitCode, stdout, stderr: '', durationMs: performance.now() - started });
  return { ...result, clock };
}
