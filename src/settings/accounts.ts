// Which accounts a run covers: one or more account IDs (at most MAX_ACCOUNTS), from the input or
// CLOUDFLARE_ACCOUNT_ID, or every account the credentials can list (all-accounts).
import type { AccountSelection, Env } from '../model.js';
import { isId, quote } from '../identifiers.js';
import { EMPTY_VALUE_CAUSES } from './credentials.js';
import { splitList, type Reader } from './reader.js';

/** Accounts in one run: few enough for one rate budget, which Cloudflare counts per user across them. */
export const MAX_ACCOUNTS = 50;

/** The accounts, and whether any account input was given at all (for the causes of an empty secret). */
export function readAccounts(read: Reader, env: Env): { accounts: AccountSelection; given: boolean } {
  const all = read.bool('all-accounts', false);
  const input = read.text('account-id');
  if (all) {
    if (input !== '') read.refuse('account-id, all-accounts: give account IDs or all-accounts: true, not both.');
    return { accounts: { by: 'all' }, given: true };
  }
  const value = input || (env.CLOUDFLARE_ACCOUNT_ID ?? '').trim();
  if (value === '') {
    read.refuse(
      `account-id: required (or set CLOUDFLARE_ACCOUNT_ID, or all-accounts: true): the 32-character Cloudflare account ID. ${EMPTY_VALUE_CAUSES}`,
    );
    return { accounts: { by: 'ids', ids: [] }, given: false };
  }
  const entries = splitList(value);
  if (entries.length > MAX_ACCOUNTS) {
    read.refuse(`account-id: at most ${MAX_ACCOUNTS} accounts in one run, got ${entries.length}.`);
  } else if (entries.length === 1) {
    read.id('account-id', entries[0]!);
  } else {
    const invalid = entries.filter((entry) => !isId(entry)).map(quote);
    if (invalid.length > 0)
      read.refuse(
        `account-id: expected 32-character hexadecimal IDs; ${invalid.length} entries are not, such as ${invalid.slice(0, 3).join(', ')}.`,
      );
  }
  return { accounts: { by: 'ids', ids: [...new Set(entries.map((id) => id.toLowerCase()))] }, given: true };
}
