// The API tokens the offboarding disabled, each set back to active exactly as it disabled them:
// read the token, write it back with every writable field as read and status "active", read it
// again to confirm. A token deleted since cannot come back; one that expired since needs a new
// date, which is a person's choice; one active already is left alone; the token this run uses is
// never written. A PUT that was sent and not settled is `unknown`, never "not done".
import type { AccountToken } from '../cloudflare/records.js';
import { ApiError } from '../cloudflare/api-error.js';
import { messageOf, withRays, type Problem } from '../model.js';
import { isNotFound, problemOf } from '../removal/api.js';
import { ownToken, TOKENS_READ, TOKENS_WRITE } from '../removal/tokens.js';
import { describeStop, StoppedError } from '../watchdog.js';
import type { RestoreApi } from './api.js';
import { logLine, settled, type Log, type Restored } from './restored.js';

const WHERE = 'Manage Account > Account API Tokens';

export async function restoreTokens(
  api: RestoreApi,
  tokenIds: string[],
  dryRun: boolean,
  usesToken: boolean,
  log: Log,
): Promise<Restored[]> {
  if (tokenIds.length === 0) return [];
  // Without the run's own token's id the restore goes on (the run's own token is active, or the
  // run could not run); a stop here is said by each token's read.
  const own = usesToken && !dryRun ? (await ownToken(api).catch(() => undefined))?.id : undefined;
  return Promise.all(
    tokenIds.map(async (id) => {
      const result = await settled(id, 'token', () => restoreToken(api, id, own, dryRun));
      log(logLine('API token', result));
      return result;
    }),
  );
}

async function restoreToken(api: RestoreApi, id: string, own: string | undefined, dryRun: boolean): Promise<Restored> {
  let read: AccountToken;
  try {
    read = await api.getToken(id);
  } catch (error) {
    if (error instanceof StoppedError) throw error;
    if (isNotFound(error))
      return {
        id,
        outcome: 'failed',
        problem: problemOf(
          error,
          '',
          ` The token was deleted since the offboarding, and a deleted token cannot come back: create a new one under ${WHERE} if it is still needed.`,
        ),
      };
    return { id, outcome: 'failed', problem: problemOf(error, 'Could not read the token: ', '', TOKENS_READ) };
  }
  if (read.id !== id)
    return {
      id,
      outcome: 'failed',
      problem: { message: `Reading the token answered with another token (${read.id}); nothing was written to it.` },
    };
  const named = { id, name: read.name };
  if (read.status === 'active') return { ...named, outcome: 'not-needed', note: 'the token is active already' };
  if (read.status === 'expired')
    return {
      ...named,
      outcome: 'failed',
      problem: {
        message: `The token has expired since the offboarding; making it active again needs a new expiry date, which is for a person to choose: edit it under ${WHERE}.`,
      },
    };
  if (read.status !== 'disabled')
    return {
      ...named,
      outcome: 'failed',
      problem: {
        message: `The token's status is ${JSON.stringify(read.status)}, not "disabled"; nothing was written to it.`,
      },
    };
  if (dryRun) return { ...named, outcome: 'would-restore' };
  if (id === own)
    return {
      ...named,
      outcome: 'failed',
      problem: {
        message:
          'This is the token this run authenticates with: a run never writes to its own token. Set it active by hand.',
      },
    };
  let rays: string[];
  try {
    const answer = await api.setTokenStatus(read, 'active');
    rays = answer.rays;
    if (answer.token.id !== id)
      return {
        ...(await confirm(api, named, `the update answered with another token (${answer.token.id})`)),
        ...withRays(rays),
      };
  } catch (error) {
    if (error instanceof StoppedError && error.sent)
      return unknown(named, `the update was in flight when the run stopped (${describeStop(error.reason)})`);
    // Unclear, or refused after an earlier attempt that may have taken effect: a read settles it.
    if (error instanceof ApiError && (error.unclear || error.earlierAttemptUncertain))
      return {
        ...(await confirm(api, named, `the update failed unclearly: ${error.message.replace(/\.$/, '')}`)),
        ...withRays(error.rays),
      };
    if (error instanceof StoppedError) throw error;
    const rejected = error instanceof ApiError ? withRays(error.rays) : {};
    return {
      ...named,
      ...rejected,
      outcome: 'failed',
      problem: problemOf(error, 'Could not set the token active: ', '', TOKENS_WRITE),
    };
  }
  return { ...(await confirm(api, named)), ...withRays(rays) };
}

// The read after the update settles it: active, still not, or (no read) unknown.
async function confirm(api: RestoreApi, named: Pick<Restored, 'id' | 'name'>, unclear?: string): Promise<Restored> {
  const sent = unclear !== undefined ? `${unclear}, and` : 'the update was answered, but';
  let after: AccountToken;
  try {
    after = await api.getToken(named.id);
  } catch (error) {
    const why =
      error instanceof StoppedError
        ? `the run stopped (${describeStop(error.reason)}) before a read confirmed it`
        : `the read to confirm it failed: ${messageOf(error)}`;
    return unknown(named, `${sent} ${why}`);
  }
  if (after.id !== named.id)
    return unknown(named, `${sent} the read to confirm it answered with another token (${after.id})`);
  if (after.status === 'active') return { ...named, name: after.name, outcome: 'restored' };
  const problem: Problem = {
    message: `${unclear !== undefined ? `${unclear}; ` : ''}the token is still ${JSON.stringify(after.status)} after the update.`,
    needs: TOKENS_WRITE,
  };
  return { ...named, outcome: 'failed', problem };
}

function unknown(named: Pick<Restored, 'id' | 'name'>, why: string): Restored {
  return {
    ...named,
    outcome: 'unknown',
    problem: { message: `Whether the token is active again is unknown: ${why}. Check it under ${WHERE}.` },
  };
}
