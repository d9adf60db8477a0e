import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Runs of the bundle wait for the global setup's bundler: they go last, so that the other tests
// use the time it takes.
class BundleLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const needsBundle = (file: TestSpecification) => file.moduleId.includes('/__tests__/bundle/');
    return [...sorted.filter((file) => !needsBundle(file)), ...sorted.filter(needsBundle)];
  }
}

// @actions/workflow-parser imports its schema as JSON without an import attribute, which Node
// refuses; transformed by Vitest (inline), it loads. Its source maps name sources the package does
// not ship, so they are dropped: otherwise every test run warns once per file.
const workflowParser = /\/@actions\/workflow-parser\/dist\/.*\.js$/;

export default defineConfig({
  plugins: [
    {
      name: 'workflow-parser-without-source-maps',
      enforce: 'pre',
      async load(id) {
        if (workflowParser.test(id)) return (await readFile(id, 'utf8')).replace(/^\/\/# sourceMappingURL=.*$/m, '');
      },
    },
  ],
  test: {
    include: ['__tests__/**/*.test.ts'],
    globalSetup: ['__tests__/setup/bundle.ts'],
    testTimeout: 30_000,
    pool: 'threads',
    // Vitest leaves a core free by default: on two cores, one file at a time (53 s here, against
    // 33 to 45 s with two; three were slower again).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: BundleLast },
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    // Only with --coverage (CI's coverage job). The bundle tests run dist/ in child processes,
    // which V8 coverage does not follow: the figures are those of the in-process tests.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text', ['text-summary', { file: 'summary.txt' }]],
    },
  },
});
