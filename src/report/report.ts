// Turns the outcome of a run into the step's outputs, its job summary (also the issue comment),
// its warnings and its failure message. Pure.
import type { Member } from '../model.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { explainer, failureMessage, type Explain } from './failure.js';
import { view, type RunOutcome, type RunView } from './outcome.js';
import { summaryMarkdown } from './summary.js';

export const OUTPUTS = [
  'id',
  'email',
  'status',
  'removed',
  'removed-groups',
  'skipped-groups',
  'remaining-access',
  'result',
] as const;

export interface Report {
  outputs: Record<(typeof OUTPUTS)[number], string>;
  summary: SafeMarkdown;
  /** Set when the step must fail: everything that failed, and why. */
  failure?: string;
  warnings: string[];
}

const ERROR_TEXT_LIMIT = 2_000;

export function buildReport(outcome: RunOutcome, text: SafeText): Report {
  const run = view(outcome);
  const { record } = run;
  const explain = explainer(run);
  const failure = failureMessage(run, explain);
  const warnings: string[] = [];
  const noneHeld =
    run.allGroups && record.groups.length === 0 && failure === undefined && record.notInAccount === undefined;
  if (noneHeld)
    warnings.push(`No user group of account ${run.settings?.accountId} holds ${run.who}; nothing to remove.`);
  if (record.notInAccount !== undefined && failure === undefined) warnings.push(record.notInAccount);
  return {
    outputs: outputs(run, failure, explain, text),
    summary: summaryMarkdown(run, failure, noneHeld, explain, text),
    ...(failure !== undefined && { failure }),
    warnings,
  };
}

function outputs(run: RunView, failure: string | undefined, explain: Explain, text: SafeText): Report['outputs'] {
  const { record, remaining } = run;
  const ids = (outcome: string) => record.groups.filter((r) => r.outcome === outcome).map((r) => r.group.id);
  const removed = ids('removed');
  const result = {
    member: memberJson(record.member),
    dryRun: run.dryRun,
    groups: record.groups.map((r) => ({
      id: r.group.id,
      ...(r.group.name !== undefined && { name: r.group.name }),
      outcome: r.outcome,
      ...(r.problem !== undefined && { error: text.excerpt(explain(r.problem), ERROR_TEXT_LIMIT) }),
      ...(r.note !== undefined && { note: r.note }),
    })),
    ...(record.notInAccount !== undefined && { notInAccount: true }),
    ...(failure !== undefined && { failure: text.excerpt(failure, ERROR_TEXT_LIMIT * 4) }),
  };
  const remainingJson = remaining && {
    ...remaining,
    groups: remaining.groups.map((g) => ({ ...g, why: text.excerpt(g.why, ERROR_TEXT_LIMIT) })),
  };
  return {
    id: record.member.id ?? '',
    email: record.member.email ?? '',
    status: record.member.status ?? '',
    removed: String(removed.length > 0),
    'removed-groups': JSON.stringify(removed),
    'skipped-groups': JSON.stringify(ids('not-member')),
    'remaining-access': remainingJson ? JSON.stringify(remainingJson) : '',
    result: JSON.stringify(result),
  };
}

function memberJson(member: Member): Member {
  return {
    ...(member.id !== undefined && { id: member.id }),
    ...(member.email !== undefined && { email: member.email }),
    ...(member.status !== undefined && { status: member.status }),
  };
}
