// As an attacker would: outside text that looks like workflow commands, mentions and links, and
// answers that echo the credentials, in this process with the real @actions/core. The runner's own parsers are the oracle.
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { seeded, TOKEN } from '../helpers/fixture.ts';
import { expectNoForgedCommand, expectNoTrace } from '../helpers/hostile.ts';

// Pieces an attacker combines: both command syntaxes, the whitespace the runner trims, every
// line break it splits on, escapes, mentions and links.
const piece = fc.constantFrom(
  '::',
  '::add-mask::',
  '::stop-commands::',
  '##[',
  '##[add-mask]',
  ']',
  ' ',
  '\t',
  '\u00a0',
  '\u2003',
  '\u3000',
  '\r',
  '\n',
  '\r\n',
  '%0A',
  '%25',
  'word',
  '@octo-org/admins',
  '@mona',
  'https://evil.test/x',
  '`',
  '|',
  '<b>',
  '&amp;',
  '\\',
);
const hostile = fc.array(piece, { minLength: 1, maxLength: 12 }).map((parts) => `x${parts.join('')}`);

describe('no workflow command comes of outside text', () => {
  it('from group names and API error messages, fuzzed', async () => {
    const samples = fc.sample(fc.tuple(hostile, hostile), { numRuns: 12, seed: 20261125 });
    for (const [name, message] of samples) {
      const { sim, account, ann, run } = await seeded();
      sim.addGroup(account, name, [ann.id]);
      sim.addGroup(account, `${name}-second`, [ann.id]);
      sim.faults.push({
        kind: 'answer',
        status: 409,
        method: 'DELETE',
        body: { success: false, errors: [{ code: 1, message }], messages: [], result: null },
      });
      const result = await run({ 'all-groups': 'true', 'member-id': ann.id });
      expect(result.exitCode).toBe(1);
      expectNoForgedCommand(result, [TOKEN]);
    }
  });

  it('keeps an ordinary error readable', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 409 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.errors[0]).toContain(`DELETE /accounts/`);
    expect(result.errors[0]).toContain(`: HTTP 409 Conflict: 10409: Simulated 409`);
    expect(result.stdout).not.toMatch(/# #\[|: :/);
  });
});

describe('echoed credentials never survive, whole or cut', () => {
  for (const padding of [150, 175, 190, 199, 205]) {
    it(`in an HTML error page cut to an excerpt, whatever falls at the cut (padding ${padding})`, async () => {
      const long = `cfut_${'k'.repeat(20)}${'Z'.repeat(30)}`;
      const { sim, ann, engineers, run } = await seeded({ tokens: { [long]: 'write' } });
      sim.faults.push({
        kind: 'answer',
        status: 400,
        body: `<html><body>${'.'.repeat(padding)} Authorization: Bearer ${long} ${'.'.repeat(400)}</body></html>`,
      });
      const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'api-token': long });
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toContain('with a body that is not a Cloudflare JSON answer');
      expectNoTrace(result, long);
    });
  }

  it('in the summary, a group name or error cannot smuggle a mention, a link or HTML', async () => {
    const { sim, account, ann, run } = await seeded();
    sim.addGroup(account, '@octo-org/security <img src=x onerror=alert(1)> https://evil.test', [ann.id], {
      scim: true,
    });
    const result = await run({ 'all-groups': 'true', 'member-id': ann.id });
    const html = new MarkdownIt({ linkify: true, html: true }).render(result.summary);
    expect(html).not.toMatch(/<a |<img/);
    expect(html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, '')).not.toMatch(/@|evil\.test/);
  });
});
