// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** The layer fences (.dependency-cruiser.cjs) see only the imports they can read. */
const computedImport = { selector: 'ImportExpression[source.type!="Literal"]', message: 'import() with a computed name hides a dependency from the layer fences: name the module.' };

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'url', 'util', 'events', 'stream'];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // shared/ runs anywhere: the renderer, the main process, the CLI and the tests all load it.
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ runs anywhere: no Node built-ins (pass values in instead).' },
            { group: ['electron', 'better-sqlite3', 'react', 'react-dom'], message: 'shared/ runs anywhere: no Electron, native modules or views.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ must not depend on a process-specific layer.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname', 'localStorage', 'navigator'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // Hooks in the same order at every render: a hook after an early return broke a form once.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: [...nodeBuiltins, 'electron', 'better-sqlite3', '**/electron/**'], message: 'The renderer reaches the main process only through the IPC contract.' }] },
      ],
    },
  },
  {
    // The till's ledger is read and written through its own modules only (electron/services/ledger/,
    // its SQL in ledger/queries/, each query module small and of one job): the reports, screens,
    // printing and shipping call typed functions, so a query lives, is indexed and is measured in
    // one place. The relay and the simulator keep databases of their own.
    files: ['electron/**/*.ts'],
    ignores: ['electron/services/ledger/**', 'electron/services/sqlite/**', 'electron/relay/**', 'electron/simulator/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        computedImport,
        ...['prepare', 'pragma'].map((method) => ({
          selector: `CallExpression[callee.property.name='${method}']`,
          message: `SQLite's ${method}() belongs in electron/services/ledger/queries/: add a typed function there and call it.`,
        })),
        {
          selector: "CallExpression[callee.property.name='exec'][arguments.0.type=/Literal$/]",
          message: 'SQL run with exec() belongs in electron/services/ledger/queries/: add a typed function there and call it.',
        },
      ],
    },
  },
  {
    // The layer fences (.dependency-cruiser.cjs) see only imports they can read: a module loaded by
    // a computed name, or through createRequire, would slip past them. Only the SQLite loader needs that.
    files: ['electron/services/**/*.ts'],
    ignores: ['electron/services/sqlite/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'node:module', importNames: ['createRequire'], message: 'Import modules by name, so the layer fences see them.' }] }],
    },
  },
  {
    // Where the SQL fence above does not apply.
    files: ['electron/services/ledger/**/*.ts', 'electron/services/sqlite/**/*.ts', 'electron/relay/**/*.ts', 'electron/simulator/**/*.ts', 'shared/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', computedImport] },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read loosely typed JSON from real HTTP answers.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
