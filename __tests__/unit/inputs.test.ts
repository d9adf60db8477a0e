import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEmail, isEmail, isId, quote } from '../../src/identifiers.js';
import { splitList } from '../../src/settings/reader.js';
import { EMPTY_VALUE_CAUSES } from '../../src/settings/credentials.js';
import { DEFAULT_BASE_URL, DEFAULT_CONCURRENCY, isLoopbackHost } from '../../src/settings/endpoints.js';
import { problemsMessage, readSettings } from '../../src/settings/settings.js';

const G = 'a'.repeat(32);
const M = 'b'.repeat(32);
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
const valid = { 'account-id': 'c'.repeat(32), 'user-group-id': G, 'member-id': M, 'api-token': 'token-value' };

function problems(inputs: Record<string, string>, env: Record<string, string> = {}): string[] {
  const read = readSettings(reader(inputs), env);
  return read.ok ? [] : read.problems;
}

function warnings(inputs: Record<string, string>, env: Record<string, string> = {}): string[] {
  const read = readSettings(reader(inputs), env);
  if (!read.ok) throw new Error(read.problems.join('\n'));
  return read.warnings;
}

function settingsOf(input: (name: string) => string, env: Record<string, string>) {
  const read = readSettings(input, env);
  if (!read.ok) throw new Error(read.problems.join('\n'));
  return read.settings;
}

