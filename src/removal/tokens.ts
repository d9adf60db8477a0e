// The account-owned API tokens a member created (their `creator_email_at_creation`): listed, or
// the active ones disabled. A token without a creator that is a plain address is never touched,
// only listed for a person to review; the token this run authenticates with is never disabled.
// Disabling reads the token, writes it back exactly as read with status "disabled", and reads it
// again to confirm: reversible, nothing deleted, and token values are never read. A write that
// was sent is never reported as not done: the read after it settles it, or it is unknown.
import type { AccountToken } from '../cloudflare/records.js';
import { ApiError } from '../cloudflare/api-error.js';
import { foldEmail, isEmail, isId, labelOf } from '../identifiers.js';
import { mayBeActive, withRays, type Problem, type TokenMode, type TokensResult, type TokenState } from '../model.js';
import { describeStop, StoppedError } from '../watchdog.js';
import { problemOf, type RemovalApi } from './api.js';

/** The permissions the token steps take, as the report names them. */
export const TOKENS_READ = 'Account API Tokens Read';
export const TOKENS_WRITE = 'Account API Tokens Write';

export async function settleTokens(
  api: RemovalApi,
  email: string,
  mode: Exclude<TokenMode, 'ignore'>,
  dryRun: boolean,
  usesToken: boolean,
): Promise<TokensResult> {
  let all: AccountToken[];
  try {
    all = await api.listTokens();
  } catch (error) {
    if (error instanceof StoppedError) throw error;
    const problem = problemOf(error, "Could not list the account's API tokens: ", '', TOKENS_READ);
    return { outcome: 'failed', problem, checked: false, found: { read: false } };
  }
  const own = usesToken ? await ownToken(api) : undefined;
  if (own?.owner === 'account' && !all.some((token) => token.id === own.id)) {
    const message =
      "The account's token listing does not show the token this run authenticates with, so it is not the account's whole list (a token that may list only the tokens its own creator made sees no others): the member's tokens are not known. Give the token Account API Tokens Read.";
    return { outcome: 'failed', problem: { message, needs: TOKENS_READ }, checked: false, found: { read: false } };
  }
  const attributed = (token: AccountToken) => token.creator !== undefined && isEmail(token.creator);
  const mine = all.filter((token) => attributed(token) && foldEmail(token.creator!) === foldEmail(email));
  const unattributed = all.filter((token) => !attributed(token)).map(stateOf);
  const found = (tokens: TokenState[]) => ({ read: true, items: { tokens, unattributed } }) as const;
  const active = mine.filter((token) => mayBeActive(token.status));
  const idle = mine.filter((token) => !mayBeActive(token.status)).map(stateOf);
  if (mode === 'report')
    return { outcome: mine.length > 0 ? 'reported' : 'not-needed', found: found(mine.map(stateOf)) };
  if (active.length === 0) return { outcome: 'not-needed', found: found(idle) };
  if (dryRun) {
    const would = active.map((token) => ({ ...stateOf(token), outcome: 'would-disable' as const }));
    return { outcome: 'would-disable', found: found([...would, ...idle]) };
  }
  if (usesToken && own === undefined)
    return { outcome: 'failed', problem: UNKNOWN_OWN_TOKEN, found: found(mine.map(stateOf)) };
  const done = await Promise.all(active.map((token) => disable(api, token, own?.id)));
  return { ...stepOutcome(done), found: found([...done, ...idle]) };
}

// The step fails when a token failed, is unknown when a change was sent and not settled, and is
// done when every active token was disabled; not needed when each turned out inactive when read.
// Its problem names each token that was not disabled.
function stepOutcome(done: TokenState[]): Pick<TokensResult, 'outcome' | 'problem'> {
  const acted = done.filter((token) => token.outcome !== undefined);
  if (acted.length === 0) return { outcome: 'not-needed' };
  const left = acted.filter((token) => token.outcome !== 'disabled');
  if (left.length === 0) return { outcome: 'disabled' };
  const outcome = left.some((token) => token.outcome === 'failed' || token.outcome === 'kept') ? 'failed' : 'unknown';
  const why = left.map((token) => `${labelOf(token)}: ${token.problem?.message ?? 'not disabled'}`);
  const refused = left.find((token) => token.problem?.status === 401 || token.problem?.status === 403);
  const problem: Problem = {
    message: `Not every token of the member was disabled: ${why.join('; ')}`,
    needs: TOKENS_WRITE,
    ...(refused?.problem?.status !== undefined && { status: refused.problem.status }),
  };
  return { outcome, problem };
}

