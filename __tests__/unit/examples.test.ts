// The ready-to-copy examples, run the way GitHub runs them: the workflow read by GitHub's workflow
// parser, its conditions and inputs evaluated by GitHub's expression evaluator, the issue body
// parsed by the package the issue-ops/parser action uses, against real webhook payloads.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import examples from '@octokit/webhooks-examples';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  actionInputs,
  DISPATCH_WORKFLOW,
  evaluate,
  FORM,
  ISSUE_WORKFLOW,
  loadWorkflow as load,
  parserOutputs as parsed,
  REQUESTS,
  RESTORE_FORM,
  RESTORE_REQUESTS,
  RESTORE_WORKFLOW,
  stepIf,
  type Contexts,
} from '../helpers/workflow.ts';

const REQUEST = 'offboarding-request';
const APPROVAL = 'offboarding-approved';

const settings = {
  vars: {
    CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef',
    CLOUDFLARE_PROTECTED_MEMBERS: 'owner@example.com',
  },
  secrets: { CLOUDFLARE_API_TOKEN: 'token', CLOUDFLARE_RECORD_KEY: 'record-key-0123456789abcdef0123456789' },
};
/** The repository's one account, as every request that does not ask for every account passes it. */
const thisAccount = { 'account-id': '0123456789abcdef0123456789abcdef', 'all-accounts': 'false' };
const fixedInputs = {
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
  async function run(body: string) {
    const { job, steps } = await load(ISSUE_WORKFLOW);
    const contexts: Contexts = { ...settings, github: {}, steps: { form: { outputs: await parsed(body, FORM) } } };
    const close = steps.findIndex((s) => s.name === 'Close the issue');
    return {
      inputs: actionInputs(steps, contexts),
      closes: (removed: boolean) => {
        const after = { ...contexts, steps: { remove: { outputs: { removed: String(removed) } } } };
        return evaluate(stepIf(job, close), after).coerceString() === 'true';
      },
    };
  }
  const issueInputs = {
    'record-key': 'record-key-0123456789abcdef0123456789',
    'required-permission': 'triage',
    'approver-permission': 'maintain',
    'comment-on-issue': 'true',
  };

  it('reads a new issue: the email, the group names, no options', async () => {
    const { inputs, closes } = await run(REQUESTS.new);
    expect(inputs).toEqual({
      ...fixedInputs,
      ...thisAccount,
      ...issueInputs,
      'member-email': 'ann@example.com',
      'user-group-name': 'Engineers\nSales, EMEA',
      'all-groups': 'false',
      'dry-run': 'false',
      'remove-from-account': 'false',
      'revoke-access-sessions': 'false',
      'revoke-devices': 'false',
      'member-tokens': 'report',
    });
    expect([closes(true), closes(false)]).toEqual([true, false]);
  });

  it('reads the same issue with CRLF line endings identically', async () => {
    expect((await run(REQUESTS.new.replaceAll('\n', '\r\n'))).inputs).toEqual((await run(REQUESTS.new)).inputs);
  });

  it('reads an edited issue: several emails and groups, a dry run, no carriage return or trailing space', async () => {
    const { inputs, closes } = await run(REQUESTS.edited);
    expect(inputs).toMatchObject({
      'member-email': 'ann@example.com\nbob@example.com',
      'user-group-name': 'Engineers\nSales, EMEA\nBilling',
      'all-groups': 'false',
      'dry-run': 'true',
      'member-tokens': 'disable',
    });
    expect(inputs['member-email']).not.toMatch(/\r| $/m);
    // A dry run never removes anything (removed is always false then): the issue stays open.
    expect(closes(false)).toBe(false);
  });

  it('turns "all" (any case) into all-groups, with removal from the account and the Access sessions', async () => {
    const { inputs } = await run(REQUESTS.all);
    expect(inputs).toMatchObject({
      'user-group-name': '',
      'all-groups': 'true',
      'remove-from-account': 'true',
      'revoke-access-sessions': 'true',
    });
  });

  it('turns "Every account" into all-accounts with no account-id, and WARP devices into a revocation with devices', async () => {
    const { inputs } = await run(REQUESTS.every);
    expect(inputs).toMatchObject({
      'account-id': '',
      'all-accounts': 'true',
      'user-group-name': '',
      'all-groups': 'true',
      'remove-from-account': 'true',
      // Not ticked, but the request that revokes the devices ends the Access sessions too.
      'revoke-access-sessions': 'true',
      'revoke-devices': 'true',
    });
  });

  it('reads a request filed before the form asked for accounts and devices as this account, no devices', async () => {
    expect((await parsed(REQUESTS.older, FORM)).parsed_accounts).toBeUndefined();
    const unanswered = REQUESTS.new.replace('\nThis account\n', '\n_No response_\n');
    expect(await parsed(unanswered, FORM)).toMatchObject({ parsed_accounts: '[]' });
    for (const body of [REQUESTS.older, unanswered])
      expect((await run(body)).inputs).toEqual((await run(REQUESTS.new)).inputs);
  });

  // Widening named groups to every group of every account is not the request the approver read.
  it('passes "Every account" with group names to the action, which refuses it, never widening them', async () => {
    const { inputs } = await run(REQUESTS.every.replace('\nAll\n', '\nEngineers\n'));
    expect(inputs).toMatchObject({
      'account-id': '',
      'all-accounts': 'true',
      'all-groups': 'false',
      'user-group-name': 'Engineers',
    });
  });

  // No step before the action refuses anything: such a step would fail the job before the action
  // could post the refusal on the issue. The action refuses the combination itself, and says so there.
  it('passes "Remove from the account" with group names to the action, which refuses it', async () => {
    const { inputs } = await run(REQUESTS.all.replace('\nAll\n', '\nEngineers\n'));
    expect(inputs).toMatchObject({
      'all-groups': 'false',
      'user-group-name': 'Engineers',
      'remove-from-account': 'true',
    });
    const { steps } = await load(ISSUE_WORKFLOW);
    expect(steps.findIndex((s) => s.id === 'remove')).toBe(2);
  });

  it('gives an unanswered tokens dropdown (the parser gives [] or nothing) the form’s default, report', async () => {
    const form = parse(await readFile(FORM, 'utf8')) as {
      body: Array<{ id?: string; attributes: { options?: string[]; default?: number } }>;
    };
    const tokens = form.body.find((item) => item.id === 'tokens')!.attributes;
    expect(tokens.options![tokens.default!]).toBe('report');
    const unanswered = REQUESTS.new.replace('\nreport\n', '\n_No response_\n');
    expect(await parsed(unanswered, FORM)).toMatchObject({ parsed_tokens: '[]' });
    expect((await run(unanswered)).inputs['member-tokens']).toBe('report');
    const missing = REQUESTS.new.replace(/### API tokens they created\n\nreport\n\n/, '');
    expect((await parsed(missing, FORM)).parsed_tokens).toBeUndefined();
    expect((await run(missing)).inputs['member-tokens']).toBe('report');
  });

  it('runs a form whose Options section is missing as a dry run, and never fails on it', async () => {
    const missing = REQUESTS.all.replace(/### Options\n\n(- \[[ X]\] .*\n)+\n/, '');
    expect((await parsed(missing, FORM)).parsed_options).toBeUndefined();
    expect((await run(missing)).inputs).toMatchObject({
      'dry-run': 'true',
      'remove-from-account': 'false',
      'revoke-access-sessions': 'false',
    });
  });

  it('passes no email and no group for empty answers (forms in private repositories enforce no field)', async () => {
    const empty = REQUESTS.new
      .replace('ann@example.com', '_No response_')
      .replace('Engineers\nSales, EMEA', '_No response_');
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

describe('issue workflow: a run that stops before the action', () => {
  // The action comments on every path it runs; a step before it that fails leaves nothing on the
  // issue unless the workflow says so itself.
  const report = async () => {
    const { job, steps } = await load(ISSUE_WORKFLOW);
    const index = steps.findIndex((s) => s.name === 'Report a run that stopped before the offboarding');
    return {
      step: steps[index]!,
      condition: stepIf(job, index),
      after: index > steps.findIndex((s) => s.id === 'remove'),
    };
  };
  const comments = async (outputs: Record<string, string> | undefined, failed: boolean) => {
    const { condition } = await report();
    const contexts = { steps: { ...(outputs && { remove: { outputs } }) } };
    return evaluate(condition, contexts, { failed }).coerceString() === 'true';
  };

  it('comments when a step before the action failed, the action having written nothing', async () => {
    expect((await report()).after).toBe(true);
    expect(await comments({}, true)).toBe(true);
    expect(await comments(undefined, true)).toBe(true);
  });

  it('stays silent when the action ran (it comments itself, refusals included) or nothing failed', async () => {
    expect(
      await comments({ result: '{"member":{},"dryRun":false,"groups":[],"failure":"member-email: …"}' }, true),
    ).toBe(false);
    expect(await comments({}, false)).toBe(false);
  });

  it('comments with the issue number and the run’s address only, from env, never from issue text', async () => {
    const { step } = await report();
    expect(step.env).toEqual({
      GH_TOKEN: '${{ github.token }}',
      ISSUE: '${{ github.event.issue.number }}',
      RUN_URL: '${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}',
    });
    expect(step.run).toMatch(
      /^gh issue comment "\$ISSUE" --repo "\$GITHUB_REPOSITORY" --body "[^$]*\$RUN_URL[^$]*"\n$/,
    );
  });
});

describe('dispatch workflow', () => {
  const defaults = async () => {
    const { template } = await load(DISPATCH_WORKFLOW);
    return Object.fromEntries(
      Object.entries(template.events.workflow_dispatch!.inputs!).map(([name, input]) => [name, input.default]),
    );
  };

  // Anyone with write access can start it, and on most plans no second person approves it.
  it('is started by hand only, in the same environment, and offers no way to turn the dry run off', async () => {
    const { template, steps } = await load(DISPATCH_WORKFLOW);
    expect(Object.keys(template.events)).toEqual(['workflow_dispatch']);
    expect(Object.keys(await defaults())).not.toContain('dry-run');
    expect(steps).toHaveLength(1);
    expect(steps[0]!.with!['dry-run']).toBe(true);
    const workflow = parse(await readFile(DISPATCH_WORKFLOW, 'utf8')) as {
      permissions: unknown;
      jobs: Record<string, { environment: string }>;
    };
    expect(workflow.permissions).toEqual({});
    expect(workflow.jobs.preview!.environment).toBe('cloudflare-offboarding');
  });

  it('passes the typed inputs as a dry run, whatever they are, with no permission gate and no comment', async () => {
    const { steps } = await load(DISPATCH_WORKFLOW);
    for (const groups of ['all', 'Engineers']) {
      for (const flag of [true, false]) {
        const inputs = {
          ...(await defaults()),
          emails: 'ann@example.com, bob@example.com',
          groups,
          'remove-from-account': flag,
          'revoke-access-sessions': flag,
          'member-tokens': 'disable',
        };
        expect(actionInputs(steps, { ...settings, github: {}, inputs })).toEqual({
          ...fixedInputs,
          ...thisAccount,
          'member-email': 'ann@example.com, bob@example.com',
          'user-group-name': groups === 'all' ? '' : groups,
          'all-groups': String(groups === 'all'),
          'dry-run': 'true',
          'remove-from-account': String(flag),
          'revoke-access-sessions': String(flag),
          'revoke-devices': 'false',
          'member-tokens': 'disable',
        });
      }
    }
  });

  it('previews every account with no account-id, and the WARP devices with the Access sessions', async () => {
    const { steps } = await load(DISPATCH_WORKFLOW);
    expect((await defaults()).accounts).toBe('this account');
    const inputs = {
      ...(await defaults()),
      emails: 'ann@example.com',
      groups: 'all',
      accounts: 'every account',
      'revoke-devices': true,
    };
    expect(actionInputs(steps, { ...settings, github: {}, inputs })).toMatchObject({
      'account-id': '',
      'all-accounts': 'true',
      'all-groups': 'true',
      'dry-run': 'true',
      'revoke-access-sessions': 'true',
      'revoke-devices': 'true',
    });
  });
});

describe('restore workflow: when it runs', () => {
  type Payload = {
    action: string;
    label?: { name: string };
    issue: { state: string; labels: Array<{ name: string }> };
  };
  const labeled = (labels: string[], label: string, state = 'open'): Payload => ({
    action: 'labeled',
    label: { name: label },
    issue: { state, labels: labels.map((name) => ({ name })) },
  });
  const passes = async (payload: Payload) => {
    const { template, job } = await load(RESTORE_WORKFLOW);
    expect(template.events).toEqual({ issues: { types: ['labeled'] } });
    return evaluate(job.if.expression, { github: { event_name: 'issues', event: payload } }).coerceString() === 'true';
  };

  it('runs when the approval label is added to an open restore request, and only then', async () => {
    expect(await passes(labeled(['restore-request', 'restore-approved'], 'restore-approved'))).toBe(true);
    expect(await passes(labeled(['restore-request'], 'restore-request'))).toBe(false);
    expect(await passes(labeled(['restore-request', 'restore-approved'], 'restore-approved', 'closed'))).toBe(false);
    // The offboarding's approval does not start a restore, nor a restore's approval an offboarding request.
    expect(await passes(labeled(['restore-request', 'offboarding-approved'], 'offboarding-approved'))).toBe(false);
    expect(await passes(labeled(['offboarding-request', 'restore-approved'], 'restore-approved'))).toBe(false);
  });

  it('uses the offboarding environment, one run at a time per issue, and reads actions only to download', async () => {
    const workflow = parse(await readFile(RESTORE_WORKFLOW, 'utf8')) as {
      permissions: unknown;
      jobs: Record<string, Record<string, unknown>>;
    };
    expect(workflow.permissions).toEqual({ actions: 'read', contents: 'read', issues: 'write' });
    const job = workflow.jobs.restore!;
    expect(job.environment).toBe('cloudflare-offboarding');
    expect(job.concurrency).toEqual({
      group: 'cloudflare-restore-${{ github.event.issue.number }}',
      'cancel-in-progress': false,
    });
  });
});

describe('restore workflow: what it passes to the action', () => {
  const runner = { temp: '/home/runner/work/_temp' };
  async function run(body: string) {
    const { job, steps } = await load(RESTORE_WORKFLOW);
    const form = await parsed(body, RESTORE_FORM);
    const contexts: Contexts = { ...settings, github: {}, runner, steps: { form: { outputs: form } } };
    const index = (name: string) => steps.findIndex((s) => s.name === name);
    const condition = (name: string, contextsThen: Contexts, status = {}) =>
      evaluate(stepIf(job, index(name)), contextsThen, status).coerceString() === 'true';
    return { inputs: actionInputs(steps, contexts), form, condition, steps };
  }

  it('reads a new request: the email, the record the download puts in place, the gate and the comment', async () => {
    const { inputs, form } = await run(RESTORE_REQUESTS.new);
    expect(form.parsed_run).toBe('https://github.com/octo-org/offboarding/actions/runs/1234567890');
    expect(inputs).toEqual({
      'account-id': '0123456789abcdef0123456789abcdef',
      'api-token': 'token',
      'record-key': 'record-key-0123456789abcdef0123456789',
      'record-file': '/home/runner/work/_temp/record/cloudflare-record.json',
      'member-email': 'ann@example.com',
      'dry-run': 'false',
      'protected-members': 'owner@example.com',
      'required-permission': 'triage',
      'approver-permission': 'maintain',
      'comment-on-issue': 'true',
    });
  });

  it('restores in the account the form names, else in the repository’s', async () => {
    expect((await run(RESTORE_REQUESTS.account)).inputs['account-id']).toBe('f'.repeat(32));
    const older = RESTORE_REQUESTS.new.replace('### Account ID\n\n_No response_\n\n', '');
    expect((await run(older)).inputs['account-id']).toBe('0123456789abcdef0123456789abcdef');
  });

  it('runs a ticked dry run, or a form whose Options section is missing, as a dry run', async () => {
    expect((await run(RESTORE_REQUESTS.dry)).inputs['dry-run']).toBe('true');
    const missing = RESTORE_REQUESTS.new.replace(/### Options\n\n- \[ \] Dry run\n\n/, '');
    expect((await run(missing)).inputs['dry-run']).toBe('true');
  });

  it('reports a run that stops before the action, and closes the issue only when something is back', async () => {
    const { condition } = await run(RESTORE_REQUESTS.new);
    const report = 'Report a run that stopped before the restore';
    expect(condition(report, { steps: {} }, { failed: true })).toBe(true);
    expect(condition(report, { steps: { restore: { outputs: { result: '{}' } } } }, { failed: true })).toBe(false);
    const close = (restored: string) => condition('Close the issue', { steps: { restore: { outputs: { restored } } } });
    expect([close('true'), close('false'), close('')]).toEqual([true, false, false]);
  });
});

describe('restore workflow: finding the offboarding run', () => {
  const exec = promisify(execFile);
  // The step's script, as the runner runs a run: step (bash --noprofile --norc -eo pipefail).
  async function find(given: string) {
    const { steps } = await load(RESTORE_WORKFLOW);
    const step = steps.find((s) => s.id === 'run')!;
    expect(step.env).toEqual({ GIVEN: '${{ steps.form.outputs.parsed_run }}' });
    const dir = await mkdtemp(join(tmpdir(), 'find-run-'));
    const script = join(dir, 'step.sh');
    const output = join(dir, 'output');
    await writeFile(script, step.run!);
    await writeFile(output, '');
    const env = {
      PATH: process.env.PATH ?? '',
      GIVEN: given,
      GITHUB_OUTPUT: output,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'octo-org/offboarding',
      PWNED: join(dir, 'pwned'),
    };
    try {
      const { stdout } = await exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { env });
      return { ok: true, id: (await readFile(output, 'utf8')).trim(), stdout };
    } catch (error) {
      const { stdout } = error as { stdout: string };
      const pwned = await readFile(env.PWNED, 'utf8').then(
        () => true,
        () => false,
      );
      return { ok: false, stdout, pwned };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it.each([
    ['a link', 'https://github.com/octo-org/offboarding/actions/runs/1234567890', 'id=1234567890'],
    [
      'a link to one of its attempts',
      ' https://github.com/octo-org/offboarding/actions/runs/42/attempts/2?pr=1 ',
      'id=42',
    ],
    ['its number', '1234567890', 'id=1234567890'],
  ])('takes %s', async (_, given, id) => {
    expect(await find(given)).toMatchObject({ ok: true, id });
  });

  it.each([
    ['a run of another repository', 'https://github.com/mallory/fork/actions/runs/1234567890'],
    ['a command', '1$(touch $PWNED)'],
    ['backticks', '`touch $PWNED`'],
    ['an injected output line', '1\nid=2'],
    ['nothing', ''],
  ])('refuses %s, running nothing of it', async (_, given) => {
    const result = await find(given);
    expect(result).toMatchObject({ ok: false, pwned: false });
    expect(result.stdout).toBe(
      '::error::Offboarding run: give the link of a run of this repository (https://github.com/octo-org/offboarding/actions/runs/<number>) or its number.\n',
    );
  });
});
