// The simulator against Cloudflare's own schema: every answer it gives the action, in every mode,
// fits the response the schema declares for that operation and status.
import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tokenView } from '../../simulator/access.ts';
import { CloudflareSimulator, type SimulatorOptions } from '../../simulator/cloudflare.ts';

const schema = JSON.parse(
  readFileSync(new URL('../oracle/cloudflare-offboarding-openapi.json', import.meta.url), 'utf8'),
) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(schema, 'openapi');

const TEMPLATES = Object.keys(schema.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

function validatorFor(method: string, path: string, status: number): ValidateFunction {
  const found = TEMPLATES.filter(({ pattern }) => pattern.test(path));
  expect(found, `${method} ${path} is an operation of the schema`).toHaveLength(1);
  const responses = schema.paths[found[0]!.template]![method.toLowerCase()]!.responses;
  const key = status >= 200 && status < 300 ? '200' : '4XX';
  expect(responses[key], `${method} ${path} declares ${key}`).toBeDefined();
  const pointer = [
    'paths',
    found[0]!.template,
    method.toLowerCase(),
    'responses',
    key,
    'content',
    'application/json',
    'schema',
  ]
    .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/');
  return ajv.getSchema(`openapi#/${pointer}`)!;
}

// The real API's known departures from the schema, which the simulator follows on purpose (see
// ../oracle/README.md): each is undone here, and nothing else may differ.
function undoKnownDepartures(
  method: string,
  path: string,
  status: number,
  body: { result?: unknown; errors?: Array<{ code?: unknown }> },
) {
  const isList = status === 200 && method === 'GET' && /\/members$|\/user_groups$/.test(path);
  // An empty group's member listing answers result: null.
  if (isList && body.result === null) body.result = [];
  // Errors of the user-group member operations carry codes 400 and 404.
  if (/\/iam\/user_groups\/[^/]+\/members\/[^/]+$/.test(path))
    for (const error of body.errors ?? []) if (error.code === 400 || error.code === 404) error.code = 1000;
  return body;
}

async function conformance(options: SimulatorOptions) {
  const sim = new CloudflareSimulator({ tokens: { 'tok-1234': 'write', 'tok-read': 'read' }, ...options });
  const account = sim.addAccount();
  const ann = sim.addMember(account, 'ann@example.com', 'accepted', undefined, {
    roles: [{ id: 'f'.repeat(32), name: 'Administrator' }],
    policies: [{ access: 'allow', permissionGroups: ['DNS Write'], resourceGroups: ['Account'] }],
  });
  const other = sim.addMember(account, 'other@example.com', 'pending');
  const full = sim.addGroup(account, 'Full', [ann.id, other.id]);
  const empty = sim.addGroup(account, 'Empty');
  for (let i = 0; i < 60; i++) sim.addGroup(account, `Team ${i}`);
  const mine = sim.addToken(account, { name: 'deploy', creator: 'ann@example.com' });
  sim.addToken(account, { name: 'legacy' });
  for (let i = 0; i < 6; i++) sim.addToken(account, { name: `token ${i}`, creator: 'other@example.com' });
  sim.addSessions(account, 'ann@example.com');
  const base = await sim.start();
  const { name, policies } = tokenView(sim.token(account, mine.id));
  const writable = { name, policies };
  const calls: Array<[string, string, unknown?]> = [
    ['GET', `/accounts/${account}/tokens?page=1&per_page=50`],
    ['GET', `/accounts/${account}/tokens?page=2&per_page=5`],
    ['GET', `/accounts/${account}/tokens/${mine.id}`],
    ['PUT', `/accounts/${account}/tokens/${mine.id}`, { ...writable, status: 'disabled' }],
    ['PUT', `/accounts/${account}/tokens/${mine.id}`, { status: 'disabled' }],
    ['GET', `/accounts/${account}/tokens/${'e'.repeat(32)}`],
    ['POST', `/accounts/${account}/access/organizations/revoke_user`, { email: 'ann@example.com' }],
    ['POST', `/accounts/${account}/access/organizations/revoke_user`, { email: 'ann@example.com' }],
    ['DELETE', `/accounts/${account}/members/${other.id}`],
    ['DELETE', `/accounts/${account}/members/${other.id}`],
    ['GET', `/accounts/${account}/iam/user_groups?page=1&per_page=500`],
    ['GET', `/accounts/${account}/iam/user_groups?name=Full&page=1&per_page=500`],
    ['GET', `/accounts/${account}/iam/user_groups/${full.id}`],
    ['GET', `/accounts/${account}/iam/user_groups/${full.id}/members?page=1&per_page=500`],
    ['GET', `/accounts/${account}/iam/user_groups/${empty.id}/members?page=1&per_page=500`],
    ['GET', `/accounts/${account}/iam/user_groups/${full.id}/members/${ann.id}`],
    ['GET', `/accounts/${account}/members?page=1&per_page=50`],
    ['GET', `/accounts/${account}/members/${ann.id}`],
    ['GET', `/accounts/${account}/members/${'e'.repeat(32)}`],
    ['DELETE', `/accounts/${account}/iam/user_groups/${full.id}/members/${ann.id}`],
    ['DELETE', `/accounts/${account}/iam/user_groups/${full.id}/members/${ann.id}`],
    ['GET', `/accounts/${account}/iam/user_groups/${'d'.repeat(32)}/members?page=1&per_page=500`],
  ];
  const problems: string[] = [];
  for (const [method, path, sent] of calls) {
    const json = sent === undefined ? {} : { body: JSON.stringify(sent) };
    const response = await fetch(`${base}${path}`, { method, headers: { authorization: 'Bearer tok-1234' }, ...json });
    const pathname = new URL(path, 'http://x').pathname;
    const body = undoKnownDepartures(
      method,
      pathname,
      response.status,
      (await response.json()) as { result?: unknown; errors?: Array<{ code?: unknown }> },
    );
    const validate = validatorFor(method, pathname, response.status);
    if (!validate(body)) problems.push(`${method} ${path} (${response.status}): ${ajv.errorsText(validate.errors)}`);
  }
  await sim.stop();
  return problems;
}

describe('the simulator against the schema', () => {
  const modes: Array<[string, SimulatorOptions]> = [
    ['defaults', {}],
    ['a non-member DELETE answered 400', { notMemberAnswer: 400 }],
    ['a non-member DELETE answered 200', { notMemberAnswer: 200 }],
    ['a member already gone answered 400', { goneMemberAnswer: 400 }],
    ['revoke_user with no sessions answered false', { noSessionsAnswer: false }],
    ['a per-page cap', { perPageCap: 50 }],
    ['no result_info', { resultInfo: false }],
  ];
  for (const [name, options] of modes) {
    it(`answers as the schema declares (${name})`, async () => {
      expect(await conformance(options)).toEqual([]);
    });
  }

  it('answers a malformed credential (400, 6003) as the schema declares an error', async () => {
    const sim = new CloudflareSimulator();
    const account = sim.addAccount();
    const base = await sim.start();
    const path = `/accounts/${account}/members`;
    const problems: string[] = [];
    for (const headers of [
      { authorization: `Bearer ${'a'.repeat(37)}` },
      { 'x-auth-email': 'a@example.com', 'x-auth-key': `cfut_${'x'.repeat(40)}` },
    ]) {
      const response = await fetch(`${base}${path}?page=1&per_page=50`, { headers });
      expect(response.status).toBe(400);
      const validate = validatorFor('GET', path, response.status);
      if (!validate(await response.json())) problems.push(ajv.errorsText(validate.errors));
    }
    await sim.stop();
    expect(problems).toEqual([]);
  });

  it('is checked by a validator that does reject an answer of the wrong shape', () => {
    const validate = validatorFor('GET', `/accounts/${'a'.repeat(32)}/members`, 200);
    expect(validate({ success: true, errors: [], messages: [], result: [{ id: 7, status: 'gone' }] })).toBe(false);
  });
});
