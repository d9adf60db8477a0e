// The outputs as a later step reads them: every expression the README and the example workflows
// show on this action's outputs, evaluated by GitHub's own expression evaluator against the real
// outputs of the bundle in each shape they take (one member, several, a dry run, a refusal, a run
// of named groups, a change whose effect is unknown, several accounts, a step that never ran), so
// that none fails ("empty input") or misleads.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../helpers/fixture.ts';
import { evaluate, ISSUE_WORKFLOW, loadWorkflow, stepIf } from '../helpers/workflow.ts';

type Fixture = Awaited<ReturnType<typeof seeded>>;
interface Shape {
  outputs: Record<string, string>;
  /** Whether the step failed (or never ran because an earlier one failed): failure() is true after it. */
  failed: boolean;
  ids: { engineers: string; billing: string; account: string; staging: string; deployers: string };
}

const SHAPES = [
  'one',
  'named',
  'several',
  'dry-run',
  'refused',
  'account-only',
  'unknown',
  'accounts',
  'never-ran',
] as const;
type ShapeName = (typeof SHAPES)[number];

// One run of the bundle per shape, side by side.
async function shape(name: ShapeName): Promise<Shape> {
  const fixture = await seeded();
  const { sim, account, engineers, billing } = fixture;
  // A second account that holds ann in one group, and a third that does not hold her.
  const staging = sim.addAccount(undefined, 'Staging');
  const deployers = sim.addGroup(staging, 'Deployers', [sim.addMember(staging, 'ann@example.com').id]);
  const sandbox = sim.addAccount(undefined, 'Sandbox');
  sim.addMember(sandbox, 'joann@example.com');
  const ids = { engineers: engineers.id, billing: billing.id, account, staging, deployers: deployers.id };
  if (name === 'never-ran') return { outputs: {}, failed: true, ids };
  const inputs = {
    ...shapeInputs(name, fixture),
    ...(name === 'accounts' && { 'account-id': [account, staging, sandbox].join('\n') }),
  };
  // unknown: the run is stopped while a token's update is in flight, after Cloudflare applied it.
  let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
  if (name === 'unknown') {
    sim.faults.push({ kind: 'slow', method: 'PUT', delayMs: 500 });
    sim.onRequest = (request) => void (request.method === 'PUT' && child?.kill('SIGTERM'));
  }
  const result = await fixture.bundle(inputs, { started: (running) => (child = running) });
  if (name === 'one') expect(sim.sessions(account, 'ann@example.com')).toBe(0);
  return { outputs: result.outputs, failed: result.exitCode !== 0, ids };
}

function shapeInputs(name: Exclude<ShapeName, 'never-ran'>, { sim, account }: Fixture): Record<string, string> {
  const everything = { 'member-tokens': 'disable', 'revoke-access-sessions': 'true', 'remove-from-account': 'true' };
  switch (name) {
    case 'one':
      sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
      sim.addSessions(account, 'ann@example.com', 2);
      return { 'member-email': 'ann@example.com', 'all-groups': 'true', ...everything };
    case 'named':
      return { 'member-email': 'joann@example.com', 'user-group-name': 'Engineers' };
    case 'several':
      return { 'member-email': 'ann@example.com\njoann@example.com', 'all-groups': 'true', 'member-tokens': 'report' };
    case 'dry-run':
      return { 'member-email': 'ann@example.com', 'all-groups': 'true', 'dry-run': 'true' };
    case 'refused':
      // As the example passes "Remove from the account" ticked with a group name.
      return { 'member-email': 'ann@example.com', 'user-group-name': 'Engineers', 'remove-from-account': 'true' };
    case 'account-only':
      sim.addMember(account, 'cy@example.com');
      return { 'member-email': 'cy@example.com', 'all-groups': 'true', 'remove-from-account': 'true' };
    case 'unknown':
      sim.addMember(account, 'cy@example.com');
      sim.addToken(account, { name: 'deploy', creator: 'cy@example.com' });
      return { 'member-email': 'cy@example.com', 'all-groups': 'true', 'member-tokens': 'disable' };
    case 'accounts':
      // Three accounts by account-id (set by shape()): ann in Engineers of the first, in Deployers of
      // the second, and not in the third.
      return { 'member-email': 'ann@example.com', 'all-groups': 'true' };
  }
}

