import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../../src/cloudflare/answer.js';
import { redactor } from '../../src/redaction.js';
import { cut, neutralizeCommands, safeText } from '../../src/safe-text.js';
import { parseCommand, runnerLines } from '../helpers/runner-commands.ts';

// Text an attacker controls: command syntax of both kinds, every whitespace the runner trims and
// every line break it splits on, mixed with ordinary characters.
const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '::',
        '##[',
        ']',
        'add-mask',
        'stop-commands',
        'error',
        ' ',
        '\t',
        '\u00a0',
        '\u2000',
        '\u3000',
        '\u0085',
        '\u2028',
        '\r',
        '\n',
        '\r\n',
        '%0A',
        ':',
        '#',
        '[',
      ),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('neutralizeCommands', () => {
  it('leaves no line the runner would read as a command, in either syntax', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        for (const line of runnerLines(neutralizeCommands(text)))
          expect(parseCommand(line), JSON.stringify(line)).toBeUndefined();
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves ordinary text as it is', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/(^|[\r\n])[\s\u0085\u180e\u200b]*::/u.test(text) && !text.includes('##['));
        expect(neutralizeCommands(text)).toBe(text);
      }),
    );
    expect(
      neutralizeCommands('DELETE /accounts/x: HTTP 409 Conflict: 10409: Simulated 409 (see https://example.com/a::b)'),
    ).toBe('DELETE /accounts/x: HTTP 409 Conflict: 10409: Simulated 409 (see https://example.com/a::b)');
  });

  it('shows what it changed, visibly', () => {
    expect(neutralizeCommands('  ::add-mask::word\n##[stop-commands]x')).toBe(
      '  : :add-mask::word\n# #[stop-commands]x',
    );
  });
});

describe('redaction', () => {
  it('removes a credential in each escaped form a reader may see', () => {
    const secret = 'cfut_a|b<c>&"d\\e`f*g';
    const redact = redactor([secret]);
    const forms = [
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(secret),
      secret.replace(/\|/g, '\\|'),
    ];
    for (const form of forms) expect(redact(`before ${form} after`)).toBe('before *** after');
  });

  it('masks each line of a multi-line credential, but not a line too short to be one', () => {
    const redact = redactor(['first-line-of-it\nab\nsecond-line-of-it']);
    expect(redact('x first-line-of-it y second-line-of-it z ab')).toBe('x *** y *** z ab');
  });

  it('cuts only after redacting: no piece of a credential survives any cut', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{12,40}$/),
        fc.stringMatching(/^[a-z ]{0,80}$/),
        fc.stringMatching(/^[a-z ]{0,80}$/),
        fc.integer({ min: 1, max: 200 }),
        (secret, before, after, limit) => {
          const text = safeText([secret]);
          expect(text.excerpt(`${before}${secret}${after}`, limit)).not.toMatch(/[A-Z]{2}/);
          expect(text.forLog(`${before}${secret}${after}`)).not.toMatch(/[A-Z]{2}/);
        },
      ),
    );
  });
});

describe('redaction of encoded and wrapped credentials', () => {
  const secret = 'cfut_Zx9-secret-value-0123456789';
  const redact = redactor([secret]);

  it('finds a credential base64-encoded inside any text, at any offset, in either alphabet', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (before, after) => {
        const encoded = Buffer.from(`${before}${secret}${after}`).toString('base64');
        for (const form of [encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_')]) {
          const shown = redact(`x ${form} y`);
          expect(shown).toContain('***');
          // Whatever is left of the encoding decodes to no more than a few characters of the secret.
          const rest = Buffer.from(shown.replace('***', ''), 'base64').toString('latin1');
          expect(rest).not.toContain(secret.slice(4, 12));
        }
      }),
    );
  });

  it('finds a credential broken across lines, raw or escaped, with an indent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: secret.length - 1 }),
        fc.constantFrom('\n', '\r\n', '\n    ', '\\n', '\\r\\n  '),
        (at, lineBreak) => {
          const shown = redact(`token: ${secret.slice(0, at)}${lineBreak}${secret.slice(at)} end`);
          expect(shown).toBe('token: *** end');
        },
      ),
    );
  });
});

describe('controls and line breaks from outside', () => {
  it('shows control characters instead of passing them to the terminal, in every sink', () => {
    const text = safeText([]);
    for (const sink of [text.forLog, text.forAnnotation, text.forOutput]) {
      expect(sink('a\u001b[31mred\u0007\u009b')).toBe('a\\x1b[31mred\\x07\\x9b');
      expect(sink('keeps\ttabs\nand lines')).toBe('keeps\ttabs\nand lines');
    }
  });

  it('puts API text on one line, so it can never start a log line of its own', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', ' ', '\r', '\n', '\u0085', '\u2028', '\u2029', '\u00e9'),
          maxLength: 40,
        }),
        (message) => {
          expect(oneLine(message)).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
        },
      ),
    );
    expect(oneLine('a\r\nb\u2028c')).toBe('a\\r\\nb\\u2028c');
  });
});

describe('cut', () => {
  it('keeps whole code points and says how much it left out', () => {
    expect(cut('abc', 5)).toBe('abc');
    expect(cut('abcdef', 3)).toBe('abc… (3 more characters)');
    expect(cut('ab😀cd', 3)).toBe('ab… (4 more characters)');
  });
});

describe('Markdown', () => {
  const md = new MarkdownIt({ html: true, linkify: true });
  const text = safeText([]);
  const decode = (html: string) =>
    html
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');

  it('renders any text in a table cell as exactly that text inside one code element', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (raw) => {
        const shown = raw.replace(/[\r\n]+/g, ' ');
        fc.pre(shown.trim() !== '');
        const html = md.render(`| a |\n| --- |\n| ${text.code(raw)} |\n`);
        const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
        expect(cells).toHaveLength(1);
        const match = /^<code>([\s\S]*)<\/code>$/.exec(cells[0]!);
        expect(match, html).not.toBeNull();
        expect(decode(match![1]!)).toBe(shown);
      }),
      { numRuns: 2000 },
    );
  });

  it('renders any text as a block that holds exactly that text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (raw) => {
        const html = md.render(text.block(raw));
        const match = /^<pre><code class="language-text">([\s\S]*)<\/code><\/pre>\n$/.exec(html);
        expect(match, html).not.toBeNull();
        expect(decode(match![1]!)).toBe(`${raw.replace(/\r\n?/g, '\n')}\n`);
      }),
      { numRuns: 2000 },
    );
  });

  it('makes mentions, links and HTML inert', () => {
    const html = md.render(
      `Group ${text.code('@octo-org/admins <img src=x> https://evil.test www.evil.test')} and ${text.code('@mona')}`,
    );
    expect(html.replace(/<code>[\s\S]*?<\/code>/g, '')).toBe('<p>Group  and </p>\n');
  });
});
