import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The nevers of the house style (../shared/style.md, "The shape"), one block per layer. A file gets the options of the
// last block that matches it, so each layer's block repeats the HubSpot-SDK restriction it keeps.
// tests/lint/nevers.test.ts proves each rule fires on a small offending file.

// Globs and the roots below are relative to this file's folder, wherever eslint runs from.
const ROOT = path.dirname(fileURLToPath(import.meta.url));
const SOURCES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.mjs'];
const ENGINES = ['src/backend/engines/**'];
const UI = ['src/extensions/**', 'src/app/**'];
const HTTP = ['src/backend/http/**'];
const SANDBOX_ROOTS = ['src/backend/sandbox', 'sandbox'];
const SANDBOX = SANDBOX_ROOTS.map((root) => `${root}/**`);

const MESSAGES = {
  sdk: 'Only src/backend/crm/ talks to HubSpot.',
  engineNode: 'Engines are pure functions: no Node built-ins (no I/O, no process state).',
  engineIo: 'Engines are pure functions: no I/O modules (databases, HTTP, logs, queues, HubSpot).',
  engineLayer: 'Engines import only engines and contract types.',
  engineClock: 'Engines take `now` as an argument: no Date.now() or new Date() without a value.',
  engineEnv: 'Engines read no environment: take the setting as an argument.',
  uiContract: 'The UI imports only types from the backend contract (`import type`).',
  uiBackend: 'The UI imports no backend code; types come from src/backend/contract through `import type`.',
  httpStorage: 'Routes never import storage/: createApp hands them the services they need.',
  sandboxProduct: 'The sandbox imports nothing from the product.',
  sandboxSdk: 'The sandbox is HubSpot; it does not call HubSpot.',
  sandboxLeaves: 'The sandbox imports nothing outside its own folder.',
  productSandbox: 'Only the dev entry (src/backend/dev.ts) starts the sandbox; the product never imports it.',
};

const sdk = { name: '@hubspot/api-client', message: MESSAGES.sdk };
const sandboxPackage = { name: '@tiller/hubspot-sandbox', message: MESSAGES.productSandbox };
const sandboxSubpaths = { group: ['@tiller/hubspot-sandbox/*'], message: MESSAGES.productSandbox };

// Modules that do I/O or hold process-wide state; Node's own built-ins are listed from node:module.
const IO_PACKAGES = [
  '@hubspot/api-client',
  '@electric-sql/pglite',
  'pg',
  'pg-boss',
  'ioredis',
  'redis',
  'pino',
  'pino-http',
  'express',
  'supertest',
  'msw',
  'bottleneck',
  'rate-limiter-flexible',
  'undici',
  'axios',
  'node-fetch',
  '@tiller/hubspot-sandbox',
];

