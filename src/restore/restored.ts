// One user group or API token as the restore left it, how the log says so, and how a fault in one
// item's work stays that item's.
import { unexpected, type Problem } from '../model.js';
import { labelOf } from '../identifiers.js';
import { describeStop, StoppedError } from '../watchdog.js';

/** `unknown`: a change was sent, and neither its answer nor a read settled whether it took effect. */
export type RestoreOutcome = 'restored' | 'would-restore' | 'not-needed' | 'failed' | 'unknown';

/** One user group or API token, as this run left it. */
export interface Restored {
  id: string;
  /** As Cloudflare names it, where a read did. */
  name?: string;
  outcome: RestoreOutcome;
  problem?: Problem;
  note?: string;
  /** The `cf-ray` of each answered attempt of the write. */
  rays?: string[];
}

export type Log = (message: string) => void;

/** One item's work; a stop before its write is "not done", any other fault fails that item only. */
export async function settled(id: string, what: string, work: () => Promise<Restored>): Promise<Restored> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StoppedError)
      return {
        id,
        outcome: 'failed',
        problem: {
          message: `Not done: the run stopped (${describeStop(error.reason)}) before this ${what} was restored.`,
        },
      };
    return { id, outcome: 'failed', problem: { message: unexpected(error) } };
  }
}

/** A result line for the log: what, its outcome, and why. */
export function logLine(kind: string, result: Restored): string {
  const about = result.problem ? `: ${result.problem.message}` : result.note ? ` (${result.note})` : '';
  return `${kind} ${labelOf(result)}: ${result.outcome}${about}`;
}
