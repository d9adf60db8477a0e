// Turns per-group results into the step's outputs, its job summary and its failure message.
// Pure: the caller writes them (and redacts them on the way out).
import type { Member } from './cloudflare.js';
import type { GroupResult } from './execute.js';
import { describeMember, type Settings } from './inputs.js';
import type { Redact } from './redact.js';

export interface Report {
  outputs: Record<'id' | 'email' | 'status' | 'removed' | 'removed-groups' | 'skipped-groups' | 'result', string>;
  summary: string;
  /** Set when the step must fail: every failed group and why. */
  failure?: string;
}

/**
 * Free text (errors, notes, names, a refusal) is redacted here, before any escaping, so that
 * escaping can never hide a credential from the redactor.
 */
export function buildReport(
  settings: Settings,
  identity: Member,
  rawResults: GroupResult[],
  { refusal, redact }: { refusal?: string; redact: Redact },
): Report {
  const results = rawResults.map((r) => ({
    ...r,
    group: r.group.name === undefined ? r.group : { ...r.group, name: redact(r.group.name) },
    ...(r.error !== undefined && { error: redact(r.error) }),
    ...(r.note !== undefined && { note: redact(r.note) }),
  }));
  const member = knownMember(identity, results);
  const removed = results.filter((r) => r.outcome === 'removed').map((r) => r.group.id);
  const skipped = results.filter((r) => r.outcome === 'not-member').map((r) => r.group.id);
  const result = {
    member,
    dryRun: settings.dryRun,
    groups: results.map((r) => ({
      id: r.group.id,
      ...(r.group.name !== undefined && { name: r.group.name }),
      outcome: r.outcome,
      ...(r.error !== undefined && { error: r.error }),
      ...(r.note !== undefined && { note: r.note }),
    })),
  };
  const failure = refusal !== undefined ? redact(refusal) : failureMessage(settings, member, results);
  let summary = summaryMarkdown(settings, member, results);
  if (failure) summary += `\n**Failed:** ${failure.split('\n').map(escapeMarkdown).join('  \n')}\n`;
  return {
    outputs: {
      id: member.id,
      email: member.email ?? '',
      status: member.status ?? '',
      removed: String(removed.length > 0),
      'removed-groups': JSON.stringify(removed),
      'skipped-groups': JSON.stringify(skipped),
      result: JSON.stringify(result),
    },
    summary,
    failure,
  };
}

function knownMember(identity: Member, results: GroupResult[]): Member {
  const seen = [...results.filter((r) => r.outcome === 'removed'), ...results].flatMap((r) => (r.member ? [r.member] : []));
  const pick = (key: keyof Member) => seen.map((m) => m[key]).find((value) => value) ?? identity[key];
  const email = pick('email');
  const status = pick('status');
  return { id: pick('id') ?? '', ...(email && { email }), ...(status && { status }) };
}

export function groupLabel(group: { id: string; name?: string }): string {
  return group.name !== undefined ? `"${group.name}" (${group.id})` : group.id;
}

function who(settings: Settings, member: Member): string {
  return member.email ?? describeMember(settings);
}

function failureMessage(settings: Settings, member: Member, results: GroupResult[]): string | undefined {
  const lines: string[] = [];
  for (const r of results) {
    if (r.outcome === 'failed') lines.push(`${groupLabel(r.group)}: ${r.error}`);
    if (r.outcome === 'not-member' && settings.ifNotMember === 'fail') {
      lines.push(`${groupLabel(r.group)}: ${who(settings, member)} is not in this group (set if-not-member: skip to accept that).`);
    }
  }
  if (lines.length === 0) return undefined;
  const verb = settings.dryRun ? 'check' : 'remove';
  const head = `Could not ${verb} ${who(settings, member)} in ${lines.length} of ${results.length} user group${results.length === 1 ? '' : 's'}:`;
  return `${head}\n- ${lines.join('\n- ')}`;
}

const OUTCOME_TEXT: Record<GroupResult['outcome'], string> = {
  removed: '✅ removed',
  'would-remove': '🔍 would remove (dry run)',
  'not-member': '➖ not a member',
  failed: '❌ failed',
};

function summaryMarkdown(settings: Settings, member: Member, results: GroupResult[]): string {
  const lines = [`## Remove ${escapeMarkdown(who(settings, member))} from Cloudflare user groups`, ''];
  if (settings.dryRun) lines.push('**Dry run**: nothing was removed; the table shows what would be.', '');
  if (results.length === 0) {
    lines.push('No user group of the account holds this member; nothing to remove.');
    return `${lines.join('\n')}\n`;
  }
  lines.push('| User group | ID | Outcome |', '| --- | --- | --- |');
  for (const r of results) {
    const detail = r.error ?? r.note;
    const outcome = OUTCOME_TEXT[r.outcome] + (detail ? `: ${escapeMarkdown(detail)}` : '');
    lines.push(`| ${escapeMarkdown(r.group.name ?? '')} | \`${r.group.id}\` | ${outcome} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Makes text from the API or from a person inert in Markdown and HTML. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#!~])/g, '\\$1');
}
