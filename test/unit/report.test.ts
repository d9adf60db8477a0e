import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactor } from '../../src/redact.js';
import { buildReport, escapeMarkdown } from '../../src/report.js';
import { readSettings } from '../../src/inputs.js';

describe('redactor', () => {
  it('removes each secret, its JSON-escaped and URL-encoded forms, longest first', () => {
    const redact = redactor(['abc', 'abc"def', 'k/y+z']);
    expect(redact('token abc"def and abc')).toBe('token *** and ***');
    expect(redact(JSON.stringify({ message: 'abc"def' }))).toBe('{"message":"***"}');
    expect(redact('key=k%2Fy%2Bz')).toBe('key=***');
  });

  it('never leaves a secret in any text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.string(), fc.string(), (secret, before, after) => {
        expect(redactor([secret])(`${before}${secret}${after}`)).not.toContain(secret);
      }),
    );
  });

  it('ignores empty secrets', () => {
    expect(redactor([''])('unchanged')).toBe('unchanged');
  });
});

describe('escapeMarkdown', () => {
  it('makes HTML, table pipes, links and newlines inert', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)> | [x](http://e) `c`\nnext')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; \\| \\[x\\](http://e) \\`c\\` next',
    );
  });
});

describe('buildReport', () => {
  const settings = readSettings((name) => ({ 'account-id': 'a'.repeat(32), 'all-groups': 'true', 'member-email': 'ann@example.com', 'api-token': 't' })[name] ?? '', {});
  const group = (id: string, name?: string) => ({ id: id.repeat(32), ...(name && { name }) });

  it('takes the member from a removal first, and fills the outputs', () => {
    const report = buildReport(settings, { id: '', email: 'ann@example.com' }, [
      { group: group('1', 'One'), outcome: 'removed', member: { id: 'f'.repeat(32), email: 'ann@example.com', status: 'accepted' } },
      { group: group('2'), outcome: 'failed', error: 'HTTP 500' },
    ], { redact: (text) => text });
    expect(report.outputs).toMatchObject({ id: 'f'.repeat(32), email: 'ann@example.com', status: 'accepted', removed: 'true', 'removed-groups': JSON.stringify(['1'.repeat(32)]) });
    expect(report.failure).toBe(`Could not remove ann@example.com in 1 of 2 user groups:\n- ${'2'.repeat(32)}: HTTP 500`);
    expect(report.summary).toContain('| One | `' + '1'.repeat(32) + '` | ✅ removed |');
  });

  it('escapes group names and errors in the summary', () => {
    const report = buildReport(settings, { id: '', email: 'ann@example.com' }, [{ group: group('3', '<b>x</b>|y'), outcome: 'failed', error: 'a\nb' }], { redact: (text) => text });
    expect(report.summary).toContain('| &lt;b&gt;x&lt;/b&gt;\\|y |');
    expect(report.summary).toContain('❌ failed: a b |');
    expect(report.summary).toContain('**Failed:** Could not remove ann@example.com in 1 of 1 user group:  \n- "&lt;b&gt;x&lt;/b&gt;\\|y"');
  });

  it('redacts free text before escaping it, so escaping cannot hide a secret', () => {
    const report = buildReport(settings, { id: '', email: 'ann@example.com' }, [{ group: group('4', 'G'), outcome: 'failed', error: 'echo cf_secret_token' }], {
      redact: (text) => text.replaceAll('cf_secret_token', '***'),
    });
    expect(report.summary).not.toMatch(/cf\\?_secret\\?_token/);
    expect(report.outputs.result).not.toContain('cf_secret_token');
    expect(report.failure).toContain('echo ***');
  });
});
