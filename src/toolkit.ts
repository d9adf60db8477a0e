// What the action says to the Actions runner: inputs from INPUT_* variables, workflow commands
// on stdout, and outputs and the job summary appended to the files the runner names.
// Speaking this small protocol directly, rather than through @actions/core, keeps undici's
// full index (fetch, web streams, cache, websocket: loaded by @actions/core for OIDC, which
// this action never uses) out of start-up; see the README's performance section.
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import type { Env } from './inputs.js';

export interface Toolkit {
  getInput(name: string): string;
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  setFailed(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>;
}

/** The runner's toolkit for this process: reads `env`, writes to `write` (stdout). */
export function runnerToolkit(env: Env, write: (text: string) => void = (text) => process.stdout.write(text)): Toolkit {
  const command = (name: string, message: string) => write(`::${name}::${escapeData(message)}${EOL}`);
  const appendTo = (variable: string, text: string) => {
    const path = env[variable];
    if (!path) throw new Error(`${variable} is not set; the runner names this file for every step.`);
    if (!existsSync(path)) throw new Error(`${variable} names a missing file: ${path}`);
    appendFileSync(path, text, 'utf8');
  };
  return {
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    setSecret: (secret) => command('add-mask', secret),
    setOutput: (name, value) => {
      if (env.GITHUB_OUTPUT) return appendTo('GITHUB_OUTPUT', `${keyValueBlock(name, value)}${EOL}`);
      // Without the file (older runners), the deprecated command still carries the output.
      write(`${EOL}::set-output name=${escapeProperty(name)}::${escapeData(value)}${EOL}`);
    },
    setFailed: (message) => {
      process.exitCode = 1;
      command('error', message);
    },
    info: (message) => write(`${neutralizeCommands(message)}${EOL}`),
    warning: (message) => command('warning', message),
    summary: async (markdown) => appendTo('GITHUB_STEP_SUMMARY', `${markdown}${EOL}`),
  };
}

/** `name<<DELIMITER` block; the delimiter is random and refused if the value contains it. */
export function keyValueBlock(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`Output ${name} contains its delimiter; refusing to write it.`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`;
}

/** Workflow command data: %, CR and LF are escaped so a message stays one command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow command property: also `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// A plain log line that starts with "::" would be read by the runner as a command; text from
// the API reaches the log, so such lines get a leading space.
export function neutralizeCommands(text: string): string {
  return text.replace(/^(\s*)::/gm, '$1 ::');
}
