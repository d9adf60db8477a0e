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

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    globalSetup: ['__tests__/setup/bundle.ts'],
    testTimeout: 30_000,
    pool: 'threads',
    sequence: { sequencer: BundleLast },
  },
});
