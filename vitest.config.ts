import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { CHECKPOINT_DISABLE: '1' },
    coverage: {
      provider: 'v8',
      include: ['cli/**', 'policies/**', 'lint/**', 'emulator/**', 'stacks/**'],
      reporter: ['text-summary', 'html'],
    },
  },
});
