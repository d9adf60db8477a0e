// What the run knows of its credentials' rate budget, and the pause a 429 set, as a value; each
// event is a function from one state to the next, so that each can be tried on its own. Cloudflare
// allows 1,200 requests per five minutes per user; past that every call of the same user, the
// dashboard's included, is refused for five minutes, so a spent budget is waited out instead.
import type { Budget } from './budget.js';

/** A reset further away than this is not believed: Cloudflare's window is five minutes. */
export const MAX_WAIT_MS = 300_000;

export interface BudgetState {
  /** Requests left in the window, as the last answer reported it; undefined while unknown. */
  readonly remaining?: number;
  /** When that window resets. */
  readonly resetAt: number;
  /** Requests sent since that report, which it may not count yet. */
  readonly unreported: number;
  /** The window's quota, where reported (for messages only). */
  readonly quota?: number;
  /** Until when every request waits, after a 429. */
  readonly pausedUntil: number;
  /** The reset whose wait the log has already announced. */
  readonly announcedReset: number;
}

export const UNKNOWN_BUDGET: BudgetState = { resetAt: 0, unreported: 0, pausedUntil: 0, announcedReset: 0 };

/** What the next request waits for: a 429 pause, or a spent budget; undefined when neither. */
export interface Blocked {
  until: number;
  reason: 'paused' | 'budget';
}

/** A request was handed out: the last report does not count it yet. */
export function spent(state: BudgetState): BudgetState {
  return { ...state, unreported: state.unreported + 1 };
}

/** An answer reported the budget; the `othersInFlight` requests still out may not be counted in it. */
export function reported(state: BudgetState, budget: Budget, now: number, othersInFlight: number): BudgetState {
  const quota = budget.quota ?? state.quota;
  const withQuota = quota !== undefined ? { ...state, quota } : state;
  if (budget.remaining === undefined) return withQuota;
  const resetMs = (budget.resetSeconds ?? 0) * 1000;
  if (resetMs > MAX_WAIT_MS) return withQuota;
  return { ...withQuota, remaining: budget.remaining, resetAt: now + resetMs, unreported: othersInFlight };
}

/** Once the reported window has reset, what is left is unknown until the next answer says. */
export function expired(state: BudgetState, now: number): BudgetState {
  if (state.remaining === undefined || now < state.resetAt) return state;
  return { ...waitedOut(state), unreported: 0 };
}

/** The budget waited for has reset, though an answer in flight may have moved its announced end a moment. */
export function waitedOut(state: BudgetState): BudgetState {
  return {
    resetAt: state.resetAt,
    unreported: state.unreported,
    pausedUntil: state.pausedUntil,
    announcedReset: state.announcedReset,
    ...(state.quota !== undefined && { quota: state.quota }),
  };
}

export function blocked(state: BudgetState, now: number): Blocked | undefined {
  if (state.pausedUntil > now) return { until: state.pausedUntil, reason: 'paused' };
  if (state.remaining !== undefined && state.remaining - state.unreported <= 0)
    return { until: state.resetAt, reason: 'budget' };
  return undefined;
}

/**
 * A 429 pauses every request: for Retry-After when given and positive; else until the budget's
 * reset where an answer reported one; else for the caller's backoff. Never longer than the window.
 */
export function throttled(
  state: BudgetState,
  { retryAfterMs, backoffMs }: { retryAfterMs?: number; backoffMs: number },
  now: number,
): { state: BudgetState; pausedMs: number } {
  const untilReset = state.resetAt - now;
  const reset = state.remaining !== undefined && untilReset > 0 ? Math.ceil(untilReset / 1000) * 1000 : undefined;
  const asked = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : (reset ?? backoffMs);
  const pausedMs = Math.min(asked, MAX_WAIT_MS);
  return { state: { ...state, pausedUntil: Math.max(state.pausedUntil, now + pausedMs) }, pausedMs };
}

/** The log line for a wait on a spent budget: once per window. */
export function announced(state: BudgetState, now: number, waitMs: number): { state: BudgetState; message?: string } {
  if (now < state.announcedReset) return { state };
  const quota = state.quota !== undefined ? ` of ${state.quota}` : '';
  return {
    state: { ...state, announcedReset: state.resetAt },
    message: `Rate budget: no requests${quota} left in this window for these credentials; waiting ${Math.ceil(waitMs / 1000)} s for it to reset rather than be blocked for five minutes.`,
  };
}
