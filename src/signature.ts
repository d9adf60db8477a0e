// The signature of a member's record, so that the restore action can tell a record this action
// wrote from one edited on its way (through an input, an artifact, a comment): an HMAC-SHA256,
// under a secret the workflow gives both actions, over exactly what a restore acts on: the
// account, the member, the groups the run removed them from and the tokens it disabled.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { foldEmail } from './identifiers.js';

/** What a restore may put back, as the run that removed it recorded it. */
export interface Restorable {
  account: string;
  memberId: string;
  email?: string;
  removedGroups: readonly string[];
  disabledTokens: readonly string[];
  /** When the run signed its record (ISO 8601). */
  at: string;
}

const FORMAT = 'cloudflare-remove-group-member/record/v1';

// One text for the same facts, whatever their order or case: ids lower-cased and sorted, the
// email folded as every address is compared (ASCII case only).
function payload({ account, memberId, email, removedGroups, disabledTokens, at }: Restorable): string {
  const ids = (list: readonly string[]) => [...list].map((id) => id.toLowerCase()).sort();
  return JSON.stringify([
    FORMAT,
    account.toLowerCase(),
    memberId.toLowerCase(),
    email !== undefined ? foldEmail(email) : '',
    ids(removedGroups),
    ids(disabledTokens),
    at,
  ]);
}

export function sign(key: string, restorable: Restorable): string {
  return createHmac('sha256', key).update(payload(restorable)).digest('hex');
}

/** Whether `signature` is the one `key` gives these facts; compared in constant time. */
export function signedBy(key: string, restorable: Restorable, signature: string): boolean {
  const expected = Buffer.from(sign(key, restorable), 'hex');
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
