// The account-owned API tokens a member created (their `creator_email_at_creation`): listed, or
// the active ones disabled. A token without a known creator is never touched, only listed for a
// person to review; the token this run authenticates with is never disabled. Disabling writes the
// token back exactly as read, with status "disabled", and reads it again to confirm: reversible,
// nothing deleted, and token values are never read.
import type { AccountToken } from '../cloudflare/records.js';
import { type TokenMode, type TokensResult, type TokenState } from '../model.js';
import { foldEmail } from '../identifiers.js';
import { StoppedError } from '../watchdog.js';
import { problemOf, type RemovalApi } from './api.js';

export const TOKENS_READ = 'Account API Tokens Read';
export const TOKENS_WRITE = 'Account API Tokens Write';

export async function settleTokens(
  api: RemovalApi,
  email: string,
  mode: Exclude<TokenMode, 'ignore'>,
  dryRun: boolean,
  usesToken: boolean,
): Promise<TokensResult> {
  const needs = mode === 'report' ? TOKENS_READ : TOKENS_WRITE;
  let all: AccountToken[];
  try {
    all = await api.listTokens();
  } catch (error) {
    if (error instanceof StoppedError) throw error;
    return {
      outcome: 'failed',
      problem: problemOf(error, "Could not list the account's API tokens: ", '', TOKENS_READ),
      tokens: [],
      unattributed: [],
    };
  }
  const mine = all.filter((token) => token.creator !== undefined && foldEmail(token.creator) === foldEmail(email));
  const unattributed = all.filter((token) => token.creator === undefined).map(stateOf);
  const active = mine.filter((token) => token.status === 'active');
  if (mode === 'report')
    return { outcome: mine.length > 0 ? 'reported' : 'not-needed', tokens: mine.map(stateOf), unattributed };
  if (active.length === 0) return { outcome: 'not-needed', tokens: mine.map(stateOf), unattributed };
  const idle = mine.filter((token) => token.status !== 'active').map(stateOf);
  if (dryRun)
    return {
      outcome: 'would-disable',
      tokens: [...active.map((t) => ({ ...stateOf(t), outcome: 'would-disable' as const })), ...idle],
      unattributed,
    };
  const own = await ownToken(api, usesToken);
  if (typeof own === 'object') return { outcome: 'failed', problem: own, tokens: mine.map(stateOf), unattributed };
  const done = await Promise.all(active.map((token) => disable(api, token, own, needs)));
  const failed = done.filter((token) => token.outcome !== 'disabled');
  if (failed.length === 0) return { outcome: 'disabled', tokens: [...done, ...idle], unattributed };
  const why = failed.map(
    (token) => `${JSON.stringify(token.name)} (${token.id}): ${token.problem?.message ?? 'not disabled'}`,
  );
  const problem = { message: `Not every token of the member was disabled: ${why.join('; ')}`, needs };
  return { outcome: 'failed', problem, tokens: [...done, ...idle], unattributed };
}

// The run's own token, which must never be disabled: none with a Global API key.
async function ownToken(
  api: RemovalApi,
  usesToken: boolean,
): Promise<string | undefined | { message: string; needs: string }> {
  if (!usesToken) return undefined;
  try {
    const id = await api.ownTokenId();
    if (id !== undefined) return id;
  } catch (error) {
    if (error instanceof StoppedError) throw error;
  }
  return {
    message:
      'Could not tell which token this run authenticates with (neither /accounts/{account_id}/tokens/verify nor /user/tokens/verify answered with its id), so no token was disabled: a run must never disable the token it runs on.',
    needs: TOKENS_WRITE,
  };
}

async function disable(
  api: RemovalApi,
  token: AccountToken,
  own: string | undefined,
  needs: string,
): Promise<TokenState> {
  if (token.id === own) {
    return {
      ...stateOf(token),
      outcome: 'kept',
      problem: {
        message:
          'This is the token this run authenticates with: it is never disabled by the run itself. Disable it by hand, or run with another token.',
      },
    };
  }
  try {
    await api.setTokenStatus(await api.getToken(token.id), 'disabled');
    const after = await api.getToken(token.id);
    if (after.status === 'disabled') return { ...stateOf(after), outcome: 'disabled' };
    return {
      ...stateOf(after),
      outcome: 'failed',
      problem: { message: `The token is still ${JSON.stringify(after.status)} after the update.` },
    };
  } catch (error) {
    if (error instanceof StoppedError && !error.sent) throw error;
    return {
      ...stateOf(token),
      outcome: 'failed',
      problem: problemOf(error, 'Could not disable the token: ', '', needs),
    };
  }
}

function stateOf({ id, name, status }: AccountToken): TokenState {
  return { id, name, status };
}