// [what, inputs over a valid base, the input the message must name, a phrase it must contain]
const invalid: Array<[string, Record<string, string>, string, string]> = [
  ['account-id too short', { 'account-id': 'abc123' }, 'account-id', '32-character hexadecimal ID'],
  ['account-id missing', { 'account-id': '' }, 'account-id', 'required'],
  ['user-group-id with a path', { 'user-group-id': `${G}/../../x` }, 'user-group-id', '32-character hexadecimal ID'],
  ['user-group-id with a query', { 'user-group-id': `${G}?x=1` }, 'user-group-id', '32-character hexadecimal ID'],
  [
    'user-group-id with an encoded slash',
    { 'user-group-id': `${G.slice(3)}%2F` },
    'user-group-id',
    '32-character hexadecimal ID',
  ],
  [
    'one bad user-group-id among good ones',
    { 'user-group-id': `${G}\n${'c'.repeat(31)}g` },
    'user-group-id',
    '32-character hexadecimal ID',
  ],
  ['no group at all', { 'user-group-id': '' }, 'user-group-id', 'required'],
  ['member-id not hex', { 'member-id': 'z'.repeat(32) }, 'member-id', '32-character hexadecimal ID'],
  [
    'member-id with a newline inside',
    { 'member-id': `${M.slice(0, 16)}\n${M.slice(16)}` },
    'member-id',
    '32-character hexadecimal ID',
  ],
  ['no member', { 'member-id': '' }, 'member-id', 'required'],
  ['both member-id and member-email', { 'member-email': 'ann@example.com' }, 'member-email', 'exactly one'],
  [
    'member-email without @',
    { 'member-id': '', 'member-email': 'ann.example.com' },
    'member-email',
    'one plain email address (local@domain)',
  ],
  [
    'member-email with two @',
    { 'member-id': '', 'member-email': 'ann@x@example.com' },
    'member-email',
    'one plain email address (local@domain)',
  ],
  [
    'member-email with a space',
    { 'member-id': '', 'member-email': 'ann smith@example.com' },
    'member-email',
    'one plain email address (local@domain)',
  ],
  [
    'member-email of 120,000 characters',
    { 'member-id': '', 'member-email': `${'a'.repeat(120_000)}@example.com` },
    'member-email',
    'at most 254 characters',
  ],
  ['user-group-id with all-groups', { 'all-groups': 'true' }, 'all-groups', 'only one way'],
  ['user-group-name with user-group-id', { 'user-group-name': 'Engineers' }, 'user-group-name', 'only one way'],
  ['all-groups not a boolean', { 'user-group-id': '', 'all-groups': 'yes' }, 'all-groups', 'true or false'],
  ['dry-run not a boolean', { 'dry-run': '1' }, 'dry-run', 'true or false'],
  ['if-not-member unknown', { 'if-not-member': 'ignore' }, 'if-not-member', 'fail, skip'],
  ['max-retries negative', { 'max-retries': '-1' }, 'max-retries', 'whole number from 0 to 10'],
  ['max-retries too large', { 'max-retries': '1000' }, 'max-retries', 'whole number from 0 to 10'],
  ['timeout-seconds zero', { 'timeout-seconds': '0' }, 'timeout-seconds', 'from 1 to 600'],
  ['timeout-seconds not a number', { 'timeout-seconds': 'ten' }, 'timeout-seconds', 'from 1 to 600'],
  ['concurrency fractional', { concurrency: '2.5' }, 'concurrency', 'whole number from 1 to 50'],
  [
    'api-base-url over http to a public host',
    { 'api-base-url': 'http://api.cloudflare.com/client/v4' },
    'api-base-url',
    'https:',
  ],
  ['api-base-url not a URL', { 'api-base-url': 'api.cloudflare.com' }, 'api-base-url', 'absolute URL'],
  [
    'api-base-url with credentials',
    { 'api-base-url': 'https://user:pw@api.example.com/client/v4' },
    'api-base-url',
    'credentials',
  ],
  [
    'api-base-url on a loopback look-alike',
    { 'api-base-url': 'http://127.0.0.1.example.com/client/v4' },
    'api-base-url',
    'https:',
  ],
  ['no credentials', { 'api-token': '' }, 'api-token', 'no Cloudflare credentials'],
  ['api-token and api-key', { 'api-key': 'global-key-0123' }, 'api-key', 'not both'],
  [
    'api-key without api-email',
    { 'api-token': '', 'api-key': 'global-key-0123' },
    'api-email',
    'required with api-key',
  ],
  ['api-email alone', { 'api-token': '', 'api-email': 'a@example.com' }, 'api-key', 'without api-key'],
  ['api-token on two lines', { 'api-token': 'cfut_first-half\ncfut_second-half' }, 'api-token', 'must be one line'],
  [
    'api-token with its Bearer prefix',
    { 'api-token': 'Bearer cfut_abcdef0123456789' },
    'api-token',
    'remove the "Bearer " prefix',
  ],
  [
    'api-token with a space inside',
    { 'api-token': 'cfut_abc def0123456789' },
    'api-token',
    'cannot be sent in an HTTP header',
  ],
  [
    'a Global API key in api-token',
    { 'api-token': `${'0123456789abcdef'.repeat(2)}ABCDE` },
    'api-key',
    'is a Global API key, not an API token',
  ],
  [
    'a user API token in api-key',
    { 'api-token': '', 'api-email': 'a@example.com', 'api-key': `cfut_${'x'.repeat(40)}` },
    'api-token',
    'is an API token, not a Global API key',
  ],
  [
    'an account API token in api-key, without api-email',
    { 'api-token': '', 'api-key': `cfat_${'x'.repeat(40)}` },
    'api-token',
    'is an API token, not a Global API key',
  ],
  ['api-email beside api-token', { 'api-email': 'a@example.com' }, 'api-email', 'remove api-email'],
  [
    'api-key on two lines',
    { 'api-token': '', 'api-email': 'a@example.com', 'api-key': 'key-part-one\nkey-part-two' },
    'api-key',
    'must be one line',
  ],
  ['protected-members entry neither id nor email', { 'protected-members': 'ann' }, 'protected-members', 'member IDs'],
  [
    'required-permission unknown',
    { 'required-permission': 'owner' },
    'required-permission',
    'read, triage, write, maintain, admin, none',
  ],
  ['comment-on-issue not a boolean', { 'comment-on-issue': 'on' }, 'comment-on-issue', 'true or false'],
];

describe('invalid inputs', () => {
  it.each(invalid)('%s: a problem naming the input', (_what, inputs, input, phrase) => {
    const found = problems({ ...valid, ...inputs });
    const message = problemsMessage(found);
    expect(message).toContain(input);
    expect(message).toContain(phrase);
    expect(message.length).toBeLessThan(1_000);
  });
});

