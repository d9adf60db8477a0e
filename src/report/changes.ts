// What a member's record says this run changed: a membership it removed for sure, a change it sent
// whose effect is unknown, or nothing at all. One place, so that `removed`, the summary and the
// remaining access never disagree about it.
import type { RemovalRecord } from '../removal/removal.js';

/** A group membership or the account membership that this run removed, for sure. */
export function removedMembership(record: RemovalRecord): boolean {
  return record.account?.outcome === 'removed' || record.groups.some((group) => group.outcome === 'removed');
}

/** A change this run sent that neither an answer nor a read settled: a group, a step, or one token. */
export function unknownChange(record: RemovalRecord): boolean {
  const { groups, account, sessions, tokens } = record;
  const tokenStates = tokens?.found.read ? tokens.found.items.tokens : [];
  return [...groups, account, sessions, tokens, ...tokenStates].some((change) => change?.outcome === 'unknown');
}

/** Nothing changed, or may have: no membership removed, no token disabled, no session revoked, nothing unknown. */
export function changedNothing(record: RemovalRecord): boolean {
  const disabled = record.tokens?.found.read && record.tokens.found.items.tokens.some((t) => t.outcome === 'disabled');
  return !removedMembership(record) && !unknownChange(record) && !disabled && record.sessions?.outcome !== 'revoked';
}
