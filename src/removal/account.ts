// The account membership, ended last, after every group was settled: the hardest step to undo.
// Never the last Super Administrator, so that the account cannot be locked out. An answer that is
// not a plain "removed" is settled by reading the member: gone means removed; a DELETE that was
// sent and that no read settled is unknown, never "not done".
import { ApiError } from '../cloudflare/api-error.js';
import { messageOf, withRays, type AccountMember, type StepResult } from '../model.js';
import { describeStop, StoppedError } from '../watchdog.js';
import { isNotFound, problemOf, type RemovalApi } from './api.js';
import type { LastSuperAdminGuard } from './last-super-admin.js';

const ACCOUNT_WRITE = 'Account Settings Write (or SCIM Provisioning)';

export async function settleAccount(
  api: RemovalApi,
  member: AccountMember,
  dryRun: boolean,
  guard: LastSuperAdminGuard,
): Promise<StepResult> {
  const refusal = await guard.accountRemoval({ id: member.id, accountMember: member });
  if (refusal) return { outcome: 'failed', problem: refusal };
  if (dryRun) return { outcome: 'would-remove' };
  try {
    const answer = await api.removeAccountMember(member.id);
    if (answer.removed) return { outcome: 'removed', ...withRays(answer.rays) };
    return { ...(await settleByRead(api, member.id, `DELETE answered ${answer.unclear}`)), ...withRays(answer.rays) };
  } catch (error) {
    if (error instanceof StoppedError && !error.sent) throw error;
    if (error instanceof StoppedError)
      return unknown(`the DELETE was in flight when the run stopped (${describeStop(error.reason)})`);
    // Refused with 400 or 404, or after an earlier attempt that may have taken effect: a read settles it.
    const settles = error instanceof ApiError && (error.status === 400 || error.status === 404);
    if (error instanceof ApiError && (error.unclear || settles || error.earlierAttemptUncertain)) {
      const settled = await settleByRead(
        api,
        member.id,
        error.message.replace(/\.$/, ''),
        error.unclear ? undefined : error,
      );
      return { ...settled, ...withRays(error.rays) };
    }
    return {
      outcome: 'failed',
      problem: problemOf(error, 'Could not remove the member from the account: ', '', ACCOUNT_WRITE),
    };
  }
}

// Gone means removed after an unclear answer, or after a refusal that an earlier attempt without
// a clear answer may explain; gone after a plain refusal means it was not needed; still there,
// failed; no read, unknown.
async function settleByRead(api: RemovalApi, id: string, why: string, refused?: ApiError): Promise<StepResult> {
  try {
    const read = await api.getAccountMember(id);
    if (read.id !== id) throw new Error(`the read answered with another member (${read.id})`);
  } catch (error) {
    if (isNotFound(error) && (refused === undefined || refused.earlierAttemptUncertain))
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
        ? `the run stopped (${describeStop(error.reason)}) before a read could settle it`
        : `a read to settle it failed: ${messageOf(error)}`;
    if (refused !== undefined && !refused.earlierAttemptUncertain)
      return { outcome: 'failed', problem: problemOf(refused, '', ` ${after}; check the member.`, ACCOUNT_WRITE) };
    return unknown(`the answer to the DELETE was unclear (${why}), and ${after}`);
  }
  const base = refused ? problemOf(refused, '', '', ACCOUNT_WRITE) : { message: why, needs: ACCOUNT_WRITE };
  return {
    outcome: 'failed',
    problem: { ...base, message: `${base.message.replace(/\.$/, '')}. The member is still in the account.` },
  };
}

function unknown(why: string): StepResult {
  return {
    outcome: 'unknown',
    problem: {
      message: `Whether the member was removed from the account is unknown: ${why}. Check Manage Account > Members.`,
    },
  };
}
