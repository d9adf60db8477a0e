import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, keyValueBlock, neutralizeCommands, runnerToolkit } from '../../src/toolkit.js';
import { parseFileCommands } from '../../simulator/runner.ts';

function files() {
  const dir = mkdtempSync(join(tmpdir(), 'toolkit-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  return { output, summary };
}

describe('runnerToolkit', () => {
  it('reads inputs as the runner names them, trimmed', () => {
    const toolkit = runnerToolkit({ 'INPUT_MEMBER-ID': '  abc \n', INPUT_MY_INPUT: 'x' });
    expect(toolkit.getInput('member-id')).toBe('abc');
    expect(toolkit.getInput('my input')).toBe('x');
    expect(toolkit.getInput('absent')).toBe('');
  });

  it('writes outputs as delimited blocks that survive newlines', () => {
    const { output, summary } = files();
    const toolkit = runnerToolkit({ GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary }, () => {});
    toolkit.setOutput('result', '{"a":1}\nsecond line');
    toolkit.setOutput('removed', 'true');
    expect(parseFileCommands(readFileSync(output, 'utf8'))).toEqual({ result: '{"a":1}\nsecond line', removed: 'true' });
  });

  it('falls back to the set-output command when the runner names no output file', () => {
    const lines: string[] = [];
    runnerToolkit({}, (text) => lines.push(text)).setOutput('result', '{"a":"b,c"}\nnext');
    expect(lines).toEqual(['\n::set-output name=result::{"a":"b,c"}%0Anext\n']);
  });

  it('appends the summary, and refuses a missing file', async () => {
    const { output, summary } = files();
    const toolkit = runnerToolkit({ GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary }, () => {});
    await toolkit.summary('## one');
    await toolkit.summary('## two');
    expect(readFileSync(summary, 'utf8')).toBe('## one\n## two\n');
    await expect(runnerToolkit({}, () => {}).summary('x')).rejects.toThrow('GITHUB_STEP_SUMMARY is not set');
    expect(() => runnerToolkit({ GITHUB_OUTPUT: join(tmpdir(), 'no-such-dir', 'out') }, () => {}).setOutput('a', 'b')).toThrow('GITHUB_OUTPUT names a missing file');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('issues commands with escaped data, and fails the process', () => {
    const lines: string[] = [];
    const toolkit = runnerToolkit({}, (text) => lines.push(text));
    toolkit.setSecret('s3cr%t');
    toolkit.warning('two\nlines');
    toolkit.setFailed('bad\r\nthing');
    expect(lines).toEqual(['::add-mask::s3cr%25t\n', '::warning::two%0Alines\n', '::error::bad%0D%0Athing\n']);
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
  });

  it('keeps log text from becoming a command', () => {
    const lines: string[] = [];
    runnerToolkit({}, (text) => lines.push(text)).info('group "x\n::set-output name=removed::true"\n  ::add-mask::y');
    expect(lines[0]).toBe('group "x\n ::set-output name=removed::true"\n   ::add-mask::y\n');
  });
});

describe('helpers', () => {
  it('escapeData escapes %, CR and LF only', () => {
    expect(escapeData('100% a\r\nb: c, d')).toBe('100%25 a%0D%0Ab: c, d');
  });

  it('keyValueBlock refuses a value that contains its delimiter', () => {
    expect(keyValueBlock('a', 'b', 'DELIM')).toBe('a<<DELIM\nb\nDELIM');
    expect(() => keyValueBlock('a', 'x\nDELIM\ny', 'DELIM')).toThrow('contains its delimiter');
  });

  it('neutralizeCommands leaves other text alone', () => {
    expect(neutralizeCommands('a :: b\nc::d')).toBe('a :: b\nc::d');
  });
});
