/**
 * vitest global setup: starts `kmskit serve` on a free loopback port before the test files run and
 * exports its URL as AWS_ENDPOINT_URL_KMS (which the AWS SDKs, boto3 and the aws CLI read), plus
 * fake credentials and a region so clients need no configuration. Stops it afterwards.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ['test/helpers/global-setup.ts'] } });
 *
 * Extra `kmskit serve` flags can be passed in KMSKIT_SERVE_ARGS (e.g. "--identities ids.json").
 */
import type { TestProject } from 'vitest/node';
import { startServeProcess, type ServeProcess } from './serve-process.js';

let serving: ServeProcess | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    kmskitEndpoint: string;
  }
}

export async function setup(project?: TestProject): Promise<void> {
  const extra = (process.env.KMSKIT_SERVE_ARGS ?? '').split(/\s+/).filter(Boolean);
  serving = await startServeProcess(extra);
  // Test workers are forked after global setup, so they inherit these.
  process.env.AWS_ENDPOINT_URL_KMS = serving.url;
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIAKMSKITEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'kmskit-example-secret';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_DEFAULT_REGION ??= process.env.AWS_REGION;
  project?.provide('kmskitEndpoint', serving.url);
}

export async function teardown(): Promise<void> {
  await serving?.stop('SIGTERM');
  serving = undefined;
}
