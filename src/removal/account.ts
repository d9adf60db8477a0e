// The account membership, ended last, after every group was settled: the hardest step to undo.
// Never the last accepted Super Administrator, so that the account cannot be locked out. An answer
// that is not a plain "removed" is settled by reading the member: gone means removed.
import { ApiError } from '../cloudflare/transport.js';
import { messageOf, type AccountMember, type StepResult } from '../model.js';
import { StoppedError } from '../watchdog.js';
import { isNotFound, problemOf, type RemovalApi } from './api.js';

export const ACCOUNT_WRITE = 'Account Settings Write (or SCIM Provisioning)';

/** `leaving`: the other members this run removes from the account, who cannot be counted on to remain. */
export async function settleAccount(
  api: RemovalApi,
  member: AccountMember,
  dryRun: boolean,
  leaving: ReadonlySet<string> = new Set(),
): Promise<StepResult> {
  const guard = await lastSuperAdministrator(api, member, leaving);
  if (guard) return guard;
  if (dryRun) return { outcome: 'would-remove' };
  try {
    const answer = await api.removeAccountMember(member.id);
    if (answer.removed) return { outcome: 'removed' };
    return settleByRead(api, member.id, `DELETE answered ${answer.unclear}`);
  } catch (error) {
    if (error instanceof StoppedError) throw error;
    if (error instanceof ApiError && (error.unclear || error.status === 400 || error.status === 404)) {
      return settleByRead(api, member.id, error.message.replace(/\.$/, ''), error.unclear ? undefined : error);
    }
    return {
      outcome: 'failed',
      problem: problemOf(error, 'Could not remove the member from the account: ', '', ACCOUNT_WRITE),
    };
  }
}

// Gone means removed after an unclear answer, and "not needed" after a refusal; still there, failed.
async function settleByRead(api: RemovalApi, id: string, why: string, refused?: ApiError): Promise<StepResult> {
  try {
    const read = await api.getAccountMember(id);
    if (read.id !== id) throw new Error(`the read answered with another member (${read.id})`);
  } catch (error) {
    if (isNotFound(error) && refused === undefined)
      return {
        outcome: 'removed',
        note: `the answer was unclear (${why}); a read shows the member is no longer in the account`,
      };
    if (isNotFound(error))
      return {
        outcome: 'not-needed',
        note: `the removal was refused (${why}), and a read shows the member is no longer in the account`,
      };
    const after =
      error instanceof StoppedError
        ? 'the run stopped before a read could settle it'
        : `a read to settle it failed: ${messageOf(error)}`;
    return {
      outcome: 'failed',
      problem: { message: `The answer to the account removal was unclear (${why}), and ${after}; check the member.` },
    };
  }
  const base = refused ? problemOf(refused, '', '', ACCOUNT_WRITE) : { message: why, needs: ACCOUNT_WRITE };
  return {
    outcome: 'failed',
    problem: { ...base, message: `${base.message.replace(/\.$/, '')}. The member is still in the account.` },
  };
}

const SUPER_ADMIN = /super administrator/i;

function isSuperAdministrator(member: AccountMember): boolean {
  const roles = member.roles ?? [];
  const groups = (member.policies ?? []).flatMap((policy) => (policy.access === 'deny' ? [] : policy.permissionGroups));
  return [...roles, ...groups].some((name) => SUPER_ADMIN.test(name));
}

// Refuses when the member is a Super Administrator and no other accepted member, who stays, is one.
async function lastSuperAdministrator(
  api: RemovalApi,
  member: AccountMember,
  leaving: ReadonlySet<string>,
): Promise<StepResult | undefined> {
  if (!isSuperAdministrator(member)) return undefined;
  let members: AccountMember[];
  try {
    members = await api.listAccountMembers();
  } catch (error) {
    if (error instanceof StoppedError) throw error;
    return {
      outcome: 'failed',
      problem: problemOf(
        error,
        'The member is a Super Administrator, and the account members could not be listed to check that another one remains: ',
      ),
    };
  }
  const stays = (other: AccountMember) => other.id !== member.id && !leaving.has(other.id);
  if (members.some((other) => stays(other) && other.status === 'accepted' && isSuperAdministrator(other)))
    return undefined;
  const who = member.email ?? member.id;
  const why =
    leaving.size === 0
      ? `${who} is the only accepted Super Administrator of the account`
      : `${who} is a Super Administrator, and no accepted member outside those this run removes is one`;
  return {
    outcome: 'failed',
    problem: {
      message: `${why}: removing them would lock the account out, so the membership was kept. Make another member Super Administrator first, then run again.`,
    },
  };
}
