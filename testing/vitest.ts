// The `declare module 'vitest'` augmentation below needs vitest's own types in the program (here and in the emitted .d.ts).
/// <reference types="vitest" preserve="true" />
/**
 * `kmskit/vitest`: the KMS emulator for a vitest suite, from compiled JavaScript (no tsx).
 *
 * Global setup, one line in vitest.config.ts: an emulator on a free loopback port in vitest's main
 * process for the whole run. Before any test file runs it exports AWS_ENDPOINT_URL_KMS, placeholder
 * credentials and a region (only those not already set), so every SDK client the tests build with no
 * endpoint option reaches it; `inject('kmskitEndpoint')` gives its URL. Afterwards it stops the
 * emulator and puts the environment back.
 *
 *   export default defineConfig({ test: { globalSetup: ['kmskit/vitest'] } });
 *
 * With options (principals, a seed, a state file), write a setup file of your own:
 *
 *   // test/kms-setup.ts
 *   export default kmskitGlobalSetup({ principals: [{ arn: 'arn:aws:iam::111122223333:role/App', accessKeyId: 'AKIAAPP' }] });
 *
 * In a test file, `startInProcessEmulator()` gives an emulator of the test's own, with the emulator
 * object at hand (clock, audit, faults).
 */
import type { TestProject } from 'vitest/node';
import { type InProcessOptions, startInProcessEmulator } from './in-process.js';

export { AWS_ENV_NAMES, PLACEHOLDER_CREDENTIALS, setAwsEnv, startInProcessEmulator } from './in-process.js';
export type { InProcessEmulator, InProcessOptions } from './in-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the emulator kmskit's global setup started. */
    kmskitEndpoint: string;
  }
}

/** Options of `kmskitGlobalSetup`: the emulator's options (account, region, principals, seed, stateFile, ...) and where to listen. */
export type GlobalSetupOptions = Omit<InProcessOptions, 'setEnv'>;

/** A vitest global setup with options: `export default kmskitGlobalSetup({...})` in a setup file. */
export function kmskitGlobalSetup(options: GlobalSetupOptions = {}): (project?: TestProject) => Promise<() => Promise<void>> {
  return async (project) => {
    // Test workers are started after global setup, so they inherit the environment set here.
    const kms = await startInProcessEmulator({ ...options, setEnv: true });
    project?.provide('kmskitEndpoint', kms.url);
    return () => kms.stop();
  };
}

/** vitest global setup with the defaults (`globalSetup: ['kmskit/vitest']`); the function it resolves to is the teardown. */
export const setup: (project?: TestProject) => Promise<() => Promise<void>> = kmskitGlobalSetup();
