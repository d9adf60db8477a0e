import { readFile } from 'node:fs/promises';
import { defineConfig } from 'vitest/config';

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
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
