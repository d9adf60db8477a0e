// Who the member is, settled once, exactly, before any DELETE: the account member with the given
// id, or the one whose email equals the given email ignoring ASCII case only; never a guess.
import { type AccountMember, type MemberSelection, type Problem, type ProtectedMembers } from '../model.js';
import { foldEmail } from '../identifiers.js';
import { isNotFound, problemOf, type RemovalApi, type RemovalPlan } from './api.js';

export type Identity = (
  | /** The member to remove, with the account member record where it was read. */
    { kind: 'member'; id: string; accountMember?: AccountMember }
    /** No member of the account is the one given: what to tell the admin. */
  | { kind: 'absent'; notInAccount: string }
  /** The run must not go on: refused (protection, a member it cannot tell apart), or `unread` (a read failed). */
  | { kind: 'stopped'; problem: Problem; accountMember?: AccountMember; unread?: true }
) & { warnings?: string[] };

/**
 * Whether the run reads the account: with member-email always; with member-id only where a lookup
 * happens anyway, or a later step needs the record, so the common case stays one request.
 */
export function readsTheAccount(plan: RemovalPlan): boolean {
  const { member, groups, dryRun, protectedMembers } = plan;
  const later = plan.removeFromAccount || plan.revokeSessions || plan.memberTokens !== 'ignore';
  // Groups by name are read by name anyway, and so checked against the last Super Administrator.
  return member.by === 'email' || groups.by !== 'id' || dryRun || protectedMembers.emails.size > 0 || later;
}

export async function settleIdentity(plan: RemovalPlan, api: RemovalApi): Promise<Identity> {
  const given = plan.member;
  if (!readsTheAccount(plan) && given.by === 'id') return { kind: 'member', id: given.id };
  const found = given.by === 'id' ? await readById(api, given.id) : await findByEmail(plan, api, given.email);
  const warnings = found.warnings ?? [];
  if (found.kind === 'absent') {
    return { kind: 'absent', notInAccount: notInAccount(plan.accountId, given), warnings };
  }
  if (found.kind === 'stopped') return { ...found, warnings };
  const record = found.member;
  const guarded = plan.protectedMembers;
  // Protection first: of all the refusals, it is the one the admin must hear about.
  const byEmail = given.by === 'email' && record.emails.length > 1 ? twoEmails(record) : undefined;
  const problem = protection(guarded, record.id, record.emails) ?? unknownEmail(guarded, record) ?? byEmail;
  if (problem) return { kind: 'stopped', problem, accountMember: record, warnings };
  return { kind: 'member', id: record.id, accountMember: record, warnings };
}

type Found = (
  { kind: 'member'; member: AccountMember } | { kind: 'absent' } | { kind: 'stopped'; problem: Problem; unread?: true }
) & { warnings?: string[] };

async function readById(api: RemovalApi, id: string): Promise<Found> {
  let read: AccountMember;
  try {
    read = await api.getAccountMember(id);
  } catch (error) {
    if (isNotFound(error)) return { kind: 'absent' };
    return {
      kind: 'stopped',
      problem: problemOf(error, `Could not read account member ${id} to settle who the member is: `),
      unread: true,
    };
  }
  if (read.id !== id) {
    const message = `Reading account member ${id} answered with another member (${read.id}); refusing rather than guess who the member is.`;
    return { kind: 'stopped', problem: { message } };
  }
  return { kind: 'member', member: read };
}

async function findByEmail(plan: RemovalPlan, api: RemovalApi, email: string): Promise<Found> {
  const { accountId } = plan;
  let members: AccountMember[];
  try {
    members = await api.listAccountMembers();
  } catch (error) {
    return {
      kind: 'stopped',
      problem: problemOf(error, `Could not list the members of account ${accountId} to find ${email}: `),
      unread: true,
    };
  }
  const warnings = unmatchedProtected(plan.protectedMembers, members).map(
    (address) => `protected-members: no member of account ${accountId} has the email ${address}; check it for a typo.`,
  );
  return { ...matchEmail(accountId, members, email), warnings };
}

