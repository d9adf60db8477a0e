// The ready-to-copy examples, run the way GitHub runs them: the workflow read by GitHub's workflow
// parser, its conditions and inputs evaluated by GitHub's expression evaluator, the issue body
// parsed by the package the issue-ops/parser action uses, against real webhook payloads.
import { readFile } from 'node:fs/promises';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { WorkflowTemplate } from '@actions/workflow-parser';
import type { Job } from '@actions/workflow-parser/model/workflow-template';
import { parseIssue } from '@github/issue-parser';
import examples from '@octokit/webhooks-examples';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ISSUE_WORKFLOW = 'examples/.github/workflows/cloudflare-offboarding.yml';
const DISPATCH_WORKFLOW = 'examples/.github/workflows/cloudflare-offboarding-dispatch.yml';
const FORM = 'examples/.github/ISSUE_TEMPLATE/cloudflare-offboarding.yml';
const REQUEST = 'offboarding-request';
const APPROVAL = 'offboarding-approved';

type Contexts = Record<string, unknown>;

// The status functions GitHub adds to every `if:`; no earlier step has failed here.
const statusFunctions = new Map(
  [
    ['success', true],
    ['always', true],
    ['failure', false],
    ['cancelled', false],
  ].map(([name, value]) => [
    name as string,
    { name: name as string, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value as boolean) },
  ]),
);

function evaluate(expression: string, contexts: Contexts): data.ExpressionData {
  const tokens = new Lexer(expression).lex().tokens;
  const tree = new Parser(tokens, Object.keys(contexts), [...statusFunctions.values()]).parse();
  const values = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(tree, values, statusFunctions).evaluate();
}

/** A `with:` or `env:` value as the runner passes it: each `${{ }}` replaced by its value as a string. */
const interpolate = (value: string, contexts: Contexts) =>
  value.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => evaluate(expression, contexts).coerceString());

async function load(file: string): Promise<{ template: WorkflowTemplate; job: Job; steps: YamlStep[] }> {
  const content = await readFile(file, 'utf8');
  const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  expect(result.context.errors.getErrors()).toEqual([]);
  const template = await convertWorkflowTemplate(result.context, result.value!);
  expect(template.errors ?? []).toEqual([]);
  const yaml = parse(content) as { jobs: Record<string, { steps: YamlStep[] }> };
  return { template, job: template.jobs[0] as Job, steps: Object.values(yaml.jobs)[0]!.steps };
}
interface YamlStep {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, string | boolean>;
}

const stepIf = (job: Job, index: number) => job.steps[index]!.if!.expression;
const actionInputs = (steps: YamlStep[], contexts: Contexts) =>
  Object.fromEntries(
    Object.entries(steps.find((s) => s.uses?.startsWith('your-org/'))!.with!).map(([name, value]) => [
      name,
      interpolate(String(value), contexts),
    ]),
  );
const settings = {
  vars: {
    CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef',
    CLOUDFLARE_PROTECTED_MEMBERS: 'owner@example.com',
  },
  secrets: { CLOUDFLARE_API_TOKEN: 'token' },
};
const fixedInputs = {
  'account-id': '0123456789abcdef0123456789abcdef',
  'api-token': 'token',
  'protected-members': 'owner@example.com',
  'if-not-member': 'skip',
  'if-not-in-account': 'fail',
};

describe('issue workflow: when it runs', () => {
  type Payload = {
    action: string;
    label?: { name: string };
    issue: { state: string; labels: Array<{ name: string }> };
  };
  const payload = (action: string) =>
    structuredClone(
      (examples as unknown as Array<{ name: string; examples: Payload[] }>)
        .find((e) => e.name === 'issues')!
        .examples.find((x) => x.action === action)!,
    );
  /** A real `issues` payload of this action, its issue carrying `labels`, `label` being the one just added. */
  function event(action: string, labels: string[], label?: string, state = 'open'): Payload {
    const p = payload(action);
    p.issue.labels = labels.map((name) => ({ ...p.issue.labels[0]!, name }));
    p.issue.state = state;
    if (label !== undefined) p.label = { ...p.label!, name: label };
    return p;
  }

  /** Whether the event starts a run, and whether the job's `if:` lets it through (checked even when not). */
  const outcome = async (p: Payload) => {
    const { template, job } = await load(ISSUE_WORKFLOW);
    const github = { event_name: 'issues', event: p };
    return {
      triggered: template.events.issues?.types?.includes(p.action) ?? false,
      passes: evaluate(job.if.expression, { github }).coerceString() === 'true',
    };
  };

  it('is triggered by labeled issues only', async () => {
    const { template } = await load(ISSUE_WORKFLOW);
    expect(Object.keys(template.events)).toEqual(['issues']);
    expect(template.events.issues).toEqual({ types: ['labeled'] });
  });

  it('runs when the approval label is added to an open request', async () => {
    expect(await outcome(event('labeled', [REQUEST, APPROVAL], APPROVAL))).toEqual({ triggered: true, passes: true });
  });

  it.each([
    ['opened with the form', event('opened', [REQUEST])],
    ['labeled with the request label, as the form does at opening', event('labeled', [REQUEST], REQUEST)],
    ['labeled with another label', event('labeled', [REQUEST, APPROVAL, 'bug'], 'bug')],
    ['edited after approval', event('edited', [REQUEST, APPROVAL])],
    ['approved while closed', event('labeled', [REQUEST, APPROVAL], APPROVAL, 'closed')],
    ['approved without the request label', event('labeled', ['bug', APPROVAL], APPROVAL)],
  ])('does not run when %s', async (_, p) => {
    expect((await outcome(p)).passes).toBe(false);
  });
});

