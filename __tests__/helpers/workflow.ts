// Workflows and expressions the way GitHub runs them: a workflow file read by GitHub's workflow
// parser, `${{ }}` and `if:` evaluated by GitHub's expression evaluator (@actions/expressions), and
// an issue body read by the package issue-ops/parser uses. For the examples and the README.
import { readFile } from 'node:fs/promises';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { WorkflowTemplate } from '@actions/workflow-parser';
import type { Job } from '@actions/workflow-parser/model/workflow-template';
import { parseIssue } from '@github/issue-parser';
import { expect } from 'vitest';
import { parse } from 'yaml';

export const ISSUE_WORKFLOW = 'examples/.github/workflows/cloudflare-offboarding.yml';
export const DISPATCH_WORKFLOW = 'examples/.github/workflows/cloudflare-offboarding-dispatch.yml';
export const FORM = 'examples/.github/ISSUE_TEMPLATE/cloudflare-offboarding.yml';
export const RESTORE_WORKFLOW = 'examples/.github/workflows/cloudflare-restore.yml';
export const RESTORE_FORM = 'examples/.github/ISSUE_TEMPLATE/cloudflare-restore.yml';

export type Contexts = Record<string, unknown>;

/** What the status functions of an `if:` answer: no earlier step failed, unless `failed`. */
export interface Status {
  failed?: boolean;
}

function statusFunctions({ failed = false }: Status) {
  return new Map(
    (
      [
        ['success', !failed],
        ['always', true],
        ['failure', failed],
        ['cancelled', false],
      ] as const
    ).map(([name, value]) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) }]),
  );
}

export function evaluate(expression: string, contexts: Contexts, status: Status = {}): data.ExpressionData {
  const functions = statusFunctions(status);
  const tokens = new Lexer(expression).lex().tokens;
  const tree = new Parser(tokens, Object.keys(contexts), [...functions.values()]).parse();
  const values = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(tree, values, functions).evaluate();
}

/** A `with:` or `env:` value as the runner passes it: each `${{ }}` replaced by its value as a string. */
const interpolate = (value: string, contexts: Contexts) =>
  value.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => evaluate(expression, contexts).coerceString());

export interface YamlStep {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  run?: string;
  with?: Record<string, string | boolean>;
  env?: Record<string, string>;
}

export async function loadWorkflow(file: string): Promise<{ template: WorkflowTemplate; job: Job; steps: YamlStep[] }> {
  const content = await readFile(file, 'utf8');
  const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  expect(result.context.errors.getErrors()).toEqual([]);
  const template = await convertWorkflowTemplate(result.context, result.value!);
  expect(template.errors ?? []).toEqual([]);
  const yaml = parse(content) as { jobs: Record<string, { steps: YamlStep[] }> };
  return { template, job: template.jobs[0] as Job, steps: Object.values(yaml.jobs)[0]!.steps };
}

/** The step's `if:` as GitHub's parser read it. */
export const stepIf = (job: Job, index: number) => job.steps[index]!.if!.expression;

/** The inputs the workflow passes to this action, each as the runner would give it. */
export const actionInputs = (steps: YamlStep[], contexts: Contexts) =>
  Object.fromEntries(
    Object.entries(steps.find((s) => s.uses?.startsWith('your-org/'))!.with!).map(([name, value]) => [
      name,
      interpolate(String(value), contexts),
    ]),
  );

/**
 * What issue-ops/parser v5.0.0 (src/main.ts) sets: `json`, and `parsed_<key>` for each field (a
 * string as it is, anything else as JSON, no answer as '').
 */
export async function parserOutputs(body: string, form: string): Promise<Record<string, string>> {
  const parsed = parseIssue(body, await readFile(form, 'utf8'), { slugify: true });
  const outputs: Record<string, string> = { json: JSON.stringify(parsed) };
  for (const [key, value] of Object.entries(parsed))
    outputs[`parsed_${key}`] = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return outputs;
}

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
  '### Cloudflare accounts',
  '',
  'This account',
  '',
  '### Options',
  '',
  '- [ ] Dry run',
  '- [ ] Remove from the account',
  '- [ ] End Cloudflare Access sessions',
  '- [ ] Revoke their WARP devices',
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
  '### Cloudflare accounts',
  '',
  'This account',
  '',
  '### Options',
  '',
  '- [X] Dry run',
  '- [ ] Remove from the account',
  '- [ ] End Cloudflare Access sessions',
  '- [ ] Revoke their WARP devices',
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
  '### Cloudflare accounts',
  '',
  'This account',
  '',
  '### Options',
  '',
  '- [ ] Dry run',
  '- [X] Remove from the account',
  '- [X] End Cloudflare Access sessions',
  '- [ ] Revoke their WARP devices',
  '',
  '### API tokens they created',
  '',
  'report',
  '',
  '### Reason or ticket',
  '',
  '_No response_',
].join('\n');

// Every account the token can see, every group, and the WARP devices ticked without the Access
// sessions (the one request revokes both).
const EVERY_ACCOUNT = ALL.replace('\nThis account\n', '\nEvery account\n')
  .replace('- [X] End Cloudflare Access sessions', '- [ ] End Cloudflare Access sessions')
  .replace('- [ ] Revoke their WARP devices', '- [X] Revoke their WARP devices');

// A request filed with the form before it asked for accounts and devices: no such section.
const BEFORE_ACCOUNTS = NEW_ISSUE.replace('### Cloudflare accounts\n\nThis account\n\n', '').replace(
  '- [ ] Revoke their WARP devices\n',
  '',
);

/** Bodies of requests filed with the example form, as GitHub renders them. */
export const REQUESTS = { new: NEW_ISSUE, edited: EDITED, all: ALL, every: EVERY_ACCOUNT, older: BEFORE_ACCOUNTS };

// As GitHub renders a new issue filed with the restore form.
const RESTORE = [
  '### Member email',
  '',
  'ann@example.com',
  '',
  '### Offboarding run',
  '',
  'https://github.com/octo-org/offboarding/actions/runs/1234567890',
  '',
  '### Account ID',
  '',
  '_No response_',
  '',
  '### Options',
  '',
  '- [ ] Dry run',
  '',
  '### Reason or ticket',
  '',
  'Contract extended',
].join('\n');

/** Bodies of requests filed with the example restore form, as GitHub renders them. */
export const RESTORE_REQUESTS = {
  new: RESTORE,
  dry: RESTORE.replace('- [ ] Dry run', '- [X] Dry run'),
  /** For someone offboarded from every account: one of them named. */
  account: RESTORE.replace('### Account ID\n\n_No response_', `### Account ID\n\n${'f'.repeat(32)}`),
};
