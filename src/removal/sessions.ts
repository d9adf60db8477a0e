// The member's Cloudflare Access (Zero Trust) sessions, ended in every application with their email.
// Devices and WARP sessions are not revoked (the email alone is sent). What Cloudflare means by
// answering `false` is not documented: the run does not take it for done.
import type { StepResult } from '../model.js';
import { StoppedError } from '../watchdog.js';
import { problemOf, type RemovalApi } from './api.js';

export const SESSIONS_REVOKE =
  'Access: Organizations Revoke (or Access: Organizations, Identity Providers, and Groups Write)';

export async function settleSessions(api: RemovalApi, email: string, dryRun: boolean): Promise<StepResult> {
  if (dryRun) return { outcome: 'would-revoke' };
  try {
    if (await api.revokeAccessSessions(email)) return { outcome: 'revoked' };
    return {
      outcome: 'failed',
      problem: {
        message: `Cloudflare answered "result: false" to revoking the Access sessions of ${email}, which its documentation does not explain (it may mean there were none); the sessions are not known to be ended: check the user in Cloudflare Zero Trust > Users.`,
      },
    };
  } catch (error) {
    if (error instanceof StoppedError && !error.sent) throw error;
    return {
      outcome: 'failed',
      problem: problemOf(error, `Could not revoke the Access sessions of ${email}: `, '', SESSIONS_REVOKE),
    };
  }
}
