// Turns the outcome of a run into the step's outputs, its job summary, the issue comment, its
// warnings and its failure message. Pure. Every value stays within GitHub's limits: a long record
// is shortened, per-group detail first, and its counts stay exact.
import type { Member } from '../model.js';
import { jsonText, type SafeMarkdown, type SafeText } from '../safe-text.js';
import { explainer, failureMessage } from './failure.js';
import { views, type Explain, type RunOutcome, type RunView } from './outcome.js';
import { SHORTER, type Detail } from './detail.js';
import { accessRemains, type RemainingAccess } from './remaining-access.js';
import { severalFailure, severalSummary } from './several.js';
import { stepJson } from './steps.js';
import { summaryMarkdown } from './summary.js';

export const OUTPUTS = [
  'id',
  'email',
  'status',
  'removed',
  'removed-groups',
  'skipped-groups',
  'remaining-access',
  'access-remains',
  'members',
  'result',
] as const;

export interface Report {
  outputs: Record<(typeof OUTPUTS)[number], string>;
  summary: SafeMarkdown;
  /** The summary, or a shorter form of it that fits an issue comment. */
  comment: SafeMarkdown;
  /** Set when the step must fail: everything that failed, and why. */
  failure?: string;
  warnings: string[];
}

/** GitHub drops a step summary over 1 MiB; this leaves room for the rest of the job's. */
const SUMMARY_BYTES = 800_000;
/** GitHub refuses a comment over 65,536 characters; the marker and a pointer need some. */
const COMMENT_CHARACTERS = 60_000;
/** GitHub allows 1 MB per output. */
const OUTPUT_CHARACTERS = 900_000;
export function buildReport(outcome: RunOutcome, text: SafeText, runUrl?: string): Report {
  const runs = views(outcome);
  const explains = runs.map(explainer);
  const failures = runs.map((run, i) => failureMessage(run, explains[i]!));
  const failure = runs.length === 1 ? failures[0] : severalFailure(runs, explains);
  const noneHeld = runs.map((run, i) => isNoneHeld(run, failures[i]));
  const warnings = [...new Set(runs.flatMap((run, i) => warningsOf(run, failures[i], noneHeld[i]!)))];
  const render = (detail: Detail) =>
    runs.length === 1
      ? summaryMarkdown(runs[0]!, failure, noneHeld[0]!, explains[0]!, text, detail)
      : severalSummary(runs, failure, explains, text, detail);
  const summary = fitting(render, (md) => Buffer.byteLength(md) <= SUMMARY_BYTES);
  const shortened = fitting(render, (md) => md.length <= COMMENT_CHARACTERS);
  const pointer = `_This comment is shortened; the job summary of the run has the whole record${runUrl ? `: ${runUrl}` : ''}._\n`;
  const comment = (shortened === summary ? summary : `${shortened}${pointer}`) as SafeMarkdown;
  return {
    outputs: outputs(runs, failure, explains, text),
    summary,
    comment,
    ...(failure !== undefined && { failure }),
    warnings,
  };
}

function isNoneHeld({ allGroups, record }: RunView, failure: string | undefined): boolean {
  return allGroups && record.groups.length === 0 && failure === undefined && record.notInAccount === undefined;
}

function warningsOf(run: RunView, failure: string | undefined, noneHeld: boolean): string[] {
  const { record } = run;
  const warnings = [...record.warnings];
  if (noneHeld)
    warnings.push(`No user group of account ${run.settings?.accountId} holds ${run.who}; nothing to remove.`);
  if (record.notInAccount !== undefined && failure === undefined) warnings.push(record.notInAccount);
  return warnings;
}

/** The first rendering that fits, or the shortest one. */
function fitting<T extends string>(render: (detail: Detail) => T, fits: (value: T) => boolean, steps = SHORTER): T {
  for (const detail of steps) {
    const value = render(detail);
    if (fits(value)) return value;
  }
  return render(steps.at(-1)!);
}

