// Attack on what the restore says of a record of an offboarding that failed part-way: a DELETE that
// was sent and whose effect is unknown is not signed (rightly), but the restore must not then tell
// the reader that the run changed nothing and end green.
import { describe, expect, it } from 'vitest';
import { seeded, visible } from '../helpers/fixture.ts';

const KEY = 'r'.repeat(40);

describe('a record whose only removal is unknown (sent, answered 502, the read to settle it failed)', () => {
  it('bundle: the restore does not call it a run that changed nothing, and names the group to check', async () => {
    const fixture = await seeded();
    const { sim, account, ann, engineers, run, restoreBundle } = fixture;
    // The DELETE takes effect and is answered 502; every read of the group after it fails.
    sim.faults.push({ kind: 'apply-then-status', method: 'DELETE', status: 502, path: new RegExp(engineers.id) });
    let deleted = false;
    sim.onRequest = (request) => {
      if (request.method === 'DELETE') deleted = true;
      else if (deleted && request.method === 'GET' && request.path.endsWith(`${engineers.id}/members`))
        sim.faults.push({ kind: 'status', method: 'GET', status: 500, path: new RegExp(`${engineers.id}/members$`) });
    };
    const offboarding = await run({
      'all-groups': 'true',
      'member-email': 'ann@example.com',
      'record-key': KEY,
      'max-retries': '0',
    });
    sim.onRequest = undefined;
    expect(offboarding.outputs.result).toContain('"outcome":"unknown"');
    // The run did remove her from Engineers.
    expect(sim.group(account, engineers.id).memberIds).not.toContain(ann.id);
    const result = await restoreBundle({
      'member-email': 'ann@example.com',
      'record-key': KEY,
      record: offboarding.outputs.accounts!,
    });
    // contract v1.3: "Sent is not the same as done, and not the same as not done. A write (...) that
    // was sent but not answered, or answered but not yet confirmed, (...) is recorded as `unknown`
    // with what to check, never as 'not done' and never as done." (Heading: "never a false all-clear".)
    // README (Undo an offboarding): the restore "puts back what an offboarding run removed, from
    // that run's record".
    const seen = visible(result);
    expect(seen).not.toContain('a run that changed nothing');
    expect(seen).toContain(engineers.id);
  });
});
