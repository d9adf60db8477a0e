// What an attacker's text must never achieve: a workflow command the action did not issue itself,
// or a trace of a credential in anything a reader of the run can see.
import { expect } from 'vitest';
import type { RunResult } from '../../simulator/runner.ts';
import { visible } from './fixture.ts';
import { commandsIn } from './runner-commands.ts';

/** The only commands the action issues itself, each on a line of its own. */
const OWN_COMMANDS = ['add-mask', 'debug', 'error', 'warning', 'group', 'endgroup'];

export function expectNoForgedCommand(result: RunResult, secrets: string[]): void {
  for (const command of commandsIn(result.stdout)) {
    expect(command.syntax, command.line).toBe('v2');
    expect(command.line.startsWith(`::${command.command}`), command.line).toBe(true);
    expect(OWN_COMMANDS, command.line).toContain(command.command);
    if (command.command === 'add-mask') expect(secrets, command.line).toContain(command.data);
  }
}

/** A token with characters that every escape changes: Markdown, HTML, JSON, URL encoding. */
export const ODD_TOKEN = 'cfut_Q|w<e>r&t"y\\u`i*o_p%2F[s]0123456789';

export function expectNoTrace(result: RunResult, secret: string): void {
  const seen = visible(result);
  const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    html,
    secret.replace(/\|/g, '\\|'),
  ];
  for (const form of forms) expect(seen).not.toContain(form);
  // No fragment of it either: no run of 12 of its characters.
  for (let i = 0; i + 12 <= secret.length; i++) expect(seen).not.toContain(secret.slice(i, i + 12));
}
