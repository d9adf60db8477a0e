// The member the record names, read again before anything is put back: still an account member
// (one who was removed from the account has no member ID left to restore groups to), still the
// person the inputs and the record name, and not protected.
import { foldEmail } from '../identifiers.js';
import type { AccountMember, MemberSelection, Problem, ProtectedMembers } from '../model.js';
import { isNotFound, problemOf } from '../removal/api.js';
import { protectedMatch } from '../removal/identity.js';
import { describeStop, StoppedError } from '../watchdog.js';
import type { RestoreApi, RestorePlan } from './api.js';

export type MemberState =
  /** Still an account member: groups can be restored to them. */
  | { kind: 'present'; member: AccountMember }
  /** No longer an account member: nothing can be restored to this member ID. */
  | { kind: 'gone' }
  /** Not read, or refused (then with the member as read): nothing was changed. */
  | { kind: 'refused'; problem: Problem; member?: AccountMember };

const MEMBERS_READ = 'Account Settings Read';

export async function checkMember(api: RestoreApi, plan: RestorePlan): Promise<MemberState> {
  const { memberId, email } = plan.proven;
  let member: AccountMember;
  try {
    member = await api.getAccountMember(memberId);
  } catch (error) {
    if (isNotFound(error)) return { kind: 'gone' };
    if (error instanceof StoppedError)
      return {
        kind: 'refused',
        problem: {
          message: `Not done: the run stopped (${describeStop(error.reason)}) before it read the member; nothing was restored.`,
        },
      };
    return {
      kind: 'refused',
      problem: problemOf(
        error,
        `Could not read account member ${memberId}, so nothing was restored: `,
        '',
        MEMBERS_READ,
      ),
    };
  }
  const problem =
    (member.id !== memberId
      ? `Reading account member ${memberId} answered with another member (${member.id}); refusing rather than guess who it is. Nothing was restored.`
      : undefined) ??
    anotherEmail(member, plan.wanted, email) ??
    protection(plan.protectedMembers, member);
  return problem !== undefined
    ? { kind: 'refused', problem: { message: problem }, member }
    : { kind: 'present', member };
}

// The member ID must still be the person the inputs and the record name, by email ignoring ASCII case.
function anotherEmail(
  member: AccountMember,
  wanted: MemberSelection,
  recorded: string | undefined,
): string | undefined {
  const has = (email: string) => member.emails.some((address) => foldEmail(address) === foldEmail(email));
  const now = member.emails.length > 0 ? member.emails.join(' and ') : 'no email';
  // Given by id too: a restore gives access back, and whom it gives it to must not be in doubt.
  if (member.emails.length > 1)
    return `The account member record of ${member.id} carries two different emails (${now}), so who it is depends on which one is right; refusing. Nothing was restored.`;
  const expected = wanted.by === 'email' ? wanted.email : recorded;
  if (expected === undefined || has(expected)) return undefined;
  return `Account member ${member.id} now has ${now}, not ${expected} as the ${wanted.by === 'email' ? 'inputs and the record name' : 'record names'}; refusing. Nothing was restored.`;
}

/** Why the member is protected, by ID or by any email they carry. */
export function protectedBy(
  guarded: ProtectedMembers,
  member: Pick<AccountMember, 'id' | 'emails'>,
): string | undefined {
  const match = protectedMatch(guarded, member.id, member.emails);
  if (match === undefined) return undefined;
  return `protected-members: ${match} is protected, and a restore never acts on a protected member; nothing was restored. Take it out of protected-members only if this restore is intended.`;
}

// Protection by what the member record says; a record without an email cannot be checked against protected emails.
function protection(guarded: ProtectedMembers, member: AccountMember): string | undefined {
  const match = protectedBy(guarded, member);
  if (match !== undefined || guarded.emails.size === 0 || member.emails.length > 0) return match;
  return `protected-members: the account member record of ${member.id} has no email, so it cannot be checked against the protected emails; refusing. Protect the member by ID instead.`;
}