/** What an expression gives in a shape: the value, a pattern it matches, or the value from the outputs. */
type Expected = string | RegExp | ((shape: Shape) => string);
type Table = Record<string, Record<ShapeName, Expected>>;

const none = (value: string, also: Partial<Record<ShapeName, Expected>> = {}) =>
  Object.fromEntries(SHAPES.map((name) => [name, also[name] ?? value])) as Record<ShapeName, Expected>;
const raw = (output: string) =>
  none('', Object.fromEntries(SHAPES.map((n) => [n, (s: Shape) => s.outputs[output] ?? ''])));

/** Every expression the README shows on the outputs, and what it gives in each shape. */
const README: Table = {
  // A group membership or the account membership (contract v1.3); neither in a dry run.
  "steps.remove.outputs.removed == 'true'": none('false', {
    one: 'true',
    named: 'true',
    several: 'true',
    'account-only': 'true',
    accounts: 'true',
  }),
  "join(fromJSON(steps.remove.outputs.removed-groups || '[]'), ', ')": none('', {
    one: (s) => s.ids.engineers,
    named: (s) => s.ids.engineers,
    several: (s) => `${s.ids.engineers}, ${s.ids.billing}`,
    accounts: (s) => `${s.ids.engineers}, ${s.ids.deployers}`,
  }),
  "join(fromJSON(steps.remove.outputs.members || '[]').*.email, ', ')": none('', {
    one: 'ann@example.com',
    named: 'joann@example.com',
    several: 'ann@example.com, joann@example.com',
    'dry-run': 'ann@example.com',
    'account-only': 'cy@example.com',
    unknown: 'cy@example.com',
    // One record per member per account, the third account's too.
    accounts: 'ann@example.com, ann@example.com, ann@example.com',
  }),
  "join(fromJSON(steps.remove.outputs.members || '[]').*.account.outcome, ', ')": none('', {
    one: 'removed',
    'account-only': 'removed',
  }),
  "join(fromJSON(steps.remove.outputs.result || '{}').groups.*.outcome, ', ')": none('', {
    one: 'removed',
    named: 'removed',
    'dry-run': 'would-remove',
  }),
  "join(fromJSON(steps.remove.outputs.result || '{}').members.*.groups.*.outcome, ', ')": none('', {
    several: 'removed, removed, removed',
  }),
  "join(fromJSON(steps.remove.outputs.result || '{}').accounts.*.groups.*.outcome, ', ')": none('', {
    accounts: 'removed, removed',
  }),
  "join(fromJSON(steps.remove.outputs.accounts || '[]').*.id, ', ')": none('', {
    one: (s) => s.ids.account,
    named: (s) => s.ids.account,
    several: (s) => s.ids.account,
    'dry-run': (s) => s.ids.account,
    'account-only': (s) => s.ids.account,
    unknown: (s) => s.ids.account,
    accounts: /^[0-9a-f]{32}, [0-9a-f]{32}, [0-9a-f]{32}$/,
  }),
  "contains(fromJSON(steps.remove.outputs.accounts || '[]').*.members.*.inAccount, true)": none('true', {
    refused: 'false',
    'never-ran': 'false',
  }),
  "join(fromJSON(steps.remove.outputs.accounts || '[]')[0].members[0].removedGroups, ', ')": none('', {
    one: (s) => s.ids.engineers,
    named: (s) => s.ids.engineers,
    several: (s) => s.ids.engineers,
    accounts: (s) => s.ids.engineers,
  }),
  "fromJSON(steps.remove.outputs.remaining-access || 'null').inAccount == true": none('false', {
    'dry-run': 'true',
    unknown: 'true',
  }),
  "steps.remove.outputs.access-remains == 'false'": none('false', { one: 'true' }),
  "fromJSON(steps.remove.outputs.result || '{}').failure": none('', {
    refused:
      'remove-from-account: works with all-groups: true only, so that no group is left holding the member when the account membership ends.',
    unknown: /SIGTERM/,
  }),
  'steps.remove.outputs.removed-groups': raw('removed-groups'),
  'steps.remove.outputs.remaining-access': raw('remaining-access'),
};