describe('readSettings', () => {
  it('applies the contract defaults', () => {
    const settings = settingsOf(reader(valid), {});
    expect(settings).toMatchObject({
      groups: { by: 'id', ids: [G] },
      members: [{ by: 'id', id: M }],
      credentials: { scheme: 'token', token: 'token-value' },
      ifNotMember: 'fail',
      dryRun: false,
      maxRetries: 3,
      timeoutMs: 30_000,
      concurrency: DEFAULT_CONCURRENCY,
      baseUrl: DEFAULT_BASE_URL,
      github: { token: '', requiredPermission: 'write', commentOnIssue: false, timeoutMs: 30_000 },
    });
  });

  it('reads account, token and base URL from the environment', () => {
    const settings = settingsOf(reader({ 'user-group-id': G, 'member-id': M }), {
      CLOUDFLARE_ACCOUNT_ID: 'D'.repeat(32),
      CLOUDFLARE_API_TOKEN: ' env-token ',
      CLOUDFLARE_BASE_URL: 'https://proxy.example.com/client/v4/',
    });
    expect(settings.accounts).toEqual({ by: 'ids', ids: ['d'.repeat(32)] });
    expect(settings.credentials).toEqual({ scheme: 'token', token: 'env-token' });
    expect(settings.baseUrl).toBe('https://proxy.example.com/client/v4');
  });

  it('prefers inputs over the environment, as one set of credentials', () => {
    const env = {
      CLOUDFLARE_API_TOKEN: 'env-token',
      CLOUDFLARE_API_KEY: 'env-key',
      CLOUDFLARE_EMAIL: 'env@example.com',
    };
    expect(
      settingsOf(reader({ ...valid, 'api-token': '', 'api-key': 'key-value', 'api-email': 'me@example.com' }), env)
        .credentials,
    ).toEqual({
      scheme: 'global-key',
      email: 'me@example.com',
      key: 'key-value',
    });
    expect(problems({ ...valid, 'api-token': '' }, env)).toEqual([
      'api-token, api-key: give either an API token or a Global API key with api-email, not both (read from CLOUDFLARE_API_TOKEN, CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY, as no credential input is given).',
    ]);
  });

  it('splits names on newlines only', () => {
    const settings = settingsOf(
      reader({ ...valid, 'user-group-id': '', 'user-group-name': ' Sales, EMEA \n\nOps\nOps' }),
      {},
    );
    expect(settings.groups).toEqual({ by: 'name', names: ['Sales, EMEA', 'Ops'] });
  });

  it('sorts protected members into ids and emails folded in ASCII case', () => {
    const settings = settingsOf(
      reader({
        ...valid,
        'protected-members': `Root@Example.com, ${'F'.repeat(32)}\nops@example.com, o'brien@example.com`,
      }),
      {},
    );
    expect([...settings.protectedMembers.emails]).toEqual([
      'root@example.com',
      'ops@example.com',
      "o'brien@example.com",
    ]);
    expect([...settings.protectedMembers.ids]).toEqual(['f'.repeat(32)]);
  });

  // A pasted address that is cleaned up would protect an address nobody typed; it is refused instead.
  const pasted: Array<[string, string]> = [
    ['<owner@example.com>', 'no quotes, angle brackets, commas or semicolons'],
    ['mailto:owner@example.com', 'no mailto: prefix'],
    ['owner@example.com;', 'no quotes, angle brackets, commas or semicolons'],
    ['owner@example.com.', 'no trailing dot'],
    ['"owner"@example.com', 'no quotes, angle brackets, commas or semicolons'],
    ['owner\u200b@example.com', 'printable ASCII only'],
    ['own\u00ader@example.com', 'printable ASCII only'],
    ['owner@example.com\u2060', 'printable ASCII only'],
    ['\u212Aate@example.com', 'printable ASCII only'],
  ];
  it.each(pasted)('refuses the protected entry %j, saying why and showing invisible characters', (entry, why) => {
    const [problem] = problems({ ...valid, 'protected-members': `ok@example.com\n${entry}` });
    expect(problem).toContain(
      'protected-members: expected member IDs (32 hexadecimal characters) or plain email addresses',
    );
    expect(problem).toContain(why);
    expect(problem).not.toMatch(/[^\x20-\x7e\n]/);
    expect(problem).toContain(quote(entry));
  });

  it('refuses a pasted member-email the same way', () => {
    expect(problems({ ...valid, 'member-id': '', 'member-email': 'ann\u200b@example.com' })).toEqual([
      'member-email: expected one plain email address (local@domain), got "ann<U+200B>@example.com": printable ASCII only: no spaces, invisible or accented characters.',
    ]);
  });

  it('takes an approver permission only with the permission gate on', () => {
    expect(settingsOf(reader({ ...valid, 'approver-permission': 'maintain' }), {}).github.approverPermission).toBe(
      'maintain',
    );
    expect(problems({ ...valid, 'approver-permission': 'maintain', 'required-permission': 'none' })).toEqual([
      'approver-permission: works with the permission gate, which required-permission: none turns off; set required-permission too.',
    ]);
    expect(problems({ ...valid, 'approver-permission': 'boss' })[0]).toContain(
      'approver-permission: expected one of read, triage, write, maintain, admin',
    );
  });

  it('refuses a base URL with a query, a fragment or user info, even an empty one', () => {
    for (const url of [
      'https://api.example.com/client/v4?',
      'https://api.example.com/client/v4#',
      'https://a:b@api.example.com/v4',
    ]) {
      expect(problems({ ...valid, 'api-base-url': url })).toEqual([
        'api-base-url: must not contain credentials, a query or a fragment.',
      ]);
    }
  });

  it('accepts loopback hosts over http and only those', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:1', '[::1]:9', '127.1.2.3']) {
      expect(problems({ ...valid, 'api-base-url': `http://${host}/client/v4` })).toEqual([]);
    }
    for (const host of ['10.0.0.1', '127.0.0.1.nip.io', 'localhost.example.com', '0.0.0.0']) {
      expect(problems({ ...valid, 'api-base-url': `http://${host}/client/v4` })[0]).toMatch(
        /^api-base-url: must use https:/,
      );
    }
  });
});

