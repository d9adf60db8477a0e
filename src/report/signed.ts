// With record-key, each member's record signed for the restore action: over what a restore may put
// back, the groups this run removed the member from and the tokens it disabled (confirmed by a read).
import type { RemovalRecord } from '../removal/removal.js';
import { sign } from '../signature.js';

export interface RecordSignature {
  account: string;
  /** When the run started (ISO 8601). */
  at: string;
  /** HMAC-SHA256, hexadecimal. */
  value: string;
}

/** Nothing to sign for a member the run found no id of. */
export function signatureOf(
  record: RemovalRecord,
  account: string,
  at: string,
  key: string,
): RecordSignature | undefined {
  const { id, email } = record.member;
  if (id === undefined) return undefined;
  const found = record.tokens?.found;
  const restorable = {
    account,
    memberId: id,
    ...(email !== undefined && { email }),
    removedGroups: record.groups.filter((r) => r.outcome === 'removed').map((r) => r.group.id),
    disabledTokens: found?.read ? found.items.tokens.filter((t) => t.outcome === 'disabled').map((t) => t.id) : [],
    at,
  };
  return { account, at, value: sign(key, restorable) };
}
