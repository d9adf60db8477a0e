// The member's Cloudflare Access (Zero Trust) sessions, ended in every application with their email;
// with `devices`, their WARP device registrations and WARP sessions too. What Cloudflare means by
// answering `false` is not documented: the run does not take it for done. No read can tell whether
// a revocation took effect, so one that was sent without a clear answer is unknown.
import { ApiError } from '../cloudflare/api-error.js';
import { withRays, type StepResult } from '../model.js';
import { describeStop, StoppedError } from '../watchdog.js';
import { problemOf, type RemovalApi } from './api.js';

const SESSIONS_REVOKE = 'Access: Organizations Revoke (or Access: Organizations, Identity Providers, and Groups Write)';

export async function settleSessions(
  api: RemovalApi,
  email: string,
  dryRun: boolean,
  devices: boolean,
): Promise<StepResult> {
  const also = devices ? { devices: true as const } : {};
  if (dryRun) return { outcome: 'would-revoke', ...also };
  const check = `check the user in Cloudflare Zero Trust > Users`;
  try {
    const { state, rays, unclear } = await api.revokeAccessSessions(email, devices);
    if (state === 'revoked') return { outcome: 'revoked', ...also, ...withRays(rays) };
    if (state === 'unclear') {
      const message = `Revoking the Access sessions of ${email}: ${unclear ?? 'the answer is unclear'}; whether the sessions were ended is unknown: ${check}.`;
      return { outcome: 'unknown', problem: { message }, ...withRays(rays) };
    }
    return {
      ...withRays(rays),
      outcome: 'failed',
      problem: {
        message: `Cloudflare answered "result: false" to revoking the Access sessions of ${email}, which its documentation does not explain (it may mean there were none); the sessions are not known to be ended: ${check}.`,
      },
    };
  } catch (error) {
    if (error instanceof StoppedError && !error.sent) throw error;
    if (error instanceof StoppedError) {
      const message = `The request to revoke the Access sessions of ${email} was in flight when the run stopped (${describeStop(error.reason)}); whether it took effect is unknown: ${check}.`;
      return { outcome: 'unknown', problem: { message } };
    }
    // No read can settle a revocation: unclear, or refused after an earlier attempt that may have
    // taken effect, it is unknown.
    const unclear =
      error instanceof ApiError &&
      (error.unclear || error.earlierAttemptUncertain || (error.status !== undefined && error.status < 300));
    const before = `Could not revoke the Access sessions of ${email}: `;
    const rays = error instanceof ApiError ? withRays(error.rays) : {};
    if (unclear)
      return {
        ...rays,
        outcome: 'unknown',
        problem: problemOf(error, before, ` Whether it took effect is unknown: ${check}.`, SESSIONS_REVOKE),
      };
    return { ...rays, outcome: 'failed', problem: problemOf(error, before, '', SESSIONS_REVOKE) };
  }
}
