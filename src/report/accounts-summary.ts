// The summary of a run over several accounts: a section per account that holds the person (or
// where something failed or changed), each with its groups, the steps beyond them and what
// remains; one line naming the accounts that do not hold them; what failed, once.
import type { SafeMarkdown, SafeText } from '../safe-text.js';
import { changedNothing } from './changes.js';
import type { Detail } from './detail.js';
import { remainingMarkdown, UNSEEN } from './remaining-markdown.js';
import { auditLine, notes } from './rows.js';
import type { AccountView, RunView } from './run-view.js';
import { membersTable } from './several.js';
import { stepsMarkdown } from './steps.js';
import { groupTable } from './summary.js';

type Md = Array<string | SafeMarkdown>;

export function accountsSummary(view: RunView, text: SafeText, detail: Detail): SafeMarkdown {
  const people = [...new Map(view.members.map(({ person }) => [person.key, person.name])).values()];
  const who = people.length === 1 ? [text.code(people[0]!)] : [`${people.length} members`];
  const md: Md = ['## Offboard ', ...who, ` from ${view.accounts.length} Cloudflare accounts\n\n`, ...notes(view)];
  const [shown, quiet] = partition(view.accounts, worthASection);
  if (quiet.length > 0) {
    const names = quiet.flatMap((account, i) => [i === 0 ? '' : ', ', ...label(account, text)]);
    md.push('Not a member of, nothing changed or failed there: ', ...names, '.\n\n');
  }
  for (const account of shown) md.push(...section(account, view, text, detail));
  if (view.failure !== undefined) md.push('**Failed:**\n\n', text.block(view.failure), '\n\n');
  if (shown.some((account) => account.members.some((member) => member.remaining !== undefined))) md.push(UNSEEN);
  return text.markdown(md);
}

// An account that holds the person, or where something failed or changed.
function worthASection(account: AccountView): boolean {
  return account.members.some(
    ({ record, failure }) => record.notInAccount === undefined || failure !== undefined || !changedNothing(record),
  );
}

function section(account: AccountView, view: RunView, text: SafeText, detail: Detail): Md {
  const md: Md = ['### Account ', ...label(account, text), '\n\n'];
  const one = account.members.length === 1 ? account.members[0]! : undefined;
  if (one && one.record.groups.length > 0) md.push(...groupTable(one.record.groups, account.explain, text, detail));
  else if (one) md.push(one.record.notInAccount !== undefined ? 'Not a member of this account.\n\n' : '');
  else md.push(...membersTable(account, view.interrupted, text, detail));
  for (const { record, remaining, name } of account.members) {
    const steps = stepsMarkdown(record, account.explain, text, remaining === undefined);
    if (steps.length > 0 && !one) md.push('#### Beyond the groups: ', text.code(name), '\n\n');
    md.push(...steps);
  }
  md.push(...auditLine(account.audit, account.explain, text));
  for (const { remaining, name } of account.members)
    if (remaining) md.push(...remainingMarkdown(remaining, text, detail, { about: text.code(name), unseen: false }));
  return md;
}

function label({ id, name }: AccountView, text: SafeText): Md {
  return name !== undefined ? [text.code(name), ' (', text.code(id), ')'] : [text.code(id)];
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