describe('list, id and email parsing (properties)', () => {
  const entry = fc
    .string({ minLength: 1, maxLength: 12 })
    .map((s) => s.replace(/[\n,]/g, '').trim())
    .filter((s) => s !== '');

  it('splitList returns each entry once, whatever the separators and blanks', () => {
    const separator = fc.constantFrom(',', '\n', ' , ', '\n\n', ',\n', ' \n ');
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 8 }),
        fc.array(separator, { minLength: 8, maxLength: 8 }),
        (entries, separators) => {
          const text = entries.map((e, i) => `  ${e}${separators[i]}`).join('');
          expect(splitList(text)).toEqual([...new Set(entries)]);
        },
      ),
    );
  });

  it('accepts every 32-hex ID, in either case, and it stays one path segment', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F]{32}$/), (id) => {
        expect(isId(id)).toBe(true);
        const settings = settingsOf(reader({ ...valid, 'member-id': ` ${id}\n` }), {});
        const [given] = settings.members;
        const member = given?.by === 'id' ? given.id : '';
        expect(member).toBe(id.toLowerCase());
        expect(new URL(`https://x.test/members/${member}`).pathname).toBe(`/members/${member}`);
      }),
    );
  });

  it('rejects any ID with a character that is not hex, so nothing can reach the URL path', () => {
    const bad = fc.tuple(
      fc.stringMatching(/^[0-9a-f]{0,31}$/),
      fc.constantFrom('/', '.', '%', '?', '#', ' ', 'g', 'Z', '\\', '\u0000', 'é'),
      fc.stringMatching(/^[0-9a-f]{0,31}$/),
    );
    fc.assert(
      fc.property(bad, ([head, char, tail]) => {
        const value = `${head}${char}${tail}`;
        expect(isId(value)).toBe(false);
        if (value.trim() !== '')
          expect(problems({ ...valid, 'user-group-id': value }).some((p) => p.startsWith('user-group-id:'))).toBe(true);
      }),
    );
  });

  it('accepts emails with one @ and rejects whitespace, control characters and extra @', () => {
    const part = fc.stringMatching(/^[a-zA-Z0-9._+-]{0,19}[a-zA-Z0-9_+-]$/);
    fc.assert(
      fc.property(part, part, (local, domain) => {
        expect(isEmail(`${local}@${domain}`)).toBe(true);
      }),
    );
    const junk = fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '\u0000',
      '\u001f',
      '\u007f',
      '@',
      '"',
      '<',
      '>',
      ',',
      ';',
      '\u200b',
      '\u00e9',
    );
    fc.assert(
      fc.property(part, part, junk, (local, domain, j) => {
        expect(isEmail(`${local}${j}@${domain}`)).toBe(false);
      }),
    );
    expect(isEmail('@example.com')).toBe(false);
    expect(isEmail('ann@')).toBe(false);
  });

  it('keeps member-email as given; matching folds it later', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const settings = settingsOf(
          reader({ ...valid, 'member-id': '', 'member-email': ` ${email.toUpperCase()} ` }),
          {},
        );
        expect(settings.members).toEqual([{ by: 'email', email: email.toUpperCase() }]);
      }),
    );
  });

  it('never throws, and names an input in every problem, whatever the inputs', () => {
    const names = [
      'account-id',
      'user-group-id',
      'user-group-name',
      'all-groups',
      'member-id',
      'member-email',
      'api-token',
      'api-email',
      'api-key',
      'if-not-member',
      'dry-run',
      'protected-members',
      'max-retries',
      'timeout-seconds',
      'concurrency',
      'api-base-url',
      'required-permission',
      'comment-on-issue',
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), fc.string({ maxLength: 40 })), (inputs) => {
        for (const problem of problems(inputs)) expect(problem).toMatch(/^[a-z-]+(, [a-z-]+)*: /);
      }),
    );
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});

