// The job summary (also the issue comment): who, a table of the target groups and their outcomes,
// why the run failed, and the access that remains. Outside text goes in only through safe-text.
import type { GroupResult } from '../model.js';
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import type { Explain } from './failure.js';
import type { RunView } from './outcome.js';
import { remainingMarkdown } from './remaining-access.js';

const OUTCOME_TEXT: Record<GroupResult['outcome'], string> = {
  removed: '✅ removed',
  'would-remove': '🔍 would remove (dry run)',
  'not-member': '➖ not a member',
  failed: '❌ failed',
};

export function summaryMarkdown(
  run: RunView,
  failure: string | undefined,
  noneHeld: boolean,
  explain: Explain,
  text: SafeText,
): SafeMarkdown {
  const { record, member } = run;
  const heading =
    member.email !== undefined
      ? [text.code(member.email)]
      : member.id !== undefined
        ? ['member ', text.code(member.id)]
        : ['the member'];
  const md: Array<string | SafeMarkdown> = ['## Remove ', ...heading, ' from Cloudflare user groups\n\n'];
  if (run.dryRun) md.push('**Dry run**: nothing was removed; the table shows what would be.\n\n');
  if (run.stoppedBefore) {
    md.push('The run stopped before any request to Cloudflare; nothing was removed.\n\n');
  } else if (record.groups.length > 0) {
    md.push(...groupTable(record.groups, explain, text));
  } else if (noneHeld) {
    md.push('No user group of the account holds this member; nothing to remove.\n\n');
  }
  if (record.notInAccount !== undefined) md.push(text.code(record.notInAccount), '\n\n');
  else if (record.groups.length === 0 && failure !== undefined && !run.stoppedBefore)
    md.push('Nothing was removed.\n\n');
  if (record.stopped && record.groups.some((r) => r.outcome === 'removed')) {
    md.push('The run stopped part-way; the table lists what was removed before it stopped.\n\n');
  }
  if (failure !== undefined) md.push('**Failed:**\n\n', text.block(failure), '\n\n');
  if (run.remaining) md.push(...remainingMarkdown(run.remaining, text));
  return text.markdown(md);
}

function groupTable(groups: GroupResult[], explain: Explain, text: SafeText): Array<string | SafeMarkdown> {
  const md: Array<string | SafeMarkdown> = ['| User group | ID | Outcome |\n| --- | --- | --- |\n'];
  for (const r of groups) {
    md.push('| ', text.code(r.group.name ?? ''), ' | ', text.code(r.group.id), ' | ', OUTCOME_TEXT[r.outcome]);
    const detail = r.problem ? explain(r.problem) : r.note;
    if (detail) md.push(': ', text.code(detail));
    md.push(' |\n');
  }
  md.push('\n');
  return md;
}
