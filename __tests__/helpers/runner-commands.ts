// A port of the runner's two workflow-command parsers (actions/runner,
// src/Runner.Common/ActionCommand.cs: TryParseV2 and the legacy TryParse), to check that nothing
// the action prints from outside text is read as a command. The runner reads its output a line at
// a time; a line ends at CR, LF or CRLF.

/** Commands the runner knows (its extensions, and stop-commands); names match ignoring case. */
const REGISTERED = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
];

export interface ParsedCommand {
  syntax: 'v2' | 'legacy';
  command: string;
  data: string;
}

// .NET's char.IsWhiteSpace, which String.TrimStart uses.
const DOTNET_LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

export function runnerLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/);
}

export function parseCommand(line: string, registered: string[] = REGISTERED): ParsedCommand | undefined {
  const known = (name: string) => registered.some((r) => r.toLowerCase() === name.toLowerCase());
  // TryParseV2: after leading whitespace, "::name props::data".
  const message = line.replace(DOTNET_LEADING_SPACE, '');
  if (message.startsWith('::')) {
    const end = message.indexOf('::', 2);
    if (end >= 0) {
      const info = message.slice(2, end);
      const name = info.split(' ')[0]!;
      if (known(name)) return { syntax: 'v2', command: name, data: unescape(message.slice(end + 2)) };
    }
  }
  // TryParse (legacy): "##[name props]data" anywhere in the line.
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const close = line.indexOf(']', prefix);
  if (close < 0) return undefined;
  const name = line.slice(prefix + 3, close).split(' ')[0]!;
  return known(name) ? { syntax: 'legacy', command: name, data: line.slice(close + 1) } : undefined;
}

function unescape(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** The commands in a process's output, each with the line it came from. */
export function commandsIn(output: string): Array<ParsedCommand & { line: string }> {
  return runnerLines(output).flatMap((line) => {
    const parsed = parseCommand(line);
    return parsed ? [{ ...parsed, line }] : [];
  });
}
