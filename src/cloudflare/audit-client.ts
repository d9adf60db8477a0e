// The account's audit log (Audit Logs v2), in API terms: the ray ids of the entries logged in a
// span of time, page by page by its cursor. Every field of an answer may be anything: an entry
// without a readable ray id, or one that does not say its request succeeded (a refused attempt is
// logged too), is left out; a page that does not advance fails the listing.
import { isObject } from './answer.js';
import { pathId, UNLIKE_THE_API } from './records.js';
import { ApiError } from './api-error.js';
import type { Transport } from './transport.js';

/** Entries per page: the API's most. */
const LIMIT = 1_000;
const MAX_PAGES = 100;

/**
 * The ray ids (lower-cased, without the `-COLO` suffix) of every entry of a request that succeeded,
 * logged from `since` until `before`; no page is asked for past `deadline` (clock time).
 */
export async function auditRays(
  transport: Transport,
  accountId: string,
  since: Date,
  before: Date,
  deadline?: number,
): Promise<string[]> {
  const path = `/accounts/${pathId(accountId)}/logs/audit`;
  const query = { since: since.toISOString(), before: before.toISOString(), limit: String(LIMIT) };
  const rays: string[] = [];
  let cursor: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { result, info } = await transport.send(
      'GET',
      path,
      { ...query, ...(cursor && { cursor }) },
      'high',
      undefined,
      deadline,
    );
    if (result !== null && result !== undefined && !Array.isArray(result))
      throw new ApiError(`GET ${path}: "result" is not a list.`, UNLIKE_THE_API);
    rays.push(...((result ?? []) as unknown[]).flatMap(rayOfEntry));
    const next = typeof info?.cursor === 'string' && info.cursor !== '' ? info.cursor : undefined;
    if (next === undefined) return rays;
    if (next === cursor) throw new ApiError(`GET ${path}: the cursor does not advance.`, UNLIKE_THE_API);
    cursor = next;
  }
  throw new ApiError(`GET ${path}: still not at the end after ${MAX_PAGES} pages.`, UNLIKE_THE_API);
}

// Only an entry whose `raw.status_code` is a 2xx confirms a change: a failed attempt of a write
// that was retried has an entry of its own, under its own ray.
function rayOfEntry(entry: unknown): string[] {
  const raw = isObject(entry) && isObject(entry.raw) ? entry.raw : undefined;
  const succeeded = typeof raw?.status_code === 'number' && raw.status_code >= 200 && raw.status_code < 300;
  const ray = succeeded && typeof raw.cf_ray_id === 'string' ? normalRay(raw.cf_ray_id) : undefined;
  return ray !== undefined ? [ray] : [];
}

/** A ray id as the audit log and the header compare: lower-cased, without the `-COLO` suffix. */
export function normalRay(ray: string): string | undefined {
  const id = ray.trim().split('-')[0]!.toLowerCase();
  return /^[0-9a-f]{16}$/.test(id) ? id : undefined;
}