function matchEmail(accountId: string, members: AccountMember[], email: string): Found {
  const unknown = members.filter((m) => m.emails.length === 0);
  if (unknown.length > 0) {
    const examples = unknown
      .slice(0, 3)
      .map((m) => m.id)
      .join(', ');
    const count = `${unknown.length} member${unknown.length === 1 ? '' : 's'}`;
    const message = `The member list of account ${accountId} has ${count} without an email (${examples}), so it cannot tell whether ${email} is among them; refusing. Use member-id.`;
    return { kind: 'stopped', problem: { message } };
  }
  const wanted = foldEmail(email);
  const matches = members.filter((m) => m.emails.some((address) => foldEmail(address) === wanted));
  if (matches.length > 1) {
    const ids = matches.map((m) => m.id).join(', ');
    const message = `${matches.length} members of account ${accountId} have the email ${email} (${ids}); refusing to guess: use member-id.`;
    return { kind: 'stopped', problem: { message } };
  }
  return matches[0] ? { kind: 'member', member: matches[0] } : { kind: 'absent' };
}

function twoEmails(record: AccountMember): Problem {
  return {
    message: `The account member record of ${record.id} carries two different emails (${record.emails.join(' and ')}), so who it is depends on which one is right; refusing. Check the member in the Cloudflare dashboard, then use member-id.`,
  };
}

// The protected emails that no member of the account has: likely typos.
function unmatchedProtected(guarded: ProtectedMembers, members: AccountMember[]): string[] {
  const known = new Set(members.flatMap((m) => m.emails.map(foldEmail)));
  return [...guarded.emails].filter((email) => !known.has(email));
}

/** The email (any the member carries) or the id by which the member is protected; undefined when neither is. */
export function protectedMatch(
  guarded: ProtectedMembers,
  id: string | undefined,
  emails: string[],
): string | undefined {
  const email = emails.find((address) => guarded.emails.has(foldEmail(address)));
  return email ?? (id !== undefined && guarded.ids.has(id) ? id : undefined);
}

/** A problem when the member (by id, or by any email it carries) is protected. */
export function protection(guarded: ProtectedMembers, id: string | undefined, emails: string[]): Problem | undefined {
  const match = protectedMatch(guarded, id, emails);
  if (match === undefined) return undefined;
  return {
    message: `protected-members: ${match} is protected and is never removed; nothing was removed. Take it out of protected-members only if this removal is intended.`,
  };
}

function unknownEmail(guarded: ProtectedMembers, record: AccountMember): Problem | undefined {
  if (guarded.emails.size === 0 || record.emails.length > 0) return undefined;
  return {
    message: `protected-members: the account member record of ${record.id} has no email, so it cannot be checked against the protected emails; refusing. Remove the emails from protected-members, or protect the member by id.`,
  };
}

// A user's own ID (GET /user) is 32 hexadecimal characters too: it passes the input checks and
// only shows here, as an ID that no member has.
export function notInAccount(accountId: string, given: MemberSelection): string {
  const gone = 'if they already left the account, there is nothing to remove.';
  if (given.by === 'email')
    return `No member of account ${accountId} has the email ${given.email}: check for a typo; ${gone}`;
  return `No member of account ${accountId} has the ID ${given.id}: check for a typo, and that member-id holds the account member ID (the id in the account's member list: Manage Account > Members, or GET /accounts/${accountId}/members), not the user's own ID (from My Profile or GET /user); ${gone}`;
}

/** Whether the member is in the account, read once when a refused DELETE is the first sign that they may not be. */
export async function stillInAccount(api: RemovalApi, id: string): Promise<boolean> {
  try {
    return (await api.getAccountMember(id)).id === id;
  } catch (error) {
    return !isNotFound(error);
  }
}
