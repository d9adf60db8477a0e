// Runs a bundled action as the Actions runner does: the main action (dist/index.js, action.yml) or
// the restore (dist/restore/index.js, restore/action.yml). Every input its action.yml declares
// becomes an INPUT_* variable (its default when not given), outputs and the job summary go to
// files, and the environment holds nothing else unless asked.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The main action, or the restore beside it. */
type ActionName = 'main' | 'restore';

export interface RunOptions {
  /** Which action: the main one (the default) or the restore. */
  action?: ActionName;
  /** Extra environment variables (CLOUDFLARE_*, HTTPS_PROXY, GITHUB_EVENT_NAME, ...). */
  env?: Record<string, string>;
  /** What `${{ github.token }}` evaluates to. */
  githubToken?: string;
  /** Writes this payload to GITHUB_EVENT_PATH. */
  event?: { name: string; payload: unknown };
  /** The script to run: the bundle the test setup built (ACTION_BUNDLE), else the committed dist/. */
  script?: string;
  /** Arguments for node before the script (a test-only preload, say). */
  nodeArguments?: string[];
  /** Called with the child process once it runs (to send it a signal, say). */
  started?: (child: { kill(signal: NodeJS.Signals): boolean }) => void;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Messages of ::error:: and ::warning:: commands. */
  errors: string[];
  warnings: string[];
  /** Wall time of the child process alone, from spawn to exit, in milliseconds. */
  durationMs: number;
}

/** The environment of one run, as a runner sets it up, and the files it writes to. */
export interface PreparedRun {
  env: Record<string, string>;
  files: { output: string; summary: string };
  /** Reads what the run wrote, and removes its files. */
  finish(process: { exitCode: number; stdout: string; stderr: string; durationMs: number }): Promise<RunResult>;
}

interface ActionInput {
  default?: string;
}

const METADATA: Record<ActionName, string> = { main: 'action.yml', restore: 'restore/action.yml' };
const declared = new Map<ActionName, Record<string, ActionInput>>();

async function declaredInputs(action: ActionName): Promise<Record<string, ActionInput>> {
  if (!declared.has(action)) {
    const metadata = parse(await readFile(join(root, METADATA[action]), 'utf8')) as {
      inputs: Record<string, ActionInput>;
    };
    declared.set(action, metadata.inputs);
  }
  return declared.get(action)!;
}

export async function prepareRun(inputs: Record<string, string>, options: RunOptions = {}): Promise<PreparedRun> {
  const action = options.action ?? 'main';
  const known = await declaredInputs(action);
  const unknown = Object.keys(inputs).filter((name) => !(name in known));
  if (unknown.length > 0) throw new Error(`not declared in ${METADATA[action]}: ${unknown.join(', ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'cf-action-'));
  const files = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary'),
    state: join(dir, 'state'),
    env: join(dir, 'env'),
    path: join(dir, 'path'),
  };
  await Promise.all(Object.values(files).map((file) => writeFile(file, '')));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: dir,
    GITHUB_EVENT_NAME: options.event?.name ?? 'workflow_dispatch',
    GITHUB_REPOSITORY: 'octo-org/offboarding',
    GITHUB_ACTOR: 'octocat',
    ...options.env,
  };
  if (options.event) {
    env.GITHUB_EVENT_PATH = join(dir, 'event.json');
    await writeFile(env.GITHUB_EVENT_PATH, JSON.stringify(options.event.payload));
  }
  for (const [name, input] of Object.entries(known)) {
    const fallback = (input.default ?? '').replace('${{ github.token }}', options.githubToken ?? '');
    env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? fallback;
  }
  return {
    env,
    files,
    async finish({ exitCode, stdout, stderr, durationMs }) {
      try {
        const commands = (kind: string) =>
          stdout
            .split('\n')
            .filter((line) => line.startsWith(`::${kind}`))
            .map((line) => unescapeCommand(line.slice(line.indexOf('::', 2) + 2)));
        return {
          exitCode,
          stdout,
          stderr,
          outputs: parseFileCommands(await readFile(files.output, 'utf8')),
          summary: await readFile(files.summary, 'utf8'),
          errors: commands('error'),
          warnings: commands('warning'),
          durationMs,
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

export async function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<RunResult> {
  const prepared = await prepareRun(inputs, options);
  const started = performance.now();
  const script = options.script ?? bundleOf(options.action ?? 'main');
  const child = spawn(process.execPath, [...(options.nodeArguments ?? []), script], {
    env: prepared.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.started?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return prepared.finish({ exitCode, stdout, stderr, durationMs: performance.now() - started });
}

// The bundle the test setup built (ACTION_BUNDLE, the main action's; the restore's beside it in
// restore/), else the committed dist/.
function bundleOf(action: ActionName): string {
  const main = process.env.ACTION_BUNDLE ?? join(root, 'dist/index.js');
  return action === 'main' ? main : join(dirname(main), 'restore', 'index.js');
}

/** Parses `name<<DELIMITER` blocks as @actions/core writes them to GITHUB_OUTPUT. */
function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const end = lines.indexOf(delimiter!, i + 1);
    values[name!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return values;
}

function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
