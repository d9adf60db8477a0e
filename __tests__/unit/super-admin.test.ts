// What makes a Super Administrator, as plain values: roles, direct policies and group policies,
// by what they grant (the role's own name only), the access (allow, deny, unclear) and the scope
// (the whole account, less, unknown).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountMember, Policy } from '../../src/model.js';
import { groupGrant, memberGrant, strongest } from '../../src/removal/super-admin.js';

const SUPER = 'Super Administrator - All Privileges';
const policy = (overrides: Partial<Policy> = {}): Policy => ({
  access: 'allow',
  permissionGroups: [SUPER],
  resourceGroups: ['anything a user may name'],
  scope: 'account',
  ...overrides,
});
const member = (roles: string[] | undefined, policies: Policy[] | undefined): AccountMember => ({
  id: 'a'.repeat(32),
  email: 'ann@example.com',
  emails: ['ann@example.com'],
  status: 'accepted',
  ...(roles && { roles }),
  ...(policies && { policies }),
});

describe('memberGrant', () => {
  const cases: Array<[string, AccountMember, string]> = [
    ['the legacy role', member([SUPER], []), 'yes'],
    ['the role by its id, unnamed', member(['role 33666b9c79b9a5273fc7344ff42f953d'], []), 'yes'],
    ['an allow over the whole account', member([], [policy()]), 'yes'],
    ['an allow over one zone', member([], [policy({ scope: 'part' })]), 'no'],
    ['an allow whose scope is not given', member([], [policy({ scope: 'unknown' })]), 'unclear'],
    ['a deny', member([], [policy({ access: 'deny' })]), 'no'],
    ['an access that is neither', member([], [policy({ access: 'maybe' })]), 'unclear'],
    ['the role with a deny of it', member([SUPER], [policy({ access: 'deny' })]), 'unclear'],
    ['a name like the role', member(['Super Administrator'], []), 'unclear'],
    ['another role', member(['Administrator'], [policy({ permissionGroups: ['DNS Write'] })]), 'no'],
    ['a record without roles', member(undefined, []), 'unclear'],
    ['a record without policies', member([], undefined), 'unclear'],
    ['the role in a record without policies (a deny may be among them)', member([SUPER], undefined), 'unclear'],
    [
      'a permission group given by id only',
      member([], [policy({ permissionGroups: ['permission group 1a2b'] })]),
      'unclear',
    ],
    ['a role given by id only, another than the role', member(['role 1a2b'], []), 'no'],
  ];
  for (const [what, record, grant] of cases)
    it(`is ${grant} for ${what}`, () => expect(memberGrant(record)).toBe(grant));
});

describe('memberGrant, with the groups they are in', () => {
  const group = (policies: Policy[] | undefined) => ({ id: '1'.repeat(32), ...(policies && { policies }) });
  it('is yes through a group that grants it, and unclear when any source denies it', () => {
    expect(memberGrant(member([], []), [group([policy()])])).toBe('yes');
    expect(memberGrant(member([], [policy()]), [group([policy({ access: 'deny', scope: 'part' })])])).toBe('unclear');
    expect(memberGrant(member([SUPER], []), [group([policy({ access: 'deny' })])])).toBe('unclear');
    expect(memberGrant(member([], [policy({ access: 'deny' })]), [group([policy()])])).toBe('unclear');
    expect(memberGrant(member([], []), [group([policy()]), group([policy({ access: 'deny' })])])).toBe('unclear');
    expect(memberGrant(member([SUPER], []), [group(undefined)])).toBe('unclear');
  });
});

describe('groupGrant', () => {
  it('follows the group policies, and is unclear when the group carries none', () => {
    expect(groupGrant({ id: '1'.repeat(32), policies: [policy()] })).toBe('yes');
    expect(groupGrant({ id: '1'.repeat(32), policies: [policy({ scope: 'part' })] })).toBe('no');
    expect(groupGrant({ id: '1'.repeat(32), policies: [] })).toBe('no');
    expect(groupGrant({ id: '1'.repeat(32) })).toBe('unclear');
  });

  it('never grants through a resource group name, whatever it says', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (names) => {
        expect(groupGrant({ id: '1'.repeat(32), policies: [policy({ resourceGroups: names, scope: 'part' })] })).toBe(
          'no',
        );
      }),
    );
  });
});

describe('strongest', () => {
  it('is yes over unclear over no, whatever the order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('yes' as const, 'unclear' as const, 'no' as const)), (grants) => {
        const expected = grants.includes('yes') ? 'yes' : grants.includes('unclear') ? 'unclear' : 'no';
        expect(strongest(grants)).toBe(expected);
        expect(strongest([...grants].reverse())).toBe(expected);
      }),
    );
  });
});
