import { defineConfig } from 'vitest/config';

const BROWSER_TESTS = 'app/test/**/*.e2e.test.ts';

export default defineConfig({
  test: {
    // Suites start worker processes, kernels, servers and browsers: two cores are shared between them.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['{engine,kernel,app}/{src,test}/**/*.test.ts', 'bench/**/*.test.ts'], exclude: ['**/node_modules/**', BROWSER_TESTS] },
      },
      {
        // Browser tests wait on a kernel, a cluster and Chromium at once: they run after the others, one
        // file at a time, so their timeouts measure the app rather than whatever else has the cores.
        extends: true,
        test: { name: 'browser', include: [BROWSER_TESTS], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
