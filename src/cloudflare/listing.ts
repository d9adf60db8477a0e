// Reads a paged Cloudflare listing to its end. Pages while each is full by the page size the
// server reports (which may be less than asked); without result_info, until an empty page. Guards
// fail the listing, never cut it short.
import { describeValue as describe, type Answer } from './answer.js';
import type { Priority } from './pacer.js';
import { UNLIKE_THE_API, type Parse } from './records.js';
import { ApiError, type Transport } from './transport.js';

const MAX_PAGES = 1_000;

export interface Listing<T> {
  path: string;
  query?: Record<string, string>;
  perPage: number;
  priority: Priority;
  parse: Parse<T>;
  /** Called with each page's new items; returning false ends the listing there. */
  onPage?: (items: T[]) => boolean | void;
}

export async function list<T extends { id: string }>(transport: Transport, listing: Listing<T>): Promise<T[]> {
  const { path, query = {}, perPage, priority, parse, onPage } = listing;
  const items: T[] = [];
  const seen = new Set<string>();
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES) {
      const message = `GET ${path}: still not at the end after ${MAX_PAGES} pages; stopping rather than listing forever.`;
      throw new ApiError(message, UNLIKE_THE_API);
    }
    const where = `GET ${path} page ${page}`;
    const answer = await transport.send(
      'GET',
      path,
      { ...query, page: String(page), per_page: String(perPage) },
      priority,
    );
    const batch = entries(answer, page, where);
    if (batch.length === 0) break;
    const parsed = batch.map((entry, index) => parse(entry, `${where}: entry ${index + 1}`));
    // The same id twice (within a page or across pages) is one item.
    const fresh = parsed.filter((item) => !seen.has(item.id) && seen.add(item.id));
    if (fresh.length === 0)
      throw new ApiError(`${where}: repeats earlier entries only; the listing does not advance.`, UNLIKE_THE_API);
    items.push(...fresh);
    if (onPage?.(fresh) === false) break;
    const reported =
      typeof answer.info?.per_page === 'number' && answer.info.per_page >= 1 ? answer.info.per_page : undefined;
    if (reported !== undefined && batch.length < Math.min(reported, perPage)) break;
  }
  return items;
}

/** A page's entries; a page that is no list, or names another page, fails the listing. */
function entries({ result, info }: Answer, page: number, where: string): unknown[] {
  if (result !== null && result !== undefined && !Array.isArray(result)) {
    throw new ApiError(`${where}: "result" is not a list.`, UNLIKE_THE_API);
  }
  if (info && info.page !== undefined && Number(info.page) !== page) {
    throw new ApiError(
      `${where}: the answer says it is page ${describe(info.page)}; the listing does not advance.`,
      UNLIKE_THE_API,
    );
  }
  return (result ?? []) as unknown[];
}
