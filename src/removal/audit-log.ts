// After the writes, proof from Cloudflare's side: each write looked up in the account's audit log
// by the ray ids of its answers, polling with backoff for at most a minute, no request waiting past
// it (how fast an entry appears is undocumented, and the log may miss some), and recorded as
// confirmed or not yet seen; a write whose answers carried no ray id cannot be confirmed. Not yet
// seen is no failure; a query that is refused or fails leaves the writes unchecked, and the check
// says why, naming the permission.
import { normalRay } from '../cloudflare/audit-client.js';
import type { AuditState, Problem } from '../model.js';
import { StoppedError } from '../watchdog.js';
import { ApiError } from '../cloudflare/api-error.js';
import { problemOf, type RemovalApi } from './api.js';
import type { RemovalRecord } from './removal.js';

/** The audit log's answer for one account: how many writes it confirmed of those looked up, or why it could not. */
export interface AuditCheck {
  /** The changes looked up: every write that took effect or may have. */
  writes: number;
  confirmed: number;
  /** Of the writes, those whose answers carried no ray id to look them up by. */
  rayless: number;
  /** The run stopped while the check waited: it looked for less than its minute. */
  stopped?: true;
  problem?: Problem;
}

/** At most this long, from the first look, for the entries to appear. */
const PATIENCE_MS = 60_000;
const FIRST_WAIT_MS = 2_000;
const AUDIT_READ = 'Account Settings Read (the audit log)';

interface Clocked {
  now: () => number;
  /** Waits, unless the run stops (then it throws). */
  wait: (ms: number) => Promise<void>;
}

export async function confirmInAuditLog(
  records: RemovalRecord[],
  api: RemovalApi,
  since: Date,
  { now, wait }: Clocked,
): Promise<{ records: RemovalRecord[]; audit?: AuditCheck }> {
  const writes = records.flatMap(writesOf);
  if (writes.length === 0) return { records };
  const wanted = new Set(writes.flatMap((write) => usableRays(write)));
  const deadline = now() + PATIENCE_MS;
  let seen: Set<string> | undefined;
  let stopped = false;
  for (let waitMs = FIRST_WAIT_MS; wanted.size > 0; waitMs *= 2) {
    try {
      // The log's clock and ours may differ a little: a minute's margin on either side.
      seen = new Set(await api.auditRays(new Date(since.getTime() - 60_000), new Date(now() + 60_000), deadline));
    } catch (error) {
      if (error instanceof StoppedError) stopped = true;
      if (seen !== undefined && (stopped || (error instanceof ApiError && error.pastDeadline))) break;
      if (stopped) return { records };
      const problem = problemOf(error, 'Could not read the audit log to confirm the writes: ', '', AUDIT_READ);
      return { records, audit: { writes: 0, confirmed: 0, rayless: 0, problem } };
    }
    const left = deadline - now();
    if ([...wanted].every((ray) => seen!.has(ray)) || left <= 0) break;
    try {
      await wait(Math.min(waitMs, left));
    } catch (error) {
      if (!(error instanceof StoppedError)) throw error;
      stopped = true;
      break;
    }
  }
  const marked = records.map((record) => mark(record, seen ?? new Set()));
  const states = marked.flatMap(auditsOf);
  return {
    records: marked,
    audit: {
      writes: states.length,
      confirmed: states.filter((state) => state === 'confirmed').length,
      rayless: writes.filter((write) => usableRays(write).length === 0).length,
      ...(stopped && { stopped: true as const }),
    },
  };
}

interface Write {
  outcome?: string;
  rays?: string[];
  audit?: AuditState;
}

/** The outcomes of a write that changed something, or may have: a refused one changed nothing to look up. */
const CHANGED = ['removed', 'revoked', 'disabled', 'unknown'];

// Every change of a record: in its groups, its steps, each token.
function writesOf(record: RemovalRecord): Write[] {
  const found = record.tokens?.found;
  const tokens = found?.read ? found.items.tokens : [];
  const all: Array<Write | undefined> = [...record.groups, record.account, record.sessions, ...tokens];
  return all.filter((write): write is Write => write !== undefined && changed(write));
}

function changed(write: Write): boolean {
  return CHANGED.includes(write.outcome ?? '');
}

function usableRays(write: Write): string[] {
  return (write.rays ?? []).flatMap((ray) => normalRay(ray) ?? []);
}

function auditsOf(record: RemovalRecord): AuditState[] {
  return writesOf(record).flatMap((write) => (write.audit ? [write.audit] : []));
}

function mark(record: RemovalRecord, seen: ReadonlySet<string>): RemovalRecord {
  const state = <T extends Write>(write: T): T => {
    if (!changed(write)) return write;
    const confirmed = usableRays(write).some((ray) => seen.has(ray));
    return { ...write, audit: confirmed ? 'confirmed' : 'not-yet-seen' };
  };
  const found = record.tokens?.found;
  return {
    ...record,
    groups: record.groups.map(state),
    ...(record.account && { account: state(record.account) }),
    ...(record.sessions && { sessions: state(record.sessions) }),
    ...(record.tokens && {
      tokens: {
        ...state(record.tokens),
        found: found?.read ? { read: true, items: { ...found.items, tokens: found.items.tokens.map(state) } } : found!,
      },
    }),
  };
}
