// Attack on the restore (restore/action.yml, dist/restore/index.js): a write that reached Cloudflare
// on one attempt and was refused with a 429 on the retry. The membership or the token is back; the
// record must not say "failed" (not done) without a read.
import { describe, expect, it } from 'vitest';
import { json, seeded } from '../helpers/fixture.ts';

const KEY = 'r'.repeat(40);
const UNDO = { 'member-email': 'ann@example.com', 'record-key': KEY };

/** ann offboarded in process from Engineers, her token deploy disabled; the signed accounts output. */
async function offboarded() {
  const fixture = await seeded();
  const { sim, account, run } = fixture;
  const deploy = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
  const offboarding = await run({
    'all-groups': 'true',
    'member-email': 'ann@example.com',
    'member-tokens': 'disable',
    'record-key': KEY,
  });
  expect(offboarding.exitCode).toBe(0);
  return { ...fixture, deploy, record: offboarding.outputs.accounts! };
}

// contract v1.3 "Sent is not the same as done, and not the same as not done": a write that was sent
// but not answered (...) or the answer is unclear, "is settled by a read where time allows (...); else
// it is recorded as `unknown` with what to check, never as 'not done' and never as done".
// README (Undo an offboarding): "`unknown` when a change was sent and neither its answer nor a read
// settled it (...), never 'not done'".
describe('a write applied on its first attempt, its last retry answered 429', () => {
  it('bundle: a group POST is not recorded as failed while the member is back in the group', async () => {
    const { sim, account, ann, engineers, record, restoreBundle } = await offboarded();
    sim.faults.push(
      { kind: 'apply-then-status', method: 'POST', status: 502, path: new RegExp(engineers.id) },
      { kind: 'status', method: 'POST', status: 429, retryAfter: '1', path: new RegExp(engineers.id) },
    );
    const result = await restoreBundle({ ...UNDO, record, 'max-retries': '1' });
    // The first attempt took effect: she is in Engineers again, through this run.
    expect(sim.group(account, engineers.id).memberIds).toContain(ann.id);
    const group = json(result.outputs.result).groups.find((g: { id: string }) => g.id === engineers.id);
    expect(group.outcome, group.error).not.toBe('failed');
    expect(['restored', 'unknown']).toContain(group.outcome);
    expect(result.outputs.restored).not.toBe('false');
  });

  it('bundle: a token PUT is not recorded as failed while the token is active again', async () => {
    const { sim, account, deploy, record, restoreBundle } = await offboarded();
    sim.faults.push(
      { kind: 'apply-then-status', method: 'PUT', status: 502, path: new RegExp(deploy.id) },
      { kind: 'status', method: 'PUT', status: 429, retryAfter: '1', path: new RegExp(deploy.id) },
    );
    const result = await restoreBundle({ ...UNDO, record, 'max-retries': '1' });
    expect(sim.token(account, deploy.id).status).toBe('active');
    const token = json(result.outputs.result).tokens.find((t: { id: string }) => t.id === deploy.id);
    expect(token.outcome, token.error).not.toBe('failed');
    expect(['restored', 'unknown']).toContain(token.outcome);
    expect(result.outputs.restored).not.toBe('false');
  });

  it('a Retry-After past the five-minute window: the POST that took effect is still not "failed"', async () => {
    // In this process, on the fake clock: the 429 pauses the run's other requests for 300 s.
    const { sim, account, ann, engineers, record, restore } = await offboarded();
    sim.faults.push(
      { kind: 'apply-then-status', method: 'POST', status: 502, path: new RegExp(engineers.id) },
      { kind: 'status', method: 'POST', status: 429, retryAfter: '3600', path: new RegExp(engineers.id) },
    );
    const result = await restore({ ...UNDO, record });
    expect(sim.group(account, engineers.id).memberIds).toContain(ann.id);
    const group = json(result.outputs.result).groups.find((g: { id: string }) => g.id === engineers.id);
    expect(group.outcome, group.error).not.toBe('failed');
    expect(result.errors.join('\n')).not.toMatch(new RegExp(`User group "Engineers" \\(${engineers.id}\\): .*429`));
  });
});