describe('several members', () => {
  const emails = (value: string) =>
    settingsOf(reader({ ...valid, 'member-id': '', 'member-email': value }), {}).members;

  it('reads a list of emails or ids, one per line or comma-separated, each member once', () => {
    expect(emails('ann@example.com\nBob@example.com, ann@EXAMPLE.com\r\n\n cy@example.com ')).toEqual([
      { by: 'email', email: 'ann@example.com' },
      { by: 'email', email: 'Bob@example.com' },
      { by: 'email', email: 'cy@example.com' },
    ]);
    const ids = settingsOf(reader({ ...valid, 'member-id': `${M}\n${M.toUpperCase()},${'d'.repeat(32)}` }), {});
    expect(ids.members).toEqual([
      { by: 'id', id: M },
      { by: 'id', id: 'd'.repeat(32) },
    ]);
  });

  it('takes at most 100 members in one run', () => {
    const list = (count: number) => Array.from({ length: count }, (_, i) => `p${i}@example.com`).join('\n');
    expect(emails(list(100))).toHaveLength(100);
    expect(problems({ ...valid, 'member-id': '', 'member-email': list(101) })).toEqual([
      'member-email: at most 100 members in one run, got 101.',
    ]);
  });

  it('names the entries of a list that are not addresses or ids', () => {
    expect(problems({ ...valid, 'member-id': '', 'member-email': 'ann@example.com\n<bob@example.com>' })).toEqual([
      'member-email: expected plain email addresses (local@domain), got "<bob@example.com>" (no quotes, angle brackets, commas or semicolons).',
    ]);
    expect(problems({ ...valid, 'member-id': `${M}\nnot-an-id` })).toEqual([
      'member-id: expected a 32-character hexadecimal ID, got "not-an-id".',
    ]);
  });
});

describe('foldEmail (properties)', () => {
  it('makes two ASCII addresses equal exactly when they differ in letter case only', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.emailAddress(), (a, b) => {
        expect(foldEmail(a) === foldEmail(b)).toBe(a.toLowerCase() === b.toLowerCase());
      }),
    );
    fc.assert(
      fc.property(fc.emailAddress(), fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }), (email, upper) => {
        const mixed = [...email].map((c, i) => (upper[i % 80] ? c.toUpperCase() : c)).join('');
        expect(foldEmail(mixed)).toBe(foldEmail(email));
      }),
    );
  });

  it('changes no character outside ASCII, so no Unicode folding makes another address equal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const folded = foldEmail(text);
        expect(folded.length).toBe(text.length);
        for (let i = 0; i < text.length; i++) {
          if (text.charCodeAt(i) > 0x7f) expect(folded[i]).toBe(text[i]);
        }
      }),
    );
    // U+212A KELVIN SIGN and U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE lower-case into ASCII letters.
    expect(foldEmail('\u212Aate@example.com')).not.toBe(foldEmail('kate@example.com'));
    expect(foldEmail('\u0130an@example.com')).not.toBe(foldEmail('ian@example.com'));
    expect(foldEmail('ANN@Example.COM')).toBe('ann@example.com');
  });
});

