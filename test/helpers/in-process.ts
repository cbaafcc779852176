/**
 * The in-process alternative to the global setup: an emulator and its HTTP server inside the test
 * process, on a free loopback port. Faster to start, and the test can reach the emulator object
 * (clock, audit, faults) directly as well as over HTTP.
 *
 *   const kms = await startInProcessEmulator();
 *   const client = new KMSClient({ endpoint: kms.url, region: 'us-east-1', credentials: kms.credentials });
 *   ...
 *   await kms.stop();
 */
import { createEmulator } from '../../emulator/emulator.js';
import { startServer } from '../../emulator/server.js';

type CreateOptions = NonNullable<Parameters<typeof createEmulator>[0]>;

export interface InProcessEmulator {
  url: string;
  emulator: Awaited<ReturnType<typeof createEmulator>>;
  /** Credentials no identity maps, i.e. the account's root user. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

export async function startInProcessEmulator(options: CreateOptions & { setEnv?: boolean } = {}): Promise<InProcessEmulator> {
  const { setEnv, ...createOptions } = options;
  const emulator = await createEmulator(createOptions);
  const server = await startServer({ emulator, host: '127.0.0.1', port: 0 });
  const previous = process.env.AWS_ENDPOINT_URL_KMS;
  if (setEnv) process.env.AWS_ENDPOINT_URL_KMS = server.url;
  return {
    url: server.url,
    emulator,
    credentials: { accessKeyId: 'AKIAKMSKITEXAMPLE', secretAccessKey: 'kmskit-example-secret' },
    async stop() {
      if (setEnv) {
        if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_KMS;
        else process.env.AWS_ENDPOINT_URL_KMS = previous;
      }
      await server.close();
      await emulator.close();
    },
  };
}
