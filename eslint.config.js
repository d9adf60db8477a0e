import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // bench/sdk-sweep.ts needs bench/'s own packages: `npm --prefix bench run typecheck` checks it.
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/node_modules/', 'bench/sdk-sweep.ts'] },
  js.configs.recommended,
  // Type-aware: what no compiler flag catches (floating promises, unsafe any, misused spreads...).
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bench/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests read parsed JSON outputs and answers, which are `any` by nature.
    files: ['__tests__/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Fakes fill async interfaces without awaiting anything, and pass methods of fakes around.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['bench/*.mjs'],
    languageOptions: { globals: { fetch: 'readonly', process: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['log', 'error'] }],
    },
  },
);