describe('bounds', () => {
  it('rejects an email over 254 characters and lists at most a few examples of bad entries', () => {
    expect(problems({ ...valid, 'member-id': '', 'member-email': `${'a'.repeat(250)}@x.io` })[0]).toContain(
      'at most 254 characters',
    );
    const message = problemsMessage(Array.from({ length: 30 }, (_, i) => `input-${i}: bad.`));
    expect(message.split('\n')).toHaveLength(12);
    expect(message).toContain('… and 20 more problems.');
  });

  it('refuses credentials that cannot be one header line, without showing them', () => {
    for (const token of ['two\nlines-of-token', 'Bearer abcdefgh', 'bearer\tabcdefgh', 'with space', 'non-ascii-é']) {
      const found = problems({ ...valid, 'api-token': token });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^api-token: /);
      expect(found[0]).not.toContain(token.trim());
    }
  });
});

describe('credentials that are certainly of the other kind', () => {
  const hex37 = fc.stringMatching(/^[0-9a-fA-F]{37}$/);
  const scannable = fc
    .tuple(fc.constantFrom('cfut_', 'cfat_'), fc.stringMatching(/^[\w-]{1,60}$/))
    .map(([prefix, rest]) => `${prefix}${rest}`);
  const noCredentialInputs = { ...valid, 'api-token': '' };
  const ENV_WHERE = '(read from CLOUDFLARE_API_TOKEN, CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY';

  it('refuses a Global API key in api-token, in any case, beside api-email or not, naming api-key', () => {
    fc.assert(
      fc.property(hex37, fc.constantFrom('', 'a@example.com'), (key, email) => {
        expect(problems({ ...valid, 'api-token': ` ${key} `, 'api-email': email })).toEqual([
          'api-token: the value is a Global API key, not an API token: give it in api-key together with api-email, or create an API token (recommended).',
        ]);
      }),
    );
  });

  it('takes values that only look like a key: 36 or 38 hexadecimal characters', () => {
    for (const token of ['a'.repeat(36), 'a'.repeat(38), `${'a'.repeat(36)}g`]) {
      expect(problems({ ...valid, 'api-token': token })).toEqual([]);
    }
  });

  it('refuses an API token in api-key, with api-email or without, naming api-token', () => {
    fc.assert(
      fc.property(scannable, fc.constantFrom('', 'a@example.com', 'not-an-email'), (token, email) => {
        expect(problems({ ...noCredentialInputs, 'api-key': token, 'api-email': email })).toEqual([
          'api-key: the value is an API token, not a Global API key: give it in api-token, without api-email.',
        ]);
      }),
    );
    // Only the lower-case prefixes are Cloudflare's.
    expect(
      settingsOf(reader({ ...noCredentialInputs, 'api-key': 'CFUT_x', 'api-email': 'a@example.com' }), {}),
    ).toMatchObject({ credentials: { scheme: 'global-key', key: 'CFUT_x' } });
  });

  it('refuses api-email beside api-token, saying which input to use', () => {
    expect(problems({ ...valid, 'api-email': 'a@example.com' })).toEqual([
      'api-email: not used with api-token, as an API token needs no email: remove api-email, or give a Global API key in api-key instead of api-token.',
    ]);
  });

  it('refuses the same mistakes read from the environment, saying where they were read', () => {
    const env = (variables: Record<string, string>) => problems(noCredentialInputs, variables);
    expect(env({ CLOUDFLARE_API_TOKEN: 'f'.repeat(37), CLOUDFLARE_EMAIL: 'a@example.com' })[0]).toMatch(
      /^api-token: the value is a Global API key.*\(read from CLOUDFLARE_API_TOKEN/,
    );
    expect(env({ CLOUDFLARE_API_KEY: `cfat_${'x'.repeat(40)}`, CLOUDFLARE_EMAIL: 'a@example.com' })[0]).toContain(
      `give it in api-token, without api-email ${ENV_WHERE}`,
    );
  });

  it('only warns about CLOUDFLARE_API_TOKEN beside CLOUDFLARE_EMAIL, and the run goes on with the token', () => {
    const env = { CLOUDFLARE_API_TOKEN: 'env-token', CLOUDFLARE_EMAIL: 'ops@example.com' };
    const read = readSettings(reader(noCredentialInputs), env);
    expect(read).toMatchObject({ ok: true, settings: { credentials: { scheme: 'token', token: 'env-token' } } });
    expect(warnings(noCredentialInputs, env)).toEqual([
      'CLOUDFLARE_EMAIL: not used, as the token in CLOUDFLARE_API_TOKEN needs no email. To silence this, give the token in the api-token input, which makes the action ignore the CLOUDFLARE_* credential variables.',
    ]);
    expect(warnings(valid, {})).toEqual([]);
  });

  it('says nothing of the variables when a credential input is given: inputs win', () => {
    const env = { CLOUDFLARE_API_TOKEN: 'env-token', CLOUDFLARE_EMAIL: 'ops@example.com' };
    expect(warnings(valid, env)).toEqual([]);
    const keyInputs = { ...noCredentialInputs, 'api-key': 'key-value', 'api-email': 'me@example.com' };
    expect(warnings(keyInputs, env)).toEqual([]);
    expect(settingsOf(reader(keyInputs), env).credentials).toEqual({
      scheme: 'global-key',
      email: 'me@example.com',
      key: 'key-value',
    });
  });

  it('never shows a credential value in a problem or a warning, wherever it is given', () => {
    const value = fc.oneof(hex37, scannable, fc.string({ minLength: 12, maxLength: 60 }));
    const slot = fc.option(value, { nil: undefined });
    const email = fc.option(fc.constantFrom('a@example.com', 'not an email'), { nil: undefined });
    fc.assert(
      fc.property(slot, slot, email, slot, slot, email, (token, key, mail, envToken, envKey, envMail) => {
        const inputs = {
          ...noCredentialInputs,
          'api-token': token ?? '',
          'api-key': key ?? '',
          'api-email': mail ?? '',
        };
        const env = Object.fromEntries(
          Object.entries({ CLOUDFLARE_API_TOKEN: envToken, CLOUDFLARE_API_KEY: envKey, CLOUDFLARE_EMAIL: envMail })
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, v!]),
        );
        const read = readSettings(reader(inputs), env);
        const said = (read.ok ? read.warnings : read.problems).join('\n');
        for (const secret of [token, key, envToken, envKey]) {
          if (secret !== undefined && secret.trim().length >= 12) expect(said).not.toContain(secret.trim());
        }
      }),
    );
  });
});

