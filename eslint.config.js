import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'coverage/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // The sandbox is HubSpot's stand-in: it must not reuse the product's reading of HubSpot.
    files: ['sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/engines/**', '**/crm/**', '**/services/**', '**/http/**', '**/storage/**', '**/contract/**'], message: 'The sandbox imports nothing from the product.' },
      ], paths: [{ name: '@hubspot/api-client', message: 'The sandbox is HubSpot; it does not call HubSpot.' }] }],
    },
  },
  {
    // Engines are pure: no I/O, no SDK, no storage.
    files: ['src/backend/engines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/crm/**', '**/storage/**', '**/services/**', '**/http/**', '**/sandbox/**', '@hubspot/api-client', 'pg', 'express'], message: 'Engines are pure functions.' },
      ] }],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'bench/**/*.ts', 'scripts/**/*.ts', 'tests/**/*.ts'],
    ignores: ['src/backend/crm/**', 'sandbox/**', 'src/backend/engines/**', 'tests/contract/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: '@hubspot/api-client', message: 'Only src/backend/crm/ talks to HubSpot.' },
      ] }],
    },
  },
);