describe('issue workflow: what it passes to the action', () => {
  // As GitHub renders a new issue filed with the form.
  const NEW_ISSUE = [
    '### Member emails',
    '',
    'ann@example.com',
    '',
    '### User groups',
    '',
    'Engineers',
    'Sales, EMEA',
    '',
    '### Options',
    '',
    '- [ ] Dry run',
    '- [ ] Remove from the account',
    '- [ ] End Cloudflare Access sessions',
    '',
    '### API tokens they created',
    '',
    'report',
    '',
    '### Reason or ticket',
    '',
    '_No response_',
  ].join('\n');

  // The same request after an edit in the web UI (CRLF line endings): a second email and a third
  // group added, a dry run ticked, stray spaces, a reason filled in.
  const EDITED = [
    '### Member emails',
    '',
    'ann@example.com',
    'bob@example.com  ',
    '',
    '### User groups',
    '',
    'Engineers',
    'Sales, EMEA',
    'Billing',
    '',
    '### Options',
    '',
    '- [X] Dry run',
    '- [ ] Remove from the account',
    '- [ ] End Cloudflare Access sessions',
    '',
    '### API tokens they created',
    '',
    'disable',
    '',
    '### Reason or ticket',
    '',
    'HR-1234',
    '',
  ].join('\r\n');

  const ALL = [
    '### Member emails',
    '',
    'ann@example.com',
    '',
    '### User groups',
    '',
    'All',
    '',
    '### Options',
    '',
    '- [ ] Dry run',
    '- [X] Remove from the account',
    '- [X] End Cloudflare Access sessions',
    '',
    '### API tokens they created',
    '',
    'report',
    '',
    '### Reason or ticket',
    '',
    '_No response_',
  ].join('\n');

  // What issue-ops/parser v5.0.0 (src/main.ts) sets: `json`, and `parsed_<key>` for each field
  // (a string as it is, anything else as JSON, no answer as '').
  async function parserOutputs(body: string): Promise<Record<string, string>> {
    const parsed = parseIssue(body, await readFile(FORM, 'utf8'), { slugify: true });
    const outputs: Record<string, string> = { json: JSON.stringify(parsed) };
    for (const [key, value] of Object.entries(parsed))
      outputs[`parsed_${key}`] = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    return outputs;
  }
  async function run(body: string) {
    const { job, steps } = await load(ISSUE_WORKFLOW);
    const contexts = { ...settings, github: {}, steps: { form: { outputs: await parserOutputs(body) } } };
    const guard = steps.findIndex((s) => s.name?.startsWith('Refuse'));
    return {
      refused: evaluate(stepIf(job, guard), contexts).coerceString() === 'true',
      inputs: actionInputs(steps, contexts),
      closes: (removed: boolean) => {
        const after = { ...contexts, steps: { ...contexts.steps, remove: { outputs: { removed: String(removed) } } } };
        return evaluate(stepIf(job, steps.length - 1), after).coerceString() === 'true';
      },
    };
  }
  const issueInputs = {
    'required-permission': 'triage',
    'approver-permission': 'maintain',
    'comment-on-issue': 'true',
  };

  it('reads a new issue: the email, the group names, no options', async () => {
    const { refused, inputs, closes } = await run(NEW_ISSUE);
    expect(refused).toBe(false);
    expect(inputs).toEqual({
      ...fixedInputs,
      ...issueInputs,
      'member-email': 'ann@example.com',
      'user-group-name': 'Engineers\nSales, EMEA',
      'all-groups': 'false',
      'dry-run': 'false',
      'remove-from-account': 'false',
      'revoke-access-sessions': 'false',
      'member-tokens': 'report',
    });
    expect([closes(true), closes(false)]).toEqual([true, false]);
  });

  it('reads the same issue with CRLF line endings identically', async () => {
    expect((await run(NEW_ISSUE.replaceAll('\n', '\r\n'))).inputs).toEqual((await run(NEW_ISSUE)).inputs);
  });

  it('reads an edited issue: several emails and groups, a dry run, no carriage return or trailing space', async () => {
    const { refused, inputs, closes } = await run(EDITED);
    expect(refused).toBe(false);
    expect(inputs).toMatchObject({
      'member-email': 'ann@example.com\nbob@example.com',
      'user-group-name': 'Engineers\nSales, EMEA\nBilling',
      'all-groups': 'false',
      'dry-run': 'true',
      'member-tokens': 'disable',
    });
    expect(inputs['member-email']).not.toMatch(/\r| $/m);
    expect(closes(true)).toBe(false);
  });

  it('turns "all" (any case) into all-groups, with removal from the account and the Access sessions', async () => {
    const { refused, inputs } = await run(ALL);
    expect(refused).toBe(false);
    expect(inputs).toMatchObject({
      'user-group-name': '',
      'all-groups': 'true',
      'remove-from-account': 'true',
      'revoke-access-sessions': 'true',
    });
  });

  it('refuses "Remove from the account" with group names, and does not pass it', async () => {
    const { refused, inputs } = await run(ALL.replace('\nAll\n', '\nEngineers\n'));
    expect(refused).toBe(true);
    expect(inputs).toMatchObject({ 'all-groups': 'false', 'remove-from-account': 'false' });
  });

  it('passes no email and no group for empty answers (forms in private repositories enforce no field)', async () => {
    const empty = NEW_ISSUE.replace('ann@example.com', '_No response_').replace(
      'Engineers\nSales, EMEA',
      '_No response_',
    );
    const { inputs } = await run(empty);
    expect(inputs).toMatchObject({ 'member-email': '', 'user-group-name': '', 'all-groups': 'false' });
  });

  it('gives the parser the form by its file name; the form applies the request label the job checks', async () => {
    const { steps } = await load(ISSUE_WORKFLOW);
    expect(steps.find((s) => s.id === 'form')!.with).toEqual({ 'issue-form-template': FORM.split('/').at(-1) });
    const form = parse(await readFile(FORM, 'utf8')) as { labels: string[] };
    expect(form.labels).toEqual([REQUEST]);
  });
});