// The run's own token, which must never be disabled, and whose account-owned listing must show
// it. Its id is compared ignoring case; an answer that is not an id tells nothing (undefined).
export async function ownToken(
  api: Pick<RemovalApi, 'ownToken'>,
): Promise<{ id: string; owner: 'account' | 'user' } | undefined> {
  try {
    const own = await api.ownToken();
    if (own !== undefined && isId(own.id)) return { ...own, id: own.id.toLowerCase() };
  } catch (error) {
    if (error instanceof StoppedError) throw error;
  }
  return undefined;
}

const UNKNOWN_OWN_TOKEN: Problem = {
  message:
    'Could not tell which token this run authenticates with (neither /accounts/{account_id}/tokens/verify nor /user/tokens/verify answered with its id), so no token was disabled: a run must never disable the token it runs on.',
  needs: TOKENS_WRITE,
};

/** One token disabled: read, written back with status disabled, read again. Never throws. */
async function disable(api: RemovalApi, token: AccountToken, own: string | undefined): Promise<TokenState> {
  const state = stateOf(token);
  if (token.id === own) {
    const message =
      'This is the token this run authenticates with: it is never disabled by the run itself. Disable it by hand, or run with another token.';
    return { ...state, outcome: 'kept', problem: { message } };
  }
  let read: AccountToken;
  try {
    read = await api.getToken(token.id);
  } catch (error) {
    return { ...state, outcome: 'failed', problem: notWritten(error, 'Could not read the token: ') };
  }
  if (read.id !== token.id) {
    const message = `Reading the token answered with another token (${read.id}); nothing was written to it.`;
    return { ...state, outcome: 'failed', problem: { message } };
  }
  // Disabled or expired since the listing (by someone else): nothing for this run to do or to undo.
  if (!mayBeActive(read.status)) return stateOf(read);
  let rays: string[];
  try {
    const answer = await api.setTokenStatus(read, 'disabled');
    rays = answer.rays;
    if (answer.token.id !== token.id)
      return withRaysOf(await confirm(api, state, `the update answered with another token (${answer.token.id})`), rays);
  } catch (error) {
    if (error instanceof StoppedError && error.sent) return unknown(state, `the update ${inFlight(error)}`);
    // Unclear, or refused after an earlier attempt that may have taken effect: a read settles it.
    if (error instanceof ApiError && (error.unclear || error.earlierAttemptUncertain)) {
      const settled = await confirm(api, state, `the update failed unclearly: ${error.message.replace(/\.$/, '')}`);
      return withRaysOf(settled, error.rays);
    }
    const rejected = error instanceof ApiError ? withRays(error.rays) : {};
    return { ...state, ...rejected, outcome: 'failed', problem: notWritten(error, 'Could not disable the token: ') };
  }
  return withRaysOf(await confirm(api, state), rays);
}

function withRaysOf(state: TokenState, rays: readonly string[]): TokenState {
  return { ...state, ...withRays(rays) };
}

// The read after the update settles it: disabled, still active, or (no read) unknown.
async function confirm(api: RemovalApi, state: TokenState, unclear?: string): Promise<TokenState> {
  const sent = unclear ? `${unclear}, and` : 'the update was answered, but';
  let after: AccountToken;
  try {
    after = await api.getToken(state.id);
  } catch (error) {
    const why =
      error instanceof StoppedError
        ? `the run stopped (${describeStop(error.reason)}) before a read confirmed it`
        : `the read to confirm it failed: ${error instanceof Error ? error.message : String(error)}`;
    return unknown(state, `${sent} ${why}`);
  }
  if (after.id !== state.id)
    return unknown(state, `${sent} the read to confirm it answered with another token (${after.id})`);
  if (after.status === 'disabled') return { ...stateOf(after), outcome: 'disabled' };
  const message = `${unclear ? `${unclear}; ` : ''}the token is still ${JSON.stringify(after.status)} after the update.`;
  return { ...stateOf(after), outcome: 'failed', problem: { message, needs: TOKENS_WRITE } };
}

function unknown(state: TokenState, why: string): TokenState {
  return {
    ...state,
    outcome: 'unknown',
    problem: {
      message: `Whether the token was disabled is unknown: ${why}. Check it under Manage Account > Account API Tokens.`,
    },
  };
}

function inFlight(error: StoppedError): string {
  return `was in flight when the run stopped (${describeStop(error.reason)})`;
}

// A failure before anything was written: the run stopped, or the request was refused.
function notWritten(error: unknown, before: string): Problem {
  if (error instanceof StoppedError)
    return { message: `Not done: the run stopped (${describeStop(error.reason)}) before this token was disabled.` };
  return problemOf(error, before, '', TOKENS_WRITE);
}

function stateOf({ id, name, status }: AccountToken): TokenState {
  return { id, name, status };
}