describe('an empty secret or variable', () => {
  const causes = ['environment:', 'organisation', 'shared with this repository', 'secrets.NAME', 'from a fork'];

  it.each([
    ['account-id', { 'account-id': '' }],
    ['api-token', { 'api-token': '' }],
    ['api-email', { 'api-token': '', 'api-key': 'key-value' }],
    ['api-key', { 'api-token': '', 'api-email': 'a@example.com' }],
  ])('%s: the message says why a secret or variable can arrive empty', (input, inputs) => {
    const [problem] = problems({ ...valid, ...inputs });
    expect(problem).toMatch(new RegExp(`^${input}: `));
    for (const cause of causes) expect(problem).toContain(cause);
  });

  it('says the causes once, when account-id and the credentials are both empty', () => {
    const message = problemsMessage(problems({ ...valid, 'account-id': '', 'api-token': '' }));
    expect(message.split(EMPTY_VALUE_CAUSES)).toHaveLength(2);
    expect(message).toContain('api-token: no Cloudflare credentials');
  });

  it('says nothing of secrets when the value is there but wrong', () => {
    expect(problems({ ...valid, 'account-id': 'abc' })[0]).not.toContain(EMPTY_VALUE_CAUSES);
    expect(problems({ ...valid, 'api-token': 'Bearer x' })[0]).not.toContain(EMPTY_VALUE_CAUSES);
  });
});
