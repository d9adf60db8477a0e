// Turns the outcome of a run into the step's outputs, its job summary, the issue comment, its
// warnings and its failure message, all from one view of the run. Pure. Every value stays within
// GitHub's limits: a long record is shortened, per-group detail first, and its counts stay exact.
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { accountsSummary } from './accounts-summary.js';
import { summaryAndComment, type Detail } from './detail.js';
import { outputs, type Outputs } from './outputs.js';
import { viewOf, type RunOutcome } from './run-view.js';
import { severalSummary } from './several.js';
import { oneMemberSummary } from './summary.js';

export interface Report {
  outputs: Outputs;
  summary: SafeMarkdown;
  /** The summary, or a shorter form of it that fits an issue comment. */
  comment: SafeMarkdown;
  /** Set when the step must fail: everything that failed, and why. */
  failure?: string;
  warnings: string[];
}

export function buildReport(outcome: RunOutcome, text: SafeText, runUrl?: string): Report {
  const view = viewOf(outcome);
  const render = (detail: Detail) =>
    view.accounts.length > 1
      ? accountsSummary(view, text, detail)
      : view.members.length === 1
        ? oneMemberSummary(view, text, detail)
        : severalSummary(view, text, detail);
  return {
    outputs: outputs(view, text),
    ...summaryAndComment(render, runUrl),
    ...(view.failure !== undefined && { failure: view.failure }),
    warnings: view.warnings,
  };
}