function outputs(runs: RunView[], failure: string | undefined, explains: Explain[], text: SafeText): Report['outputs'] {
  const one = runs.length === 1 ? runs[0] : undefined;
  const ids = (outcome: string) => [
    ...new Set(runs.flatMap(({ record }) => record.groups.filter((r) => r.outcome === outcome).map((r) => r.group.id))),
  ];
  const removed = ids('removed');
  const { dryRun, interrupted } = runs[0]!;
  const accountRemoved = runs.some(({ record }) => record.account?.outcome === 'removed');
  const result = (detail: Detail) =>
    jsonText({
      ...(one ? { member: memberJson(one.record.member) } : {}),
      dryRun,
      ...(interrupted && { interrupted }),
      ...(one
        ? memberResult(one, explains[0]!, text, detail)
        : {
            members: runs.map((run, i) => ({
              member: memberJson(run.record.member),
              ...memberResult(run, explains[i]!, text, detail),
            })),
          }),
      ...(failure !== undefined && { failure: text.excerpt(failure, 8_000) }),
    });
  const members = (detail: Detail) => jsonText(runs.map((run, i) => memberEntry(run, explains[i]!, text, detail)));
  const fits = (value: string) => value.length <= OUTPUT_CHARACTERS;
  const remains = runs.map((run) => accessRemains(run.remaining));
  return {
    id: one?.record.member.id ?? '',
    email: one?.record.member.email ?? '',
    status: one?.record.member.status ?? '',
    removed: removedOutput(removed.length > 0 || accountRemoved, runs),
    'removed-groups': jsonText(removed),
    'skipped-groups': jsonText(ids('not-member')),
    'remaining-access': one?.remaining
      ? fitting((detail) => jsonText(remainingJson(one.remaining!, text, detail)), fits, SHORTER.slice(0, 3))
      : '',
    'access-remains': remains.includes('true') ? 'true' : remains.every((value) => value === 'false') ? 'false' : '',
    members: fitting(members, fits, SHORTER.slice(0, 3)),
    result: fitting(result, fits, SHORTER.slice(0, 3)),
  };
}

/**
 * `removed`: true when this run removed a group membership or the account membership; empty when
 * it removed none for sure but sent a change whose effect is unknown; else false.
 */
function removedOutput(removed: boolean, runs: RunView[]): 'true' | 'false' | '' {
  if (removed) return 'true';
  const unknown = runs.some(({ record }) =>
    [...record.groups, record.account, record.sessions, record.tokens].some((step) => step?.outcome === 'unknown'),
  );
  return unknown ? '' : 'false';
}

/** One member's part of the `result` output: the groups and the steps beyond them. */
function memberResult(run: RunView, explain: Explain, text: SafeText, detail: Detail) {
  const { record } = run;
  return {
    groups: record.groups.map((r) => ({
      id: r.group.id,
      ...(r.group.name !== undefined && { name: r.group.name }),
      outcome: r.outcome,
      ...(r.problem !== undefined &&
        detail.perGroup > 0 && { error: text.excerpt(explain(r.problem), 2 * detail.perGroup) }),
      ...(r.note !== undefined && detail.perGroup > 0 && { note: text.excerpt(r.note, detail.perGroup) }),
    })),
    ...steps(run, explain, (about) => text.excerpt(about, 2 * detail.perGroup || 200)),
    ...(record.notInAccount !== undefined && { notInAccount: true }),
  };
}

/** One member's entry of the `members` output. */
function memberEntry(run: RunView, explain: Explain, text: SafeText, detail: Detail) {
  const { record, remaining } = run;
  const ids = (outcome: string) => record.groups.filter((r) => r.outcome === outcome).map((r) => r.group.id);
  const remains = accessRemains(remaining);
  return {
    ...memberJson(record.member),
    removedGroups: ids('removed'),
    skippedGroups: ids('not-member'),
    ...steps(run, explain, (about) => text.excerpt(about, 2 * detail.perGroup || 200)),
    ...(record.notInAccount !== undefined && { notInAccount: true }),
    ...(remaining && { remainingAccess: remainingJson(remaining, text, detail) }),
    ...(remains !== '' && { accessRemains: remains === 'true' }),
  };
}

function remainingJson(remaining: RemainingAccess, text: SafeText, detail: Detail) {
  return {
    ...remaining,
    groups: remaining.groups.map((g) => ({ ...g, why: text.excerpt(g.why, 2 * detail.perGroup) })),
  };
}
function steps(run: RunView, explain: Explain, excerpt: (text: string) => string) {
  const { tokens, sessions, account } = run.record;
  return {
    ...(tokens && { tokens: stepJson(tokens, explain, excerpt) }),
    ...(sessions && { sessions: stepJson(sessions, explain, excerpt) }),
    ...(account && { account: stepJson(account, explain, excerpt) }),
  };
}

function memberJson(member: Member): Member {
  return {
    ...(member.id !== undefined && { id: member.id }),
    ...(member.email !== undefined && { email: member.email }),
    ...(member.status !== undefined && { status: member.status }),
  };
}