/** The example's steps that read the outputs, by name, and whether they run after each shape. */
const EXAMPLE: Table = {
  'Report a run that stopped before the offboarding': none('false', { 'never-ran': 'true' }),
  'Close the issue': none('false', {
    one: 'true',
    named: 'true',
    several: 'true',
    'account-only': 'true',
    accounts: 'true',
  }),
  // The signed record is kept whenever the action ran, refused or failed included ([] at least).
  'Keep the record': none('true', { 'never-ran': 'false' }),
  'Upload the record': none('true', { 'never-ran': 'false' }),
};

const readmeExpressions = () => {
  const readme = readFileSync('README.md', 'utf8');
  const found = [...readme.matchAll(/\$\{\{\s*([\s\S]*?)\s*\}\}/g)].map((m) => m[1]!.replace(/\s+/g, ' '));
  return [...new Set(found.filter((expression) => /\bsteps\.[\w-]+\.outputs\./.test(expression)))];
};

let shapes: Record<ShapeName, Shape>;
let conditions: Record<string, string>;
beforeAll(async () => {
  const built = await Promise.all(SHAPES.map(async (name) => [name, await shape(name)] as const));
  shapes = Object.fromEntries(built) as Record<ShapeName, Shape>;
  const { job, steps } = await loadWorkflow(ISSUE_WORKFLOW);
  conditions = Object.fromEntries(
    steps.flatMap((step, i) =>
      /steps\.remove\.outputs\./.test(JSON.stringify(step)) ? [[step.name!, stepIf(job, i)]] : [],
    ),
  );
}, 30_000);

const valueIn = (expression: string, name: ShapeName) => {
  const { outputs, failed } = shapes[name];
  const contexts = { steps: { remove: { outputs } }, github: {} };
  return evaluate(expression, contexts, { failed }).coerceString();
};
const check = (value: string, expected: Expected, name: ShapeName, what: string) => {
  if (expected instanceof RegExp) expect(value, what).toMatch(expected);
  else expect(value, what).toBe(typeof expected === 'function' ? expected(shapes[name]) : expected);
};

describe('the outputs, read by a later step', () => {
  it('has an expectation for every expression the README and the example show on the outputs, all on steps.remove', () => {
    expect(readmeExpressions().sort()).toEqual(Object.keys(README).sort());
    expect(Object.keys(conditions).sort()).toEqual(Object.keys(EXAMPLE).sort());
  });

  it('takes each shape it claims: removed is empty only when a change is unknown', () => {
    expect(SHAPES.map((name) => shapes[name].outputs.removed ?? '(none)')).toEqual([
      'true',
      'true',
      'true',
      'false',
      'false',
      'true',
      '',
      'true',
      '(none)',
    ]);
    // Several accounts: one entry per account, the singular outputs empty, the result by account.
    const accounts = JSON.parse(shapes.accounts.outputs.accounts!) as Array<{ id: string; members: unknown[] }>;
    expect(accounts.map((account) => account.id).slice(0, 2)).toEqual([
      shapes.accounts.ids.account,
      shapes.accounts.ids.staging,
    ]);
    expect(accounts.map((account) => account.members)).toEqual([
      [expect.objectContaining({ inAccount: true })],
      [expect.objectContaining({ inAccount: true })],
      [expect.objectContaining({ inAccount: false })],
    ]);
    expect([
      shapes.accounts.outputs.id,
      shapes.accounts.outputs.email,
      shapes.accounts.outputs['remaining-access'],
    ]).toEqual(['', '', '']);
    expect(Object.keys(JSON.parse(shapes.accounts.outputs.result!))).not.toContain('groups');
    expect(shapes.refused.outputs.accounts).toBe('[]');
    expect(JSON.parse(shapes.unknown.outputs.result!).tokens.outcome).toBe('unknown');
    expect(JSON.parse(shapes['account-only'].outputs.result!).account.outcome).toBe('removed');
  });

  it.each(SHAPES)('gives what each expression promises, and never fails, when the run is %s', (name) => {
    const tables: Array<[Table, (key: string) => string]> = [
      [README, (key) => key],
      [EXAMPLE, (key) => conditions[key]!],
    ];
    for (const [table, expressionOf] of tables) {
      for (const [key, expected] of Object.entries(table))
        check(valueIn(expressionOf(key), name), expected[name], name, `${key} (${name})`);
    }
  });
});
