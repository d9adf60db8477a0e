// Attack on the record the restore reads: text that is not a record the action writes, but parses
// to one (duplicate keys), and records past the bounds (size, depth) given as a file.
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, seeded } from '../helpers/fixture.ts';

const KEY = 'r'.repeat(40);
const UNDO = { 'member-email': 'ann@example.com', 'record-key': KEY };

async function offboarded() {
  const fixture = await seeded();
  const offboarding = await fixture.run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'record-key': KEY });
  expect(offboarding.exitCode).toBe(0);
  const mark = fixture.sim.requests.length;
  const sent = () => fixture.sim.requests.slice(mark);
  return { ...fixture, record: offboarding.outputs.accounts!, sent };
}

describe('a record with a key written twice', () => {
  it('bundle: is refused, not read as its last value', async () => {
    const { sim, account, ann, billing, record, restoreBundle, sent } = await offboarded();
    // What a reader of the text sees first (Billing, which that run never touched), and what
    // JSON.parse keeps (the signed list): the action never writes a key twice.
    const edited = record.replace('"removedGroups":', `"removedGroups":["${billing.id}"],"removedGroups":`);
    expect(edited).not.toBe(record);
    expect(json(edited)).toEqual(json(record));
    const result = await restoreBundle({ ...UNDO, record: edited });
    // contract v1.3 (undo and proof): restore "refuses a record that is not one the action writes";
    // README (Undo an offboarding, What it refuses): "anything but a result, members or accounts
    // output of this action (read strictly: a field it never writes, ...)".
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/^record: not a record this action writes/);
    expect(sent()).toEqual([]);
    expect(sim.group(account, billing.id).memberIds).not.toContain(ann.id);
  });
});

describe('holds: a record past the bounds, as a file', () => {
  it('bundle: too deep or too large is refused before any request, with a complete record and no crash', async () => {
    const { restoreBundle, sent } = await offboarded();
    const dir = tmpdir();
    const deep = join(dir, `deep-${process.pid}-${Date.now()}.json`);
    const n = 1_900_000;
    await writeFile(deep, `${'['.repeat(n)}${']'.repeat(n)}`);
    const large = join(dir, `large-${process.pid}-${Date.now()}.json`);
    await writeFile(large, `[${'"x",'.repeat(1_000_001)}"x"]`);
    const huge = join(dir, `huge-${process.pid}-${Date.now()}.json`);
    await writeFile(huge, ' '.repeat(16_000_001));
    try {
      for (const [file, says] of [
        [deep, 'is nested more than 16 levels deep'],
        [large, 'more than any of its outputs can hold'],
        [huge, 'more than any record of this action'],
      ] as const) {
        const result = await restoreBundle({ ...UNDO, 'record-file': file });
        expect(result.exitCode, file).toBe(1);
        expect(result.stderr, file).toBe('');
        expect(result.errors[0], file).toContain(says);
        expect(result.outputs, file).toMatchObject({ restored: 'false', 'restored-groups': '[]' });
      }
    } finally {
      await Promise.all([deep, large, huge].map((file) => rm(file, { force: true })));
    }
    expect(sent()).toEqual([]);
  });
});
