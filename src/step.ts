// What the step says to the runner, through @actions/core, and nothing else may say it: every
// log line, annotation, output and summary passes through safe-text on its way out.
import type { SafeMarkdown, SafeText } from './safe-text.js';

/** The part of @actions/core the action uses; the real module fits it, and tests pass a fake. */
export interface ActionsCore {
  getInput(name: string): string;
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  setFailed(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  warning(message: string): void;
  startGroup(name: string): void;
  endGroup(): void;
  summary: { addRaw(text: string, addEOL?: boolean): unknown; write(): Promise<unknown> };
}

export interface Step {
  input(name: string): string;
  info(message: string): void;
  debug(message: string): void;
  warning(message: string): void;
  /** Runs `work` inside a collapsible log group. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
  output(name: string, value: string): void;
  summary(markdown: SafeMarkdown): Promise<void>;
  fail(message: string): void;
  readonly text: SafeText;
}

export function openStep(core: ActionsCore, text: SafeText): Step {
  return {
    input: (name) => core.getInput(name),
    info: (message) => core.info(text.forLog(message)),
    debug: (message) => core.debug(text.forLog(message)),
    warning: (message) => core.warning(text.forAnnotation(message)),
    async group(title, work) {
      core.startGroup(text.forLog(title).replace(/[\r\n]+/g, ' '));
      try {
        return await work();
      } finally {
        core.endGroup();
      }
    },
    output: (name, value) => core.setOutput(name, text.forOutput(value)),
    async summary(markdown) {
      core.summary.addRaw(text.redact(markdown), true);
      await core.summary.write();
    },
    fail: (message) => core.setFailed(text.forAnnotation(message)),
    text,
  };
}
