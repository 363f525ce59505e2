// The seams of ARCHITECTURE.md, enforced: who may import what.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeOnly = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'http2', 'net', 'url', 'util', 'stream'];
const mainOnly = ['better-sqlite3', '@aws-sdk/*', '@smithy/*'];

const noElectronAtRunTime = {
  name: 'electron',
  allowTypeImports: true,
  message: 'Only the thin shell (main.ts, preload.ts, ipc.ts) loads electron at run time; everything else must run under plain Node.',
};

function restrict(patterns, message) {
  return ['error', { patterns: patterns.map((group) => ({ group: [group], message, allowTypeImports: false })) }];
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'release/**', 'node_modules/**', 'native/**', '.cache/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']", message: 'A focused test silences the rest of the suite.' },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        ['electron', ...nodeOnly, ...mainOnly, 'react', 'react-dom', '**/electron/**', '**/renderer/**'],
        'shared/ is the contract: it runs in main, preload and renderer alike, so it imports no electron, Node, SQLite, AWS or UI code.',
      ),
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        ['electron', ...nodeOnly, ...mainOnly, '**/electron/**'],
        'renderer/ reaches the main process only through the contract (renderer/lib/api.ts).',
      ),
    },
  },
  {
    files: ['electron/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/ipc.ts', 'electron/dialogs.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noElectronAtRunTime],
          patterns: [{ group: ['**/renderer/**'], message: 'The main process never imports renderer code.' }],
        },
      ],
    },
  },
  {
    // Unit tests may exercise the renderer's plain logic (no DOM) under Node.
    files: ['tests/unit/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [noElectronAtRunTime] }] },
  },
);
