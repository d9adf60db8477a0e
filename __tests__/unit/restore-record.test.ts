// The restore's record, as an attacker hands it over: every output shape the action writes is
// read, anything else is refused with where and why; the entry must be of the account and person
// the inputs name, and its signature must match exactly what it says was removed and disabled.
// Hostile JSON never crashes the parser, and no edit of a signed entry gets through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prove } from '../../src/restore/proof.js';
import type { RecordEntry } from '../../src/restore/record-entry.js';
import { parseRecord } from '../../src/restore/record.js';
import { sign } from '../../src/signature.js';

const KEY = 'k'.repeat(40);
const hex = (c: string) => c.repeat(32);
const ACCOUNT = hex('a');
const OTHER_ACCOUNT = hex('b');
const ANN = hex('1');
const BOB = hex('2');
const [G1, G2, G3] = [hex('3'), hex('4'), hex('5')];
const [T1, T2] = [hex('6'), hex('7')];
const AT = '2026-12-07T10:00:00.000Z';
const ann = { by: 'email', email: 'ann@example.com' } as const;

interface Facts {
  account?: string;
  id?: string;
  email?: string;
  removed?: string[];
  notMember?: string[];
  disabled?: string[];
  /** Tokens of the member's that stayed as they were. */
  kept?: string[];
}

function signatureOf({ account = ACCOUNT, id = ANN, email = 'ann@example.com', removed = [], disabled = [] }: Facts) {
  const value = sign(KEY, { account, memberId: id, email, removedGroups: removed, disabledTokens: disabled, at: AT });
  return { account, at: AT, value };
}

const tokensStep = ({ disabled = [], kept = [] }: Facts) => ({
  outcome: disabled.length > 0 ? 'disabled' : 'not-needed',
  tokens: [
    ...disabled.map((id) => ({
      id,
      name: `token ${id.slice(0, 4)}`,
      status: 'disabled',
      outcome: 'disabled',
      rays: ['0123456789abcdef-SJC'],
    })),
    ...kept.map((id) => ({ id, name: 'kept', status: 'disabled' })),
  ],
  unattributed: [{ id: hex('9'), name: 'old', status: 'active' }],
});

/** One member's part of `result`, as record-json.ts writes it. */
function resultPart(facts: Facts) {
  const { id = ANN, email = 'ann@example.com', removed = [], notMember = [] } = facts;
  return {
    member: { id, email, status: 'accepted' },
    groups: [
      ...removed.map((g) => ({
        id: g,
        name: 'Engineers',
        outcome: 'removed',
        rays: ['fedcba9876543210-SJC'],
        audit: 'confirmed',
      })),
      ...notMember.map((g) => ({ id: g, outcome: 'not-member' })),
      { id: hex('8'), name: 'Okta', outcome: 'failed', error: 'HTTP 400: 1015: managed by SCIM' },
    ],
    tokens: tokensStep(facts),
    sessions: { outcome: 'revoked', rays: ['0011223344556677-SJC'], audit: 'not-yet-seen' },
    signature: signatureOf(facts),
  };
}

/** One member's entry of the `members` output. */
function memberEntry(facts: Facts) {
  const { id = ANN, email = 'ann@example.com', removed = [], notMember = [] } = facts;
  return {
    id,
    email,
    status: 'accepted',
    removedGroups: removed,
    skippedGroups: notMember,
    tokens: tokensStep(facts),
    remainingAccess: { inAccount: true, roles: [], policies: [], groups: [], sessions: 'revoked', complete: true },
    accessRemains: true,
    signature: signatureOf(facts),
  };
}

const annFacts: Facts = { removed: [G1, G2], notMember: [G3], disabled: [T1], kept: [T2] };
const bobFacts: Facts = { id: BOB, email: 'bob@example.com', removed: [G3] };

