// The steps beyond the groups, as the report shows them: each asked step's outcome, in the order
// they run (tokens, Access sessions, the account membership), for the summary and the outputs.
import type { StepOutcome, StepResult, TokensResult } from '../model.js';
import type { RemovalRecord } from '../removal/removal.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import type { Explain } from './facts.js';
import { tokenLines, unattributedHeading } from './remaining-markdown.js';
import { proof } from './rows.js';

const STEPS = [
  ['tokens', 'API tokens they created'],
  ['sessions', 'Access sessions'],
  ['account', 'Account membership'],
] as const;

const OUTCOME_TEXT: Record<StepOutcome, string> = {
  removed: '✅ removed',
  revoked: '✅ revoked',
  disabled: '✅ disabled',
  reported: '📋 listed below',
  'not-needed': '➖ nothing to do',
  'would-remove': '🔍 would remove (dry run)',
  'would-revoke': '🔍 would revoke (dry run)',
  'would-disable': '🔍 would disable (dry run)',
  failed: '❌ failed',
  unknown: '❓ unknown, check it',
};

export function stepsAsked(record: RemovalRecord): Array<[string, StepResult | TokensResult]> {
  return STEPS.flatMap(([key, label]) => (record[key] ? [[label, record[key]] as [string, StepResult]] : []));
}

/** The steps' table; and the member's tokens, where no report of the remaining access lists them. */
export function stepsMarkdown(
  record: RemovalRecord,
  explain: Explain,
  text: SafeText,
  listTokens: boolean,
): Array<string | SafeMarkdown> {
  const steps = stepsAsked(record);
  if (steps.length === 0) return [];
  const md: Array<string | SafeMarkdown> = ['| Beyond the groups | Outcome |\n| --- | --- |\n'];
  for (const [label, step] of steps) {
    md.push(`| ${label} | ${OUTCOME_TEXT[step.outcome]}`);
    const about = step.problem ? explain(step.problem) : step.note;
    if (about) md.push(': ', text.code(about));
    md.push(...proof(step, text), ' |\n');
  }
  md.push('\n');
  const found = record.tokens?.found;
  if (!listTokens || !found?.read) return md;
  const { tokens, unattributed } = found.items;
  if (tokens.length > 0) md.push('API tokens they created:\n', ...tokenLines(tokens, text), '\n');
  if (unattributed.length > 0)
    md.push(`${unattributedHeading(unattributed.length)}:\n`, ...tokenLines(unattributed, text), '\n');
  return md;
}
