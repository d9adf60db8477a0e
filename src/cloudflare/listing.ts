// Reads a paged Cloudflare listing to its end. Pages while each is full by the page size the
// server reports (which may be less than asked); without result_info, until an empty page. Guards
// fail the listing, never cut it short.
import { describeValue as describe, type Answer } from './answer.js';
import type { Priority } from './pacer.js';
import { UNLIKE_THE_API, type Parse } from './records.js';
import { ApiError } from './api-error.js';
import type { Transport } from './transport.js';

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
  const read = (page: number) =>
    transport.send('GET', path, { ...query, page: String(page), per_page: String(perPage) }, priority);
  const items: T[] = [];
  const seen = new Map<string, string>();
  let promise: Totals = {};
  for (let page = 1; ; page++) {
    const where = `GET ${path} page ${page}`;
    if (page > MAX_PAGES)
      throw new ApiError(
        `${where}: still not at the end after ${MAX_PAGES} pages; stopping rather than listing forever.`,
        UNLIKE_THE_API,
      );
    let answer = await read(page);
    let batch = entries(answer, page, where);
    // A listing that ends before its own totals: read that page once more before concluding anything.
    if (batch.length === 0 && moreDue({ ...promise, ...totals(answer.info) }, page - 1, items.length)) {
      answer = await read(page);
      batch = entries(answer, page, where);
      if (batch.length === 0) throw inconsistent(where, { ...promise, ...totals(answer.info) }, page - 1, items.length);
    }
    if (batch.length === 0) break;
    const fresh = freshItems(
      batch.map((entry, index) => parse(entry, `${where}: entry ${index + 1}`)),
      seen,
      where,
    );
    items.push(...fresh);
    if (onPage?.(fresh) === false) break;
    promise = totals(answer.info);
    const reported =
      typeof answer.info?.per_page === 'number' && answer.info.per_page >= 1 ? answer.info.per_page : undefined;
    const full = reported === undefined || batch.length >= Math.min(reported, perPage);
    if (!full && !moreDue(promise, page, items.length)) break;
  }
  return items;
}

interface Totals {
  pages?: number;
  count?: number;
}

function totals(info: Record<string, unknown> | undefined): Totals {
  const count = (value: unknown) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const pages = count(info?.total_pages);
  const all = count(info?.total_count);
  return { ...(pages !== undefined && { pages }), ...(all !== undefined && { count: all }) };
}

/** Whether the totals an answer gave say that more entries follow. */
function moreDue({ pages, count }: Totals, pagesRead: number, itemsRead: number): boolean {
  return (pages !== undefined && pages > pagesRead) || (count !== undefined && count > itemsRead);
}

function inconsistent(where: string, { pages, count }: Totals, pagesRead: number, itemsRead: number): ApiError {
  const said = [pages !== undefined && `${pages} pages`, count !== undefined && `${count} entries`]
    .filter(Boolean)
    .join(' and ');
  return new ApiError(
    `${where}: the listing ends after ${pagesRead} pages and ${itemsRead} entries (read twice), but its answers announced ${said}; nothing is concluded from a listing that contradicts itself: run the job again.`,
    UNLIKE_THE_API,
  );
}

// The same id twice (within a page or across pages) is one item, unless the two disagree.
function freshItems<T extends { id: string }>(parsed: T[], seen: Map<string, string>, where: string): T[] {
  const fresh = parsed.filter((item) => {
    const data = JSON.stringify(item);
    const before = seen.get(item.id);
    if (before !== undefined && before !== data) {
      throw new ApiError(
        `${where}: names ${item.id} twice with different data; refusing to guess which is right.`,
        UNLIKE_THE_API,
      );
    }
    seen.set(item.id, data);
    return before === undefined;
  });
  if (fresh.length === 0)
    throw new ApiError(`${where}: repeats earlier entries only; the listing does not advance.`, UNLIKE_THE_API);
  return fresh;
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
