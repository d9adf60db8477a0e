// The token's rate budget: a sweep that needs more requests than the window has left waits for
// the window to reset, as the answers' headers announce it, instead of running into a 429.
import { describe, expect, it } from 'vitest';
import { json, seeded, TOKEN } from '../helpers/fixture.ts';

async function bigSweep(headers: 'ietf' | 'legacy' | 'none') {
  const { sim, account, ann, engineers, run } = await seeded({ rateLimit: { quota: 40, windowMs: 2_000, headers } });
  const holding = [engineers.id];
  for (let i = 0; i < 60; i++) {
    const group = sim.addGroup(account, `Team ${i}`, i % 20 === 0 ? [ann.id] : []);
    if (i % 20 === 0) holding.push(group.id);
  }
  const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
  return { sim, result, holding };
}

describe('rate budget', () => {
  for (const headers of ['ietf', 'legacy'] as const) {
    it(`paces a sweep larger than the budget without a single 429 (${headers} headers)`, async () => {
      const { sim, result, holding } = await bigSweep(headers);
      expect(result.exitCode).toBe(0);
      expect(sim.tooManyRequests).toBe(0);
      expect(sim.requests.length).toBeGreaterThan(40);
      expect(json(result.outputs['removed-groups']).sort()).toEqual(holding.sort());
      expect(result.stdout).toMatch(
        /Rate budget: no requests of 40 left in this window for these credentials; waiting [12] s for it to reset rather than be blocked for five minutes\./,
      );
    });
  }

  it('without the headers, falls back on 429s and their Retry-After, and still completes', async () => {
    const { sim, result, holding } = await bigSweep('none');
    expect(result.exitCode).toBe(0);
    expect(sim.tooManyRequests).toBeGreaterThan(0);
    expect(json(result.outputs['removed-groups']).sort()).toEqual(holding.sort());
  });
});

describe('requests per second', () => {
  it('starts at most 150 in any second, under an address allowance of 150, without a 429', async () => {
    const { sim, account, ann, run } = await seeded({ perSecond: 150 });
    const holding = Array.from({ length: 400 }, (_, i) =>
      sim.addGroup(account, `Team ${i}`, i % 100 === 7 ? [ann.id] : []),
    );
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(0);
    expect(sim.tooManyRequests).toBe(0);
    expect(holding.filter((group) => group.memberIds.includes(ann.id))).toEqual([]);
    const arrivals = sim.requests.map((request) => request.at).sort((a, b) => a - b);
    expect(arrivals.length).toBeGreaterThan(400);
    for (let i = 150; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 150]!).toBeGreaterThanOrEqual(1000);
  });

  it('the simulator refuses the 151st request within a second, and takes requests again a second later', async () => {
    const { sim, account, baseUrl, clock } = await seeded({ perSecond: 150 });
    const list = () =>
      fetch(`${baseUrl}/accounts/${account}/iam/user_groups`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const first = await Promise.all(Array.from({ length: 151 }, list));
    expect(first.filter((answer) => answer.status === 429).map((answer) => answer.headers.get('retry-after'))).toEqual([
      '1',
    ]);
    await clock.sleep(1000);
    expect((await list()).status).toBe(200);
    expect(sim.tooManyRequests).toBe(1);
  });
});
