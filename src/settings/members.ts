// Who a run is about: the members given (one, or a list of up to MAX_MEMBERS), and the members
// that must never be removed. Both go by the same ID and address rules.
import { type MemberSelection, type ProtectedMembers } from '../model.js';
import { addressProblem, foldEmail, isEmail, isId, quote } from '../identifiers.js';
import { splitList, type Reader } from './reader.js';

/** Members in one run: enough for a team, few enough for one rate budget. */
const MAX_MEMBERS = 100;

// One member, or a list of them (newlines or commas), by id or by email; two entries that name
// the same member (an id in another case, an email in another ASCII case) are one.
export function readMembers(read: Reader): MemberSelection[] {
  const memberId = read.text('member-id');
  const memberEmail = read.text('member-email');
  if (memberId !== '' && memberEmail !== '') {
    read.refuse('member-id, member-email: give exactly one of them, not both.');
    return [];
  }
  if (memberId === '' && memberEmail === '') {
    read.refuse('member-id: required: give member-id (the account member ID) or member-email.');
    return [];
  }
  const name = memberId !== '' ? 'member-id' : 'member-email';
  const entries = splitList(memberId || memberEmail);
  if (entries.length > MAX_MEMBERS) {
    read.refuse(`${name}: at most ${MAX_MEMBERS} members in one run, got ${entries.length}.`);
    return [];
  }
  if (name === 'member-id') {
    const ids =
      entries.length === 1
        ? [read.id('member-id', entries[0]!)]
        : read.list('member-id', 'a 32-character hexadecimal ID', (id) => (isId(id) ? undefined : ''));
    return [...new Set(ids.map((id) => id.toLowerCase()))].map((id) => ({ by: 'id', id }));
  }
  if (entries.length === 1) {
    const why = addressProblem(entries[0]!);
    if (why !== undefined) {
      read.refuse(`member-email: expected one plain email address (local@domain), got ${quote(entries[0]!)}: ${why}.`);
    }
  } else {
    read.list('member-email', 'plain email addresses (local@domain)', addressProblem);
  }
  const seen = new Set<string>();
  const unique = entries.filter((email) => !seen.has(foldEmail(email)) && seen.add(foldEmail(email)));
  return unique.map((email) => ({ by: 'email', email }));
}

export function readProtected(read: Reader): ProtectedMembers {
  const entries = read.list(
    'protected-members',
    'member IDs (32 hexadecimal characters) or plain email addresses (local@domain)',
    (entry) => (isId(entry) ? undefined : addressProblem(entry)),
  );
  return {
    ids: new Set(entries.filter((entry) => isId(entry)).map((id) => id.toLowerCase())),
    emails: new Set(entries.filter((entry) => !isId(entry) && isEmail(entry)).map(foldEmail)),
  };
}