/** Every shape of every output that holds ann's entry, by name. */
const SHAPES: Record<string, unknown> = {
  'result, one member': { ...resultPart(annFacts), dryRun: false },
  'result, several members': {
    dryRun: false,
    members: [resultPart(bobFacts), resultPart(annFacts)],
    failure: 'bob: something',
  },
  'result, several accounts': {
    dryRun: false,
    interrupted: 'SIGTERM',
    accounts: [
      { id: OTHER_ACCOUNT, name: 'Other', member: { email: 'ann@example.com' }, groups: [], notInAccount: true },
      { id: ACCOUNT, name: 'Main', ...resultPart(annFacts) },
    ],
  },
  'result, several accounts and members': {
    dryRun: false,
    accounts: [{ id: ACCOUNT, members: [resultPart(bobFacts), resultPart(annFacts)] }],
  },
  'members, one account': [memberEntry(bobFacts), memberEntry(annFacts)],
  'members, several accounts': [
    {
      accountId: OTHER_ACCOUNT,
      email: 'ann@example.com',
      removedGroups: [],
      skippedGroups: [],
      notInAccount: true,
      inAccount: false,
    },
    { accountId: ACCOUNT, ...memberEntry(annFacts), inAccount: true },
  ],
  accounts: [
    {
      id: OTHER_ACCOUNT,
      members: [{ email: 'ann@example.com', removedGroups: [], skippedGroups: [], inAccount: false }],
    },
    {
      id: ACCOUNT,
      name: 'Main',
      members: [
        { ...memberEntry(bobFacts), inAccount: true },
        { ...memberEntry(annFacts), inAccount: true },
      ],
    },
  ],
};

function proof(record: unknown, wanted: Parameters<typeof prove>[2] = ann, account = ACCOUNT, key = KEY) {
  const parsed = parseRecord(typeof record === 'string' ? record : JSON.stringify(record));
  return 'problem' in parsed ? parsed : prove(parsed.entries, account, wanted, key);
}

const problem = (record: unknown, ...rest: Array<unknown>) => {
  const result = proof(record, ...(rest as []));
  return 'problem' in result ? result.problem : undefined;
};

describe('a record the action writes', () => {
  it.each(Object.entries(SHAPES))('is read in its shape: %s', (_, record) => {
    const result = proof(record);
    expect(result).toEqual({
      proven: expect.objectContaining({
        account: ACCOUNT,
        memberId: ANN,
        email: 'ann@example.com',
        removedGroups: [G1, G2],
        disabledTokens: [T1],
        at: AT,
      }),
    });
  });

  it('by member ID too, and the other person of the same record', () => {
    const record = SHAPES.accounts;
    expect(proof(record, { by: 'id', id: ANN.toUpperCase() })).toMatchObject({ proven: { memberId: ANN } });
    expect(proof(record, { by: 'email', email: 'BOB@example.com' })).toMatchObject({
      proven: { memberId: BOB, removedGroups: [G3], disabledTokens: [] },
    });
  });
});

