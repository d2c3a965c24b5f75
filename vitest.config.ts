import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{engine,kernel,app}/{src,test}/**/*.test.ts', 'bench/**/*.test.ts'],
    // Suites start worker processes, kernels, servers and browsers: two cores are shared between them.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
