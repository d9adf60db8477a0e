// Which entry of a record the restore may act on, and the proof that the offboarding run wrote it
// as it is: the entry of the account and the person the inputs name, exactly one, with a
// signature that the same record-key gives exactly what it says that run removed and disabled. A
// record passes through workflow inputs, artifacts and comments, so it cannot vouch for itself:
// anything that cannot be checked (no signature, no member id, another account or person, two
// entries for the same person) is refused, never guessed.
import { foldEmail, quote } from '../identifiers.js';
import type { MemberSelection } from '../model.js';
import { signedBy, type Restorable } from '../signature.js';
import type { RecordEntry } from './record-entry.js';

/** What the restore may put back, proven: the member, the groups and tokens that run removed and disabled. */
export interface Proven extends Restorable {
  memberId: string;
  /** Where the entry is in the record. */
  where: string;
  /** What the entry says that run sent without learning the outcome: not signed, never acted on, named for a person to check. */
  unsettled: RecordEntry['unsettled'];
}

export type Proof = { proven: Proven } | { problem: string };

const MAX_NAMED = 5;

export function prove(entries: RecordEntry[], accountId: string, wanted: MemberSelection, key: string): Proof {
  const person = wanted.by === 'id' ? `member ${wanted.id}` : wanted.email;
  const theirs = entries.filter((entry) => isThePerson(entry, wanted));
  if (theirs.length === 0) return { problem: anotherPerson(entries, wanted) };
  const here = theirs.filter((entry) => accountOf(entry) === accountId);
  if (here.length === 0) {
    if (theirs.every((entry) => accountOf(entry) === undefined)) return { problem: unsigned(theirs[0]!, person) };
    const accounts = [...new Set(theirs.map(accountOf).filter((account) => account !== undefined))];
    const one = theirs.length === 1;
    const which = `${one ? 'entry' : 'entries'} for ${person} ${one ? 'is' : 'are'} of account${accounts.length === 1 ? '' : 's'}`;
    return {
      problem: `record: its ${which} ${accounts.slice(0, MAX_NAMED).join(', ')}, not of account ${accountId} (account-id): a record is restored only in the account it was written for.`,
    };
  }
  if (here.length > 1)
    return {
      problem: `record: it has ${here.length} entries for ${person} in account ${accountId} (${here.map((entry) => entry.where).join(', ')}), and a record the action writes has one; refusing to choose.`,
    };
  const entry = here[0]!;
  if (entry.memberId === undefined)
    return {
      problem: `record: its entry for ${person} (${entry.where}) names no member ID: that run found no such member in account ${accountId}, so it removed nothing there to restore.`,
    };
  if (entry.signature === undefined) return { problem: unsigned(entry, person) };
  const restorable: Restorable = {
    account: accountId,
    memberId: entry.memberId,
    ...(entry.email !== undefined && { email: entry.email }),
    removedGroups: entry.removedGroups,
    disabledTokens: entry.disabledTokens,
    at: entry.signature.at,
  };
  if (entry.signature.account !== accountId || !signedBy(key, restorable, entry.signature.value))
    return {
      problem: `record: the signature of its entry for ${person} (${entry.where}) does not match what the entry says: it was changed after the offboarding run wrote it (a group, a token, the member or the account), or record-key is not the secret that run signed it with. Nothing in it can be trusted, so nothing is restored.`,
    };
  return { proven: { ...restorable, memberId: entry.memberId, where: entry.where, unsettled: entry.unsettled } };
}

// The person the inputs name: by member ID, or by email ignoring ASCII case only.
function isThePerson(entry: RecordEntry, wanted: MemberSelection): boolean {
  if (wanted.by === 'id') return entry.memberId === wanted.id.toLowerCase();
  return entry.email !== undefined && foldEmail(entry.email) === foldEmail(wanted.email);
}

// The account the record files the entry under, else the one its signature names.
function accountOf(entry: RecordEntry): string | undefined {
  return entry.account ?? entry.signature?.account;
}

function unsigned(entry: RecordEntry, person: string): string {
  return `record: its entry for ${person} (${entry.where}) has no signature, so nothing in it can be checked: the offboarding run had no record-key, or the signature was taken out. A restore acts only on a signed record; put back by hand what that run removed (its summary lists it).`;
}

function anotherPerson(entries: RecordEntry[], wanted: MemberSelection): string {
  const named = [
    ...new Set(
      entries.map((entry) => (entry.email !== undefined ? quote(entry.email) : (entry.memberId ?? '(no one)'))),
    ),
  ];
  const input = wanted.by === 'id' ? `member-id ${wanted.id}` : `member-email ${wanted.email}`;
  if (named.length === 0) return `record: it names no member at all, so it holds nothing for ${input}.`;
  const shown = named.slice(0, MAX_NAMED).join(', ');
  const more = named.length > MAX_NAMED ? ` and ${named.length - MAX_NAMED} more` : '';
  const by = wanted.by === 'id' ? ' (the account member ID, as the record names it)' : '';
  return `record: it is about ${shown}${more}, not ${input}${by}: a record restores only the person it was written for.`;
}