describe('a record refused', () => {
  const one = SHAPES['result, one member'] as Record<string, unknown> & ReturnType<typeof resultPart>;
  const cases: Array<[string, unknown, string]> = [
    ['text that is not JSON', 'ann removed from Engineers', 'record: not a record this action writes: it is not JSON.'],
    ['a JSON string', '"[]"', 'the record is neither a list'],
    ['null', 'null', 'the record is neither a list'],
    ['an empty object', {}, 'result has no "dryRun"'],
    [
      'a key the action never writes',
      { ...one, admin: true },
      'result has a field the action never writes there, "admin"',
    ],
    [
      'a __proto__ key',
      `{"__proto__": {"member": 1}, ${JSON.stringify(one).slice(1)}`,
      'field the action never writes there, "__proto__"',
    ],
    [
      'a constructor key in an entry',
      [{ ...memberEntry(annFacts), constructor: 1 }],
      '[0] has a field the action never writes there, "constructor"',
    ],
    [
      'a member and members both',
      { ...one, members: [] },
      'result has a field the action never writes there, "member"',
    ],
    [
      'accounts and members both',
      { dryRun: false, accounts: [], members: [] },
      'result has a field the action never writes there, "members"',
    ],
    ['a path in a member id', { ...one, member: { id: '../../members/x' } }, 'result.member.id is not an ID'],
    [
      'a group id that is no id',
      { ...one, groups: [{ id: `${G1}/x`, outcome: 'removed' }] },
      'result.groups[0].id is not an ID',
    ],
    [
      'an outcome the action never writes',
      { ...one, groups: [{ id: G1, outcome: 'restored' }] },
      'result.groups[0].outcome is not one of',
    ],
    ['a number for an email', [{ ...memberEntry(annFacts), email: 7 }], '[0].email is not text'],
    [
      'a status of its own',
      [{ ...memberEntry(annFacts), status: 'admin' }],
      '[0].status is not one of "accepted", "pending"',
    ],
    [
      'a signature time of another form',
      [{ ...memberEntry(annFacts), signature: { ...signatureOf(annFacts), at: 'yesterday' } }],
      '[0].signature.at is not a time',
    ],
    [
      'an upper-case signature',
      [
        {
          ...memberEntry(annFacts),
          signature: { ...signatureOf(annFacts), value: signatureOf(annFacts).value.toUpperCase() },
        },
      ],
      '[0].signature.value is not a signature',
    ],
    [
      'an audit state of its own',
      { ...one, groups: [{ id: G1, outcome: 'removed', audit: 'yes' }] },
      'result.groups[0].audit is not one of "confirmed", "not-yet-seen"',
    ],
    [
      'a cf-ray that is not one',
      { ...one, groups: [{ id: G1, outcome: 'removed', rays: ['<script>'] }] },
      'result.groups[0].rays[0] is not a cf-ray',
    ],
    [
      'accountId without inAccount',
      [{ accountId: ACCOUNT, ...memberEntry(annFacts) }],
      '[0] has one of accountId and inAccount without the other',
    ],
    [
      'an accounts entry without inAccount',
      [{ id: ACCOUNT, members: [memberEntry(annFacts)] }],
      '[0].members[0] has no "inAccount"',
    ],
    ['a list of numbers', [1, 2], '[0] is not a member of the record'],
    ['nesting deeper than a record', `${'['.repeat(20)}1${']'.repeat(20)}`, 'is nested more than 16 levels deep'],
    ['more text than any output', ' '.repeat(4_000_001), 'more than any of its outputs can hold'],
  ];
  it.each(cases)('that is not one: %s', (_, record, says) => {
    expect(problem(record)).toContain(says);
  });

  it('shortened to fit an output, wherever the count is: whole', () => {
    const tokens = { ...one.tokens, tokensLeftOut: 3 };
    expect(problem({ ...one, tokens })).toBe(
      'record: shortened to fit an output (tokens.tokensLeftOut counts what it left out), so it is refused whole: a restore never acts on part of a record. Give the whole record: the accounts output as the offboarding run wrote it (its artifact, say), not the result comment.',
    );
    // Even in another member's entry, or in what remains, which a restore does not read.
    const bob = { ...memberEntry(bobFacts), remainingAccess: { tokens: [], tokensLeftOut: 1 } };
    expect(problem([bob, memberEntry(annFacts)])).toContain(
      '[0].remainingAccess.tokensLeftOut counts what it left out',
    );
  });

  it('of another person, naming whom it is about, invisible characters by code point', () => {
    const zwsp = [memberEntry({ ...annFacts, email: 'ann\u200b@example.com' })];
    expect(problem(zwsp)).toBe(
      'record: it is about "ann<U+200B>@example.com", not member-email ann@example.com: a record restores only the person it was written for.',
    );
    expect(problem(SHAPES.accounts, { by: 'id', id: hex('c') })).toContain(
      `not member-id ${hex('c')} (the account member ID`,
    );
    expect(problem([])).toBe(
      'record: it names no member at all, so it holds nothing for member-email ann@example.com.',
    );
  });

  it('of another account', () => {
    expect(problem(SHAPES.accounts, ann, hex('c'))).toBe(
      `record: its entries for ann@example.com are of accounts ${OTHER_ACCOUNT}, ${ACCOUNT}, not of account ${hex('c')} (account-id): a record is restored only in the account it was written for.`,
    );
    // The members output of one account names the account in the signature only: edited, it is another.
    const resigned = [{ ...memberEntry(annFacts), signature: { ...signatureOf(annFacts), account: OTHER_ACCOUNT } }];
    expect(problem(resigned)).toContain(`is of account ${OTHER_ACCOUNT}, not of account ${ACCOUNT}`);
    // An entry filed under the account given, but signed for another: moved between accounts.
    const moved = [{ accountId: OTHER_ACCOUNT, ...memberEntry(annFacts), inAccount: true }];
    expect(problem(moved, ann, OTHER_ACCOUNT)).toContain('does not match what the entry says');
  });

  it('with two entries for the person in the account', () => {
    expect(problem([memberEntry(annFacts), memberEntry(annFacts)])).toBe(
      `record: it has 2 entries for ann@example.com in account ${ACCOUNT} ([0], [1]), and a record the action writes has one; refusing to choose.`,
    );
  });

  it('whose entry names no member ID, or has no signature', () => {
    const absent = {
      id: ACCOUNT,
      members: [{ email: 'ann@example.com', removedGroups: [], skippedGroups: [], inAccount: false }],
    };
    expect(problem([absent])).toContain('names no member ID: that run found no such member');
    const unsigned: Partial<ReturnType<typeof memberEntry>> = memberEntry(annFacts);
    delete unsigned.signature;
    expect(problem([unsigned])).toBe(
      'record: its entry for ann@example.com ([0]) has no signature, so nothing in it can be checked: the offboarding run had no record-key, or the signature was taken out. A restore acts only on a signed record; put back by hand what that run removed (its summary lists it).',
    );
  });

  const tampered: Array<[string, (entry: ReturnType<typeof memberEntry>) => unknown]> = [
    ['a group added', (e) => ({ ...e, removedGroups: [...e.removedGroups, G3] })],
    ['a group taken out', (e) => ({ ...e, removedGroups: [G1] })],
    [
      'a skipped group called removed',
      (e) => ({ ...e, removedGroups: [...e.removedGroups, ...e.skippedGroups], skippedGroups: [] }),
    ],
    [
      'a token added',
      (e) => ({
        ...e,
        tokens: {
          ...e.tokens,
          tokens: [...e.tokens.tokens, { id: T2, name: 'x', status: 'disabled', outcome: 'disabled' }],
        },
      }),
    ],
    [
      'a kept token called disabled',
      (e) => ({ ...e, tokens: { ...e.tokens, tokens: e.tokens.tokens.map((t) => ({ ...t, outcome: 'disabled' })) } }),
    ],
    ['the signature of another entry', (e) => ({ ...e, signature: memberEntry(bobFacts).signature })],
    ['another member ID', (e) => ({ ...e, id: BOB })],
    ['another email', (e) => ({ ...e, email: 'ann@example.org' })],
    ['another signing time', (e) => ({ ...e, signature: { ...e.signature, at: '2026-12-07T10:00:01.000Z' } })],
  ];
  it.each(tampered)('edited since the run signed it: %s', (_, edit) => {
    const edited = edit(memberEntry(annFacts)) as { email: string; id: string };
    const wanted = edited.email === 'ann@example.com' ? ann : { by: 'id' as const, id: edited.id };
    expect(problem([edited], wanted)).toContain(
      'does not match what the entry says: it was changed after the offboarding run wrote it',
    );
  });

  it('signed with another key', () => {
    expect(problem(SHAPES.accounts, ann, ACCOUNT, 'x'.repeat(40))).toContain(
      'or record-key is not the secret that run signed it with',
    );
  });
});

