import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// Files by name, so zz-log-secrets runs last and reads the logs of every scenario of this run.
class ByName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

// `npm run test:chaos`: hostile input and faults (issue 19), apart from `npm test` because it kills
// processes and brokers on purpose and takes minutes. Files run one at a time: each starts its own
// processes and brokers, and two at once on a 2-core machine would measure each other.
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.test.ts'],
    reporters: ['default', './test/setup/summary-reporter.ts'],
    globalSetup: ['test/setup/kafka.global.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    sequence: { sequencer: ByName },
  },
});
