import { defineConfig } from 'vitest/config';

/** The load test measures the bot under 500 interactions/s: it runs alone, after every other file. */
const LOAD_TESTS = ['tests/reliability/bot-load.e2e.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'tests', include: ['tests/**/*.test.ts'], exclude: LOAD_TESTS } },
      { extends: true, test: { name: 'load', include: LOAD_TESTS, sequence: { groupOrder: 1 } } },
    ],
  },
});