describe('hostile records, generated', () => {
  const entries = (parsed: ReturnType<typeof parseRecord>): RecordEntry[] =>
    'entries' in parsed ? parsed.entries : [];

  it('never crash the parser or the proof, and prove nothing without the key', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        (text) => {
          const parsed = parseRecord(text);
          expect('problem' in parsed || Array.isArray(parsed.entries)).toBe(true);
          expect(prove(entries(parsed), ACCOUNT, ann, KEY)).toHaveProperty('problem');
        },
      ),
    );
  });

  it('are refused when one object has a key twice, however it is spelled, and never otherwise', () => {
    const twice = (parsed: ReturnType<typeof parseRecord>) => 'problem' in parsed && /twice/.test(parsed.problem);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        expect(twice(parseRecord(JSON.stringify(value, null, indent)))).toBe(false);
      }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }),
        fc.jsonValue({ maxDepth: 2 }),
        (object, other) => {
          const key = Object.keys(object)[0]!;
          // The same key again, written with every character escaped.
          const spelled = `"${key
            .split('')
            .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
            .join('')}"`;
          const text = `[{${spelled} : ${JSON.stringify(other)}, ${JSON.stringify(object).slice(1)}]`;
          expect(twice(parseRecord(text))).toBe(true);
        },
      ),
    );
  });

  it('never get a group or token past the signature that it did not sign', () => {
    const id = fc.stringMatching(/^[0-9a-f]{32}$/);
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: 4 }), fc.uniqueArray(id, { maxLength: 3 }), (groups, tokens) => {
        const signed = { removed: [G1, G2], disabled: [T1] };
        const entry = {
          ...memberEntry({ ...annFacts, ...signed }),
          removedGroups: groups,
          tokens: tokensStep({ disabled: tokens }),
        };
        const same = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();
        const result = proof([entry]);
        expect('proven' in result).toBe(same(groups, signed.removed) && same(tokens, signed.disabled));
      }),
    );
  });

  it('are refused whole when any object of them counts what it left out', () => {
    const record = SHAPES.accounts;
    const paths: string[][] = [];
    const walk = (value: unknown, path: string[]) => {
      if (typeof value !== 'object' || value === null) return;
      if (!Array.isArray(value)) paths.push(path);
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    };
    walk(record, []);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.constantFrom('tokensLeftOut', 'unattributedLeftOut', 'groupsLeftOut'),
        (path, key) => {
          const copy = structuredClone(record) as Record<string, unknown>;
          const target = path.reduce<Record<string, unknown>>((at, step) => at[step] as Record<string, unknown>, copy);
          target[key] = 1;
          expect(problem(copy)).toMatch(/^record: shortened to fit an output/);
        },
      ),
    );
  });
});
