// After the writes, proof from Cloudflare's side: each write looked up in the account's audit log
// by the ray ids of its answers, polling with backoff for at most a minute (how fast an entry
// appears is undocumented, and the log may miss some), and recorded as confirmed or not yet seen.
// Not yet seen is no failure; a query that is refused or fails leaves the writes unchecked, and
// the check says why, naming the permission.
import { normalRay } from '../cloudflare/audit-client.js';
import type { AuditState, Problem } from '../model.js';
import { StoppedError } from '../watchdog.js';
import { problemOf, type RemovalApi } from './api.js';
import type { RemovalRecord } from './removal.js';

/** The audit log's answer for one account: how many writes it confirmed of those looked up, or why it could not. */
export interface AuditCheck {
  writes: number;
  confirmed: number;
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
  const wanted = new Set(records.flatMap(raysOf).flatMap((ray) => normalRay(ray) ?? []));
  if (wanted.size === 0) return { records };
  const start = now();
  let seen = new Set<string>();
  for (let waitMs = FIRST_WAIT_MS; ; waitMs *= 2) {
    try {
      // The log's clock and ours may differ a little: a minute's margin on either side.
      const rays = await api.auditRays(new Date(since.getTime() - 60_000), new Date(now() + 60_000));
      seen = new Set(rays);
    } catch (error) {
      if (error instanceof StoppedError) return { records };
      const problem = problemOf(error, 'Could not read the audit log to confirm the writes: ', '', AUDIT_READ);
      return { records, audit: { writes: 0, confirmed: 0, problem } };
    }
    const left = PATIENCE_MS - (now() - start);
    if ([...wanted].every((ray) => seen.has(ray)) || left <= 0) break;
    try {
      await wait(Math.min(waitMs, left));
    } catch (error) {
      if (error instanceof StoppedError) break;
      throw error;
    }
  }
  const marked = records.map((record) => mark(record, seen));
  const states = marked.flatMap(auditsOf);
  return {
    records: marked,
    audit: { writes: states.length, confirmed: states.filter((s) => s === 'confirmed').length },
  };
}

interface Write {
  outcome?: string;
  rays?: string[];
  audit?: AuditState;
}

/** The outcomes of a write that changed something, or may have: a refused one changed nothing to look up. */
const CHANGED = ['removed', 'revoked', 'disabled', 'unknown'];

// Every change of a record that has rays: in its groups, its steps, each token.
function writesOf(record: RemovalRecord): Write[] {
  const found = record.tokens?.found;
  const tokens = found?.read ? found.items.tokens : [];
  const all: Array<Write | undefined> = [...record.groups, record.account, record.sessions, ...tokens];
  return all.filter((write): write is Write => write !== undefined && changed(write));
}

function changed(write: Write): boolean {
  return (write.rays?.length ?? 0) > 0 && CHANGED.includes(write.outcome ?? '');
}

function raysOf(record: RemovalRecord): string[] {
  return writesOf(record).flatMap((write) => write.rays ?? []);
}

function auditsOf(record: RemovalRecord): AuditState[] {
  return writesOf(record).flatMap((write) => (write.audit ? [write.audit] : []));
}

function mark(record: RemovalRecord, seen: ReadonlySet<string>): RemovalRecord {
  const state = <T extends Write>(write: T): T => {
    if (!changed(write)) return write;
    const confirmed = (write.rays ?? []).some((ray) => seen.has(normalRay(ray) ?? ''));
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
