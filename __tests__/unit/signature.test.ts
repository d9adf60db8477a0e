// The record's signature: the same facts in any order sign the same; any change to what a restore
// acts on (an account, a member, a group, a token, the time) or another key does not verify.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sign, signedBy, type Restorable } from '../../src/signature.js';

const KEY = 'k'.repeat(32);
const id = (c: string) => c.repeat(32);
const record: Restorable = {
  account: id('a'),
  memberId: id('b'),
  email: 'ann@example.com',
  removedGroups: [id('1'), id('2')],
  disabledTokens: [id('3')],
  at: '2026-12-07T10:00:00.000Z',
};

describe('the signature of a record', () => {
  it('verifies the facts it signed, in any order and case of ids', () => {
    const value = sign(KEY, record);
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(signedBy(KEY, { ...record, removedGroups: [id('2'), id('1')], account: id('A') }, value)).toBe(true);
    expect(signedBy(KEY, { ...record, email: record.email!.toUpperCase() }, value)).toBe(true);
  });

  it('does not verify any change to what a restore acts on, another key, or a signature that is not one', () => {
    const value = sign(KEY, record);
    const changed: Restorable[] = [
      { ...record, account: id('c') },
      { ...record, memberId: id('c') },
      { ...record, email: 'bob@example.com' },
      { ...record, removedGroups: [...record.removedGroups, id('4')] },
      { ...record, disabledTokens: [] },
      { ...record, at: '2026-12-07T10:00:01.000Z' },
    ];
    for (const each of changed) expect(signedBy(KEY, each, value)).toBe(false);
    expect(signedBy('x'.repeat(32), record, value)).toBe(false);
    // Only ASCII case is folded, as every address is compared: a Kelvin sign is not a "k".
    const kate = { ...record, email: 'kate@example.com' };
    expect(signedBy(KEY, { ...kate, email: '\u212aate@example.com' }, sign(KEY, kate))).toBe(false);
    fc.assert(
      fc.property(fc.string(), (forged) => {
        expect(signedBy(KEY, record, forged)).toBe(forged === value);
      }),
    );
  });
});
