import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts', 'tests/**/*.test.tsx', 'sandbox/src/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time: most tests wait on the sandbox, the database or timers, so two forks on two
    // cores halve the suite's wall time (one at a time: ~13 min here, the files' own times summed).
    maxWorkers: 2,
  },
});
