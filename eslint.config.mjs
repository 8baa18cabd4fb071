import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const NO_ELECTRON = {
  name: 'electron',
  message: 'Only src/main/index.ts, src/main/platform and src/preload may import electron.',
};

/** The rooms of src/main: one domain each (see ARCHITECTURE.md). */
const ROOMS = [
  'agreement',
  'coding',
  'db',
  'feedback',
  'files',
  'interop',
  'library',
  'media',
  'packages',
  'perspectives',
  'protection',
  'reports',
  'rpc',
  'talk',
];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.cache/**', 'native/**', 'bin/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Core code must run in plain Node: importing 'electron' there would try to download it.
    files: ['src/main/**', 'src/cli/**', 'src/shared/**'],
    ignores: ['src/main/index.ts', 'src/main/index.test.ts', 'src/main/platform/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_ELECTRON] }] },
  },
  {
    // The rooms are the core: they never reach out to a host or the Electron protocol glue
    // (hosts and protocols call the rooms, not the other way round).
    files: ROOMS.map((r) => `src/main/${r}/**`),
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_ELECTRON],
          patterns: [
            {
              group: ['**/hosts/*', '**/protocol/*', '**/main/index'],
              message: 'The rooms never import a host or the protocol glue: hosts call rooms, not the reverse.',
            },
          ],
        },
      ],
    },
  },
  {
    // A repository holds SQL and nothing else: it may use the database module and shared types,
    // never a service (services use repositories, not the reverse).
    files: ['src/main/**/repositories.ts', 'src/main/**/repository.ts', 'src/main/**/*-repository.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_ELECTRON],
          patterns: [
            {
              regex: '^(?!\\.\\./db/open$|\\.\\./\\.\\./shared/|\\./repositor(?:y|ies)$)\\.',
              message: 'A repository imports only db/open, shared types and other repositories, never a service.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**', 'src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [{ group: ['node:*', 'better-sqlite3'], message: 'Shared and renderer code stays free of Node.' }],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.tsx', 'src/renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'bench/**', 'scripts/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        URL: 'readonly',
      },
    },
  },
);
