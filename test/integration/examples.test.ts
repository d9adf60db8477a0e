// The ready-to-copy examples: the workflow passes a workflow schema validator, passes issue
// text only through with:/env:, and its form-reading script reads a body rendered from the form.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const exec = promisify(execFile);
const WORKFLOW = 'examples/.github/workflows/cloudflare-offboarding.yml';
const FORM = 'examples/.github/ISSUE_TEMPLATE/cloudflare-offboarding.yml';
const validator = 'node_modules/.bin/action-validator';

interface Step { id?: string; uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> }
interface FormItem { type: string; id?: string; attributes: { label?: string; value?: string; options?: Array<{ label: string }> }; validations?: { required?: boolean } }

const load = async <T>(path: string) => parse(await readFile(path, 'utf8')) as T;

describe('example workflow', () => {
  it('passes the workflow schema validator', async () => {
    await expect(exec(validator, [WORKFLOW])).resolves.toBeDefined();
  });

  it('is checked by a validator that does reject a broken workflow', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'wf-')), 'broken.yml');
    await writeFile(path, 'on: issues\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: not-a-list\n');
    await expect(exec(validator, [path])).rejects.toMatchObject({ code: 1 });
  });

  it('never expands an expression inside a run: script', async () => {
    const workflow = await load<{ jobs: Record<string, { steps: Step[] }> }>(WORKFLOW);
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    expect(steps.some((step) => step.run)).toBe(true);
    for (const step of steps) expect(step.run ?? '').not.toContain('${{');
  });

  it('passes only inputs that action.yml declares', async () => {
    const workflow = await load<{ jobs: Record<string, { steps: Step[] }> }>(WORKFLOW);
    const action = await load<{ inputs: Record<string, unknown> }>('action.yml');
    const step = Object.values(workflow.jobs).flatMap((job) => job.steps).find((s) => s.id === 'remove')!;
    for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
  });
});

describe('example issue form', () => {
  it('has the structure GitHub issue forms require', async () => {
    const form = await load<{ name: string; description: string; labels: string[]; body: FormItem[] }>(FORM);
    expect(form.name).toBeTruthy();
    expect(form.description).toBeTruthy();
    const fields = form.body.filter((item) => item.type !== 'markdown');
    for (const item of form.body) expect(['markdown', 'input', 'textarea', 'dropdown', 'checkboxes']).toContain(item.type);
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
    const workflow = await load<{ jobs: Record<string, { steps: Step[] }> }>(WORKFLOW);
    const script = Object.values(workflow.jobs).flatMap((job) => job.steps).find((s) => s.id === 'form')!.with!.script!;
    const outputs: Record<string, string> = {};
    const core = { setOutput: (name: string, value: string) => (outputs[name] = value) };
    await new Function('context', 'core', `return (async () => {${script}})();`)({ payload: { issue: { body } } }, core);
    return outputs;
  }

  it('yields the email, the group names and no dry run', async () => {
    expect(await readForm({ email: 'ann@example.com', groups: 'Engineers\nSales, EMEA', options: '- [ ] Dry run (report what would be removed, remove nothing)' })).toEqual({
      email: 'ann@example.com',
      groups: 'Engineers\nSales, EMEA',
      'all-groups': 'false',
      'dry-run': 'false',
    });
  });

  it('turns "all" into all-groups and reads the dry-run box', async () => {
    expect(await readForm({ email: 'ann@example.com', groups: 'All', options: '- [X] Dry run (report what would be removed, remove nothing)' })).toEqual({
      email: 'ann@example.com',
      groups: '',
      'all-groups': 'true',
      'dry-run': 'true',
    });
  });
});