describe('issue workflow: job settings', () => {
  it('uses the environment, one run at a time per issue, a time limit and the least permissions', async () => {
    const workflow = parse(await readFile(ISSUE_WORKFLOW, 'utf8')) as {
      permissions: unknown;
      concurrency?: unknown;
      jobs: Record<string, Record<string, unknown>>;
    };
    expect(workflow.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(workflow.concurrency).toBeUndefined();
    const job = workflow.jobs.offboard!;
    expect(job.environment).toBe('cloudflare-offboarding');
    expect(job['timeout-minutes']).toBeGreaterThan(0);
    expect(job.concurrency).toEqual({
      group: 'cloudflare-offboarding-${{ github.event.issue.number }}',
      'cancel-in-progress': false,
    });
  });
});

describe('dispatch workflow', () => {
  const defaults = async () => {
    const { template } = await load(DISPATCH_WORKFLOW);
    return Object.fromEntries(
      Object.entries(template.events.workflow_dispatch!.inputs!).map(([name, input]) => [name, input.default]),
    );
  };

  it('is started by hand only, a dry run unless told otherwise, in the same environment', async () => {
    const { template } = await load(DISPATCH_WORKFLOW);
    expect(Object.keys(template.events)).toEqual(['workflow_dispatch']);
    expect(await defaults()).toMatchObject({
      'dry-run': true,
      'remove-from-account': false,
      'revoke-access-sessions': false,
      'member-tokens': 'report',
    });
    const workflow = parse(await readFile(DISPATCH_WORKFLOW, 'utf8')) as {
      jobs: Record<string, { environment: string }>;
    };
    expect(workflow.jobs.offboard!.environment).toBe('cloudflare-offboarding');
  });

  it('passes the typed inputs, with no permission gate and no comment', async () => {
    const { job, steps } = await load(DISPATCH_WORKFLOW);
    const inputs = {
      ...(await defaults()),
      emails: 'ann@example.com, bob@example.com',
      groups: 'all',
      'remove-from-account': true,
    };
    const contexts = { ...settings, github: {}, inputs };
    expect(evaluate(stepIf(job, 0), contexts).coerceString()).toBe('false');
    expect(actionInputs(steps, contexts)).toEqual({
      ...fixedInputs,
      'member-email': 'ann@example.com, bob@example.com',
      'user-group-name': '',
      'all-groups': 'true',
      'dry-run': 'true',
      'remove-from-account': 'true',
      'revoke-access-sessions': 'false',
      'member-tokens': 'report',
    });
  });

  it('refuses remove-from-account with a group name', async () => {
    const { job, steps } = await load(DISPATCH_WORKFLOW);
    const inputs = {
      ...(await defaults()),
      emails: 'ann@example.com',
      groups: 'Engineers',
      'remove-from-account': true,
    };
    const contexts = { ...settings, github: {}, inputs };
    expect(evaluate(stepIf(job, 0), contexts).coerceString()).toBe('true');
    expect(actionInputs(steps, contexts)).toMatchObject({
      'user-group-name': 'Engineers',
      'remove-from-account': 'false',
    });
  });
});