/** Relative imports of a file under one of `roots` must resolve inside that root. */
const importsStayInside = {
  meta: {
    type: 'problem',
    schema: [{ type: 'object', properties: { roots: { type: 'array', items: { type: 'string' } }, message: { type: 'string' } } }],
    messages: { leaves: '{{message}} ({{source}} leaves {{root}}/)' },
  },
  create(context) {
    const { roots, message } = context.options[0];
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const root = roots.filter((r) => file.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
    if (!root) return {};
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), source));
      if (target !== root && !target.startsWith(`${root}/`))
        context.report({ node: node.source, messageId: 'leaves', data: { message, source, root } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

/** Engines' import restrictions; their tests may also use Node built-ins (node:crypto for digests). */
const engineImports = ({ node }) => [
  'error',
  {
    paths: [
      ...IO_PACKAGES.map((name) => ({ name, message: name === sdk.name ? MESSAGES.sdk : MESSAGES.engineIo })),
      ...(node ? [] : builtinModules.map((name) => ({ name, message: MESSAGES.engineNode }))),
    ],
    patterns: [
      ...(node ? [] : [{ group: ['node:*'], message: MESSAGES.engineNode }]),
      { group: IO_PACKAGES.map((name) => `${name}/*`), message: MESSAGES.engineIo },
      { regex: '^\\.{1,2}/(.*/)?(crm|storage|services|http|sandbox|jobs|sync)(/|$)', message: MESSAGES.engineLayer },
    ],
  },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'coverage/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { house: { rules: { 'imports-stay-inside': importsStayInside } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // Only crm/ imports the HubSpot SDK (the contract tests check the SDK itself).
    files: SOURCES,
    ignores: ['src/backend/crm/**', 'tests/contract/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [sdk] }],
    },
  },
  {
    // The product's code never imports the sandbox (the production bundle must not hold it); only
    // the dev entry, tests and the bench do. http/ and engines/ repeat this in their own blocks.
    files: ['src/backend/**'],
    ignores: ['src/backend/dev.ts', 'src/backend/**/*.test.ts', 'src/backend/crm/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [sdk, sandboxPackage], patterns: [sandboxSubpaths] }],
    },
  },
  {
    files: ['src/backend/crm/**'],
    ignores: ['src/backend/crm/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [sandboxPackage], patterns: [sandboxSubpaths] }],
    },
  },
  {
    // Engines are pure: (data, now) -> result. No Node built-ins, no I/O, no other layer, no clock, no env.
    files: ENGINES,
    rules: {
      'no-restricted-imports': engineImports({ node: false }),
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: MESSAGES.engineClock }],
      'no-restricted-syntax': [
        'error',
        { selector: 'NewExpression[callee.name="Date"][arguments.length=0]', message: MESSAGES.engineClock },
        { selector: 'CallExpression[callee.name="Date"]', message: MESSAGES.engineClock },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: MESSAGES.engineEnv }],
    },
  },
  {
    // An engine's tests may hash its output (node:crypto) and measure CPU (process.cpuUsage);
    // they still pass a fixed `now` and read no environment.
    files: ENGINES.map((g) => `${g}/*.test.ts`),
    rules: {
      'no-restricted-imports': engineImports({ node: true }),
      'no-restricted-globals': 'off',
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: MESSAGES.engineClock },
        { object: 'process', property: 'env', message: MESSAGES.engineEnv },
      ],
    },
  },
  {
    // The UI (extensions and HubSpot's entry files) imports only types from the backend contract.
    files: UI,
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [sdk],
          patterns: [
            { regex: '(^|/)backend/contract(/|$)', allowTypeImports: true, message: MESSAGES.uiContract },
            { regex: '(^|/)backend(/(?!contract(/|$))|$)', message: MESSAGES.uiBackend },
          ],
        },
      ],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // http/ never imports storage/: routes get services from createApp. Route tests build the app
    // on a real store, so test files may create one.
    files: HTTP,
    ignores: ['src/backend/http/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [sdk, sandboxPackage],
          patterns: [{ regex: '(^|/)storage(/|$)', message: MESSAGES.httpStorage }, sandboxSubpaths],
        },
      ],
    },
  },
  {
    // The sandbox is HubSpot's stand-in and its own package: a stand-in that reused our reading of
    // HubSpot would agree with our mistakes. Today src/backend/sandbox/, tomorrow sandbox/.
    files: SANDBOX,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@hubspot/api-client', message: MESSAGES.sandboxSdk },
            { name: 'tiller', message: MESSAGES.sandboxProduct },
          ],
          patterns: [
            { group: ['@hubspot/api-client/*'], message: MESSAGES.sandboxSdk },
            {
              group: ['tiller/*', '@tiller/*', '!@tiller/hubspot-sandbox', '!@tiller/hubspot-sandbox/*'],
              message: MESSAGES.sandboxProduct,
            },
            { regex: '^src(/|$)', message: MESSAGES.sandboxProduct },
          ],
        },
      ],
      'house/imports-stay-inside': ['error', { roots: SANDBOX_ROOTS, message: MESSAGES.sandboxLeaves }],
    },
  },
);
