// The restore's report, from one outcome of the run: its outputs, the job summary (also the issue
// comment), its warnings and why the step fails. Pure. Outside text goes in only through
// safe-text; a long record is shortened, per-item detail first, and its counts stay exact.
import { fitting, OUTPUT_CHARACTERS, summaryAndComment, type Detail } from '../report/detail.js';
import type { Explain } from '../report/facts.js';
import { jsonText, type SafeMarkdown, type SafeText } from '../safe-text.js';
import type { Restored } from './restored.js';
import { restoreSummary } from './summary.js';
import { viewOf, type RestoreRunOutcome, type RestoreView } from './view.js';

export const RESTORE_OUTPUTS = ['restored', 'restored-groups', 'restored-tokens', 'result'] as const;

export interface RestoreReport {
  outputs: Record<(typeof RESTORE_OUTPUTS)[number], string>;
  summary: SafeMarkdown;
  comment: SafeMarkdown;
  failure?: string;
  warnings: string[];
}

export function buildRestoreReport(outcome: RestoreRunOutcome, text: SafeText, runUrl?: string): RestoreReport {
  const view = viewOf(outcome);
  const render = (detail: Detail) => restoreSummary(view, text, detail);
  return {
    outputs: outputs(view, text),
    ...summaryAndComment(render, runUrl),
    ...(view.failure !== undefined && { failure: view.failure }),
    warnings: view.warnings,
  };
}

function outputs(view: RestoreView, text: SafeText): RestoreReport['outputs'] {
  const all = [...view.groups, ...view.tokens];
  const back = (items: Restored[]) => items.filter((item) => item.outcome === 'restored').map((item) => item.id);
  const restored = all.some((item) => item.outcome === 'restored')
    ? 'true'
    : all.some((item) => item.outcome === 'unknown')
      ? ''
      : 'false';
  const result = (detail: Detail) =>
    jsonText({
      member: view.member,
      dryRun: view.dryRun,
      ...(view.inAccount !== undefined && { inAccount: view.inAccount }),
      ...(view.interrupted && { interrupted: view.interrupted }),
      groups: view.groups.map((item) => itemJson(item, view.explain, text, detail)),
      tokens: view.tokens.map((item) => itemJson(item, view.explain, text, detail)),
      ...(view.failure !== undefined && { failure: text.excerpt(view.failure, 8_000) }),
    });
  return {
    restored,
    'restored-groups': jsonText(back(view.groups)),
    'restored-tokens': jsonText(back(view.tokens)),
    result: fitting(result, (value) => value.length <= OUTPUT_CHARACTERS),
  };
}

/** A name from the API, in characters. */
const NAME_CHARACTERS = 1_000;

function itemJson(item: Restored, explain: Explain, text: SafeText, detail: Detail) {
  const about = detail.perGroup > 0;
  return {
    id: item.id,
    ...(item.name !== undefined && { name: text.excerpt(item.name, NAME_CHARACTERS) }),
    outcome: item.outcome,
    ...(item.problem !== undefined && about && { error: text.excerpt(explain(item.problem), 2 * detail.perGroup) }),
    ...(item.note !== undefined && about && { note: text.excerpt(item.note, detail.perGroup) }),
    ...(item.rays && { rays: item.rays }),
  };
}
