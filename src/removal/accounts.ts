// The removal over several accounts. Each account's member list is read once and every member
// settled in every account before any write: a member who is protected, or whom an account cannot
// tell apart, refuses the whole run. An account that does not hold the person is no failure (its
// groups are not read); one whose members could not be read fails there, and the others go on.
// Sessions and tokens are asked of every account: they go by address, not by membership.
import { messageOf, personKey, type AccountSelection, type Problem } from '../model.js';
import { labelOf } from '../identifiers.js';
import { problemOf, type Log, type RemovalApi } from './api.js';
import {
  identifyAll,
  refusedBecauseOf,
  refusedRecord,
  removeIdentified,
  runRemovals,
  type Identified,
  type RunPlan,
} from './members.js';
import type { RemovalRecord } from './removal.js';
import { confirmInAuditLog, type AuditCheck } from './audit-log.js';
import { sharedReads } from './shared-reads.js';

export interface AccountTarget {
  id: string;
  name?: string;
  /** The account's endpoints, all over one transport: one rate budget for the run. */
  api: RemovalApi;
}

export interface AccountRecords {
  id: string;
  name?: string;
  records: RemovalRecord[];
  /** With confirm-in-audit-log: what the account's audit log confirmed of the writes. */
  audit?: AuditCheck;
}

/** The removal asked for, in every account. */
export type AccountsPlan = Omit<RunPlan, 'accountId'>;

/**
 * The accounts a run covers: those given, or every account the credentials list (at most `most`:
 * more fails, never truncates), or why they cannot be known.
 */
export async function accountsCovered(
  selection: AccountSelection,
  list: () => Promise<Array<{ id: string; name?: string }>>,
  most: number,
): Promise<Array<{ id: string; name?: string }> | { problem: Problem }> {
  if (selection.by === 'ids') return selection.ids.map((id) => ({ id }));
  let listed: Array<{ id: string; name?: string }>;
  try {
    listed = await list();
  } catch (error) {
    return {
      problem: {
        ...problemOf(error),
        message: `all-accounts: could not list the accounts these credentials see: ${messageOf(error)}`,
      },
    };
  }
  if (listed.length === 0)
    return {
      problem: {
        message: 'all-accounts: these credentials see no account (GET /accounts lists none); nothing was removed.',
      },
    };
  if (listed.length > most)
    return {
      problem: {
        message: `all-accounts: these credentials see ${listed.length} accounts, more than the ${most} one run covers; nothing was removed. Give the accounts in account-id (at most ${most}), over several runs one after another (they share one rate budget).`,
      },
    };
  return listed;
}

/** One entry per account, in the order given; never throws. */
export async function runAccounts(plan: AccountsPlan, accounts: AccountTarget[], log: Log): Promise<AccountRecords[]> {
  if (accounts.length === 1) {
    const [{ id, name, api }] = accounts as [AccountTarget];
    return [
      { id, ...(name !== undefined && { name }), records: await runRemovals({ ...plan, accountId: id }, api, log) },
    ];
  }
  const shared = accounts.map((account) => ({ ...account, api: sharedReads(account.api) }));
  const identified = await Promise.all(shared.map(({ id, api }) => identifyAll({ ...plan, accountId: id }, api)));
  const entries = shared.map((account, i) => ({ account, identified: identified[i]! }));
  const refusal = firstRefusal(entries) ?? unreadWhileProtected(entries, plan);
  const present = presentSomewhere(identified.flat());
  return Promise.all(
    entries.map(async ({ account: { id, name, api }, identified: each }) => {
      const records = refusal
        ? each.map((entry) => refusedRecord(entry === refusal.entry ? refusal.own : entry, refusal.why))
        : await removeIdentified(
            { ...plan, accountId: id },
            api,
            each.map((entry) => elsewhere(entry, present)),
            (message) => log(`${labelOf({ id, ...(name !== undefined && { name }) })}: ${message}`),
          );
      return { id, ...(name !== undefined && { name }), records };
    }),
  );
}

/** Each account's writes looked up in its audit log, all accounts at once. */
export function confirmAccounts(
  accounts: AccountRecords[],
  targets: AccountTarget[],
  since: Date,
  clocked: Parameters<typeof confirmInAuditLog>[3],
): Promise<AccountRecords[]> {
  return Promise.all(
    accounts.map(async (account, i) => {
      const { records, audit } = await confirmInAuditLog(account.records, targets[i]!.api, since, clocked);
      return { ...account, records, ...(audit && { audit }) };
    }),
  );
}

interface Refusal {
  entry: Identified;
  /** That entry's record: what stopped it. */
  own: Identified;
  /** What every other record says stopped the run. */
  why: string;
}

type Entry = { account: AccountTarget; identified: Identified[] };

function firstRefusal(entries: Entry[]): Refusal | undefined {
  for (const { account, identified } of entries) {
    const entry = identified.find(refuses);
    if (entry) return { entry, own: entry, why: refusedBecauseOf(entry, ` in account ${labelOf(account)}`) };
  }
  return undefined;
}

// Protection goes by the account member record (its id, every email it carries): where one
// account's members could not be read, whether the person there is protected cannot be told.
function unreadWhileProtected(entries: Entry[], plan: AccountsPlan): Refusal | undefined {
  const { ids, emails } = plan.protectedMembers;
  if (ids.size === 0 && emails.size === 0) return undefined;
  for (const { account, identified } of entries) {
    const entry = identified.find(({ identity }) => identity?.kind === 'stopped' && identity.unread === true);
    if (!entry?.problem) continue;
    const where = labelOf(account);
    const message = `${entry.problem.message.replace(/\.?\s*$/, '.')} protected-members: whether the person is protected in account ${where} cannot be told without it, so the run was refused in every account; nothing was removed.`;
    return {
      entry,
      own: { ...entry, problem: { ...entry.problem, message } },
      why: `the members of account ${where} could not be read, and protected-members may name the person there`,
    };
  }
  return undefined;
}

// A member who is protected, or whom the account cannot tell apart, refuses the whole run; an
// account whose members could not be read fails on its own.
function refuses({ problem, identity }: Identified): boolean {
  return problem !== undefined && !(identity?.kind === 'stopped' && identity.unread === true);
}

function presentSomewhere(identified: Identified[]): Set<string> {
  return new Set(
    identified.flatMap(({ plan, identity }) => (identity?.kind === 'member' ? [personKey(plan.member)] : [])),
  );
}

// Where the person is a member of another account, their absence from this one is expected: it
// is not checked against if-not-in-account, and their sessions and tokens here go by address.
function elsewhere(entry: Identified, present: Set<string>): Identified {
  if (!present.has(personKey(entry.plan.member))) return entry;
  return { ...entry, plan: { ...entry.plan, ifNotInAccount: 'skip' } };
}
