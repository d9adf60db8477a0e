// Every GitHub call is bounded: it gets a signal that aborts it after `ms`, and a call that
// ignores its signal is ended all the same.
import { messageOf } from '../model.js';

export type Bounded = <T>(call: (signal: AbortSignal) => Promise<T>) => Promise<T>;

export function bounded(ms: number): Bounded {
  return (call) => withTimeout(ms, call);
}

async function withTimeout<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      reject(new Error(`no answer within ${ms / 1000} s (timeout-seconds)`));
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } catch (error) {
    if (timedOut) throw new Error(`no answer within ${ms / 1000} s (timeout-seconds)`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A GitHub error, for a message: its HTTP status where it has one. */
export function describeGitHubError(error: unknown): string {
  const status = (error as { status?: number } | undefined)?.status;
  return status ? `HTTP ${status}: ${messageOf(error)}` : messageOf(error);
}

export function statusOf(error: unknown): number | undefined {
  return (error as { status?: number } | undefined)?.status;
}
