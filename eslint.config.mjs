// ESLint checks what the compiler lets through: promises nobody awaits or catches, switches
// that silently miss a member of a union, dead code, and relative imports that reach into
// another lib or app (across folders, code goes through `@app/<lib>`; libs never import
// apps). Type-aware rules read tsconfig.json through the project service. Layout is
// Prettier's job (`npm run format`), so no stylistic rules here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Matched against the import specifier as written.
const crossBoundary = [
  {
    // ../../libs/db/src/x.js, ../../../apps/api/src/x.js, …
    regex: String.raw`^\.{1,2}/(.*/)?(libs|apps)/`,
    message: 'Import another lib through @app/<lib>; libs never import apps, nor apps each other.',
  },
  {
    // ../../db/src/x.js from libs/ai/src: a sibling project by a relative path.
    regex: String.raw`^(\.\./)+[^./][^/]*/src(/|$)`,
    message: 'Import another lib through @app/<lib>, not by a relative path into its src/.',
  },
];
// Production code never reaches into test/ (unit specs and test/ itself may).
const intoTests = {
  regex: String.raw`^\.{1,2}/(.*/)?test/`,
  message: 'Only tests may import from test/.',
};

export default defineConfig(
  {
    ignores: ['dist/', 'packages/*/dist/', 'packages/sdk/src/gen/', 'out/', 'coverage/', 'node_modules/', '.runtime/', 'data/', '.bench/'],
  },
  {
    files: ['**/*.{ts,mjs,js}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // A `default:` branch is a deliberate catch-all; without one every member must be handled.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-imports': ['error', { patterns: crossBoundary }],
    },
  },
  {
    // Fakes and assertions read arbitrary JSON off the wire, where `any` is what
    // JSON.parse returns; production code has to say what it expects.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Medium and end-to-end tests build the apps' own services in-process, so test/ may
    // import from apps/ by path; libs still only through @app/<lib>.
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ ...crossBoundary[0], regex: String.raw`^\.{1,2}/(.*/)?libs/` }, crossBoundary[1]] }] },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...crossBoundary, intoTests] }],
    },
  },
);
