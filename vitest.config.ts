import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Build dist/ when stale (the CLI and reliability tests run the real binary).
    globalSetup: ['test/setup/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { CHECKPOINT_DISABLE: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    coverage: {
      provider: 'v8',
      include: ['cli/**', 'policies/**', 'lint/**', 'emulator/**', 'apply/**', 'stacks/**', 'demo/**'],
      reporter: ['text-summary', 'html'],
    },
  },
});
