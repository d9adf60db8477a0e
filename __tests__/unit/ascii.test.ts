// The bundle is written in ASCII (scripts/bundle.ts): each escape must mean the character it replaces.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiOnly } from '../../scripts/bundle.ts';

const isAscii = (text: string) => [...text].every((character) => character.codePointAt(0)! < 0x80);

describe('asciiOnly', () => {
  it('keeps the value of any string literal, astral characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const literal = asciiOnly(JSON.stringify(text));
        expect(isAscii(literal)).toBe(true);
        expect(JSON.parse(literal)).toBe(text);
      }),
    );
  });

  it('keeps the meaning of regular expressions, identifiers, templates and comments', () => {
    const body = [
      'const naïve = /[’‘]|😀/u.test("it’s") && /^😀$/u.test("😀");',
      'const quoted = `« ${naïve} »`; // a comment with — and ’',
      'return [naïve, quoted];',
    ].join('\n');
    const escaped = asciiOnly(body);
    expect(isAscii(escaped)).toBe(true);
    // The escaped text must still run as the same program.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    expect(new Function(escaped)()).toEqual([true, '« true »']);
  });

  it('refuses a non-ASCII character after a backslash, whose escape would mean something else', () => {
    expect(() => asciiOnly('"\\’"')).toThrow(/backslash/);
  });
});
