import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The definition and the metrics are pure: no I/O, no clock of their own (docs/lead-definition.md,
    // docs/metrics.md). Reading files, the store, HubSpot, schedules and settings live outside them.
    // src/store/mirror-types.ts is held to the same rule: it is the one store module the core may read (the
    // mirror's rows as plain data, issue 16), so it must stay as pure as its readers.
    files: ['src/definition/**/*.ts', 'src/metrics/**/*.ts', 'src/store/mirror-types.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The definition and metrics core is pure: no node: module (I/O belongs outside, e.g. src/definition-file.ts).' },
            { group: ['fs', 'fs/*', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'worker_threads'], message: 'The definition and metrics core is pure: no Node I/O module.' },
            { group: ['express', 'express/*', 'kysely', 'kysely/*', 'pg', 'better-sqlite3', '@hubspot/api-client', '@hubspot/api-client/*', 'node-cron', 'pino', 'prom-client'], message: 'The definition and metrics core is pure: no server, store, HubSpot, scheduler or logging library.' },
            { group: ['**/config', '**/config/*', '**/hubspot', '**/hubspot/*', '**/server', '**/server/*'], message: 'The definition and metrics core is pure: settings, the store, HubSpot and the server are passed in, not imported.' },
            {
              // The store, but for the mirror's rows (store/mirror-types): they are the metrics' input data, not
              // the store (issue 16). A regular expression, because a gitignore pattern cannot re-include a
              // file whose folder it excludes.
              regex: '(^|/)store(/(?!mirror-types$)[^/]+)?$',
              message: 'The definition and metrics core is pure: settings, the store, HubSpot and the server are passed in, not imported.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', 'bin/**'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' } },
  },
);
