import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.tsbuild', '.wrangler', 'test-results', 'bench/results', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // shared/ is pure: both the panes and the Worker import it, so it imports neither.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/worker/**', '**/addin/**', 'node:*', 'cloudflare:*'] }],
    },
  },
  {
    // The panes reach the Worker over HTTP: they import its types (the typed client), never its code.
    files: ['addin/**/*.ts', 'addin/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/worker/**'], allowTypeImports: true, message: 'The panes import the Worker as types only.' },
            { group: ['node:*', 'cloudflare:*'], message: 'The panes run in the browser.' },
          ],
        },
      ],
    },
  },
  {
    // Only addin/office/ touches Office.js.
    files: ['addin/**/*.ts', 'addin/**/*.tsx'],
    ignores: ['addin/office/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@microsoft/office-js', 'office-addin-*'], message: 'Use the host adapters in addin/office/.' }] },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Office', message: 'Use the host adapters in addin/office/.' },
        { name: 'Excel', message: 'Use the host adapters in addin/office/.' },
      ],
    },
  },
  {
    files: ['**/*.js', 'bin/**', 'scripts/**/*.js', 'bench/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly' } },
  },
);
