// The simulator's account audit log (Audit Logs v2): an entry for each change a request made,
// found by its ray id, visible only after a delay (Cloudflare documents none: a mode), and with
// gaps (the beta warned of them): the writes whose paths match `drop` never appear.
import { envelope, fail, type Answer } from './answers.ts';

export interface AuditOptions {
  /** How long after its request an entry appears, in milliseconds of the simulator's clock. */
  delayMs?: number;
  /** Writes whose path matches never appear in the log. */
  drop?: RegExp;
}

export interface AuditEntry {
  account: string;
  /** When the request arrived, on the simulator's clock. */
  at: number;
  method: string;
  path: string;
  status: number;
  ray: string;
  actor: { type: 'user' | 'account'; email?: string; token_id?: string };
}

const TYPE: Record<string, string> = { DELETE: 'delete', PUT: 'update', POST: 'create', PATCH: 'update' };

export class AuditLog {
  readonly entries: AuditEntry[] = [];
  private readonly options: AuditOptions;

  constructor(options: AuditOptions = {}) {
    this.options = options;
  }

  /** A change a request made: logged, unless the log has a gap for it. */
  record(entry: AuditEntry): void {
    if (this.options.drop?.test(entry.path)) return;
    this.entries.push(entry);
  }

  /** GET /accounts/{a}/logs/audit: since and before required, filters by ray id, cursor paging. */
  answer(account: string, query: URLSearchParams, now: number): Answer {
    const since = Date.parse(query.get('since') ?? '');
    const before = Date.parse(query.get('before') ?? '');
    if (Number.isNaN(since) || Number.isNaN(before))
      return fail(400, [{ code: 10001, message: 'since and before are required, as RFC 3339 dates' }]);
    const rays = query.getAll('raw_cf_ray_id').map((ray) => ray.toLowerCase());
    const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? '100') || 100));
    const visible = this.entries.filter(
      (entry) =>
        entry.account === account &&
        entry.at + (this.options.delayMs ?? 0) <= now &&
        entry.at >= since &&
        entry.at < before &&
        (rays.length === 0 || rays.includes(entry.ray.split('-')[0]!.toLowerCase())),
    );
    const start = Number(query.get('cursor') ?? '0') || 0;
    const page = visible.slice(start, start + limit);
    const next = start + limit < visible.length ? String(start + limit) : undefined;
    return {
      status: 200,
      body: {
        ...envelope(page.map((entry, i) => view(entry, start + i))),
        result_info: { count: String(page.length), ...(next !== undefined && { cursor: next }) },
      },
    };
  }
}

function view(entry: AuditEntry, index: number) {
  const ids = entry.path.split('/').filter((part) => /^[0-9a-f]{32}$/.test(part));
  return {
    id: `${index}`.padStart(32, '0'),
    account: { id: entry.account },
    action: {
      description: `${entry.method} ${entry.path}`,
      result: entry.status < 300 ? 'success' : 'failure',
      time: new Date(entry.at).toISOString(),
      type: TYPE[entry.method] ?? 'update',
    },
    actor: { ...entry.actor, context: 'api_token' },
    raw: {
      cf_ray_id: entry.ray.split('-')[0],
      method: entry.method,
      status_code: entry.status,
      uri: `/client/v4${entry.path}`,
    },
    resource: { id: ids.at(-1) ?? entry.account, product: entry.path.split('/')[3] ?? 'accounts', scope: 'accounts' },
  };
}
