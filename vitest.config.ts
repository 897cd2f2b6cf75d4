import { defineConfig } from 'vitest/config';

// Tiers by file name (STYLE.md §9): *.unit.test.ts touch no I/O; *.int.test.ts talk to a real Kafka
// broker and real SQLite files; *.e2e.test.ts start processes as a user would.
export default defineConfig({
  test: {
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'shared/*/test/**/*.unit.test.ts',
            'services/*/test/**/*.unit.test.ts',
            'test/**/*.unit.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'int',
          include: [
            'shared/*/test/**/*.int.test.ts',
            'services/*/test/**/*.int.test.ts',
            'test/**/*.int.test.ts',
          ],
          globalSetup: ['test/setup/kafka.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts', 'services/*/test/**/*.e2e.test.ts'],
          globalSetup: ['test/setup/kafka.global.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
