// The restore's job summary (also its issue comment): who, from which record, a table of each user
// group and API token with its outcome, why the run failed, and what a restore never puts back.
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { FULL, shorten, type Detail } from '../report/detail.js';
import { actionFirst, memberTitle, proof, shownRows, stoppedNote } from '../report/rows.js';
import type { RestoreView } from './view.js';
import type { Restored, RestoreOutcome } from './restored.js';

type Md = Array<string | SafeMarkdown>;

const OUTCOME_TEXT: Record<RestoreOutcome, string> = {
  restored: '✅ restored',
  'would-restore': '🔍 would restore (dry run)',
  'not-needed': '➖ back already',
  failed: '❌ failed',
  unknown: '❓ unknown, check it',
};

/** What no restore puts back, and why. */
const NEVER_RESTORED =
  'A restore never re-creates an account membership (a member removed from the account is invited again by a person: Manage Account > Members > Invite) and never restores Access sessions (ended sessions stay ended: the person signs in again).';

export function restoreSummary(view: RestoreView, text: SafeText, detail: Detail = FULL): SafeMarkdown {
  const md: Md = [...heading(view, text)];
  if (view.interrupted) md.push(stoppedNote(view.interrupted));
  if (view.dryRun) md.push('**Dry run**: nothing was changed; the table shows what would be restored.\n\n');
  if (view.stoppedBefore) md.push('The restore stopped before any request to Cloudflare; nothing was restored.\n\n');
  if (view.proven) {
    const { removedGroups, disabledTokens, at } = view.proven;
    md.push(
      'The record, signed by the offboarding run at ',
      text.code(at),
      `, names ${count(removedGroups.length, 'user group')} it removed the member from and ${count(disabledTokens.length, 'API token')} it disabled.\n\n`,
    );
  }
  const items = [
    ...view.groups.map((item) => ['User group', item] as const),
    ...view.tokens.map((item) => ['API token', item] as const),
  ];
  if (items.length > 0) md.push(...table(items, view, text, detail));
  if (view.failure !== undefined) md.push('**Failed:**\n\n', text.block(view.failure), '\n\n');
  md.push(NEVER_RESTORED, '\n');
  return text.markdown(md);
}

function heading(view: RestoreView, text: SafeText): Md {
  const who = memberTitle(view.member, text);
  const where = view.accountId !== undefined ? [' in Cloudflare account ', text.code(view.accountId)] : [];
  return ['## Restore ', ...who, ...where, '\n\n'];
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

// One row per item, failures first when rows must be left out; the counts of what was left out.
function table(
  items: ReadonlyArray<readonly [string, Restored]>,
  view: RestoreView,
  text: SafeText,
  detail: Detail,
): Md {
  const md: Md = ['| Kind | Name | ID | Outcome |\n| --- | --- | --- | --- |\n'];
  const shown = shownRows(items, detail.rows, ([, item]) => actionFirst(item));
  for (const [kind, item] of shown) {
    md.push(`| ${kind} | `, text.code(item.name ?? ''), ' | ', text.code(item.id), ' | ', OUTCOME_TEXT[item.outcome]);
    const about = item.problem ? view.explain(item.problem) : item.note;
    if (about !== undefined && detail.perGroup > 0) md.push(': ', text.code(shorten(about, detail.perGroup, text)));
    // The write's cf-ray: how the account's audit log knows it.
    if (detail.perGroup > 0) md.push(...proof(item, text));
    md.push(' |\n');
  }
  md.push('\n');
  if (shown.length < items.length) {
    const tally = (Object.keys(OUTCOME_TEXT) as RestoreOutcome[])
      .map((outcome) => [outcome, items.filter(([, item]) => item.outcome === outcome).length] as const)
      .filter(([, n]) => n > 0)
      .map(([outcome, n]) => `${n} ${OUTCOME_TEXT[outcome]}`);
    md.push(
      `${items.length - shown.length} of ${items.length} are left out of this table to keep it short; in all: ${tally.join(', ')}. The \`result\` output lists every one.\n\n`,
    );
  }
  return md;
}
