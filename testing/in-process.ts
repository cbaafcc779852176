/**
 * An emulator and its HTTP server inside the calling process, on a free loopback port: what a test
 * file starts when it wants the emulator object at hand (clock, audit, faults) as well as an endpoint
 * any AWS SDK, boto3 or the aws CLI can reach. Works in any test runner; `kmskit/vitest` re-exports it.
 */
import { type Emulator, type EmulatorOptions, createEmulator } from '../emulator/emulator.js';
import { startServer } from '../emulator/server.js';

/** The placeholder credentials kmskit's helpers export: no identity maps them, so they act as the account's root user. */
export const PLACEHOLDER_CREDENTIALS = Object.freeze({ accessKeyId: 'AKIAKMSKITEXAMPLE', secretAccessKey: 'kmskit-example-secret' });

/** The environment variables the helpers set for AWS clients (endpoint, credentials, region). */
export const AWS_ENV_NAMES = ['AWS_ENDPOINT_URL_KMS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

/** Options of `startInProcessEmulator`: the emulator's own options plus where to listen. */
export interface InProcessOptions extends EmulatorOptions {
  /** Set AWS_ENDPOINT_URL_KMS (and credentials and region where unset) in `process.env` until `stop()`. @default false */
  setEnv?: boolean;
  /** Address to listen on. @default "127.0.0.1" */
  host?: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
}

/** A running in-process emulator: its URL, the emulator object, and `stop()`. */
export interface InProcessEmulator {
  /** `http://127.0.0.1:PORT`: pass it as `endpoint` to a client. */
  readonly url: string;
  /** The emulator itself: `send`, `client()`, `clock`, `audit`, `faults`, `reset()`. */
  readonly emulator: Emulator;
  /** Credentials no identity maps, i.e. the account's root user. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Closes the server and the emulator (state flushed) and restores the environment it changed. */
  stop(): Promise<void>;
}

/**
 * Sets the AWS client environment for an emulator at `url`: the endpoint always, placeholder
 * credentials and region only where unset. Returns a function that puts every variable back.
 */
export function setAwsEnv(url: string, region: string): () => void {
  const saved = Object.fromEntries(AWS_ENV_NAMES.map((name) => [name, process.env[name]]));
  process.env.AWS_ENDPOINT_URL_KMS = url;
  // Credentials go together: a real access key id with a placeholder secret would be worse than either.
  if (process.env.AWS_ACCESS_KEY_ID === undefined && process.env.AWS_SECRET_ACCESS_KEY === undefined) {
    process.env.AWS_ACCESS_KEY_ID = PLACEHOLDER_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = PLACEHOLDER_CREDENTIALS.secretAccessKey;
  }
  process.env.AWS_REGION ??= region;
  process.env.AWS_DEFAULT_REGION ??= process.env.AWS_REGION;
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Starts an emulator and an HTTP server for it in this process (see InProcessOptions). */
export async function startInProcessEmulator(options: InProcessOptions = {}): Promise<InProcessEmulator> {
  const { setEnv, host, port, ...createOptions } = options;
  const emulator = await createEmulator(createOptions);
  let server;
  try {
    server = await startServer({ emulator, host: host ?? '127.0.0.1', port: port ?? 0 });
  } catch (e) {
    await emulator.close();
    throw e;
  }
  const restore = setEnv ? setAwsEnv(server.url, emulator.region) : () => {};
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    emulator,
    credentials: { ...PLACEHOLDER_CREDENTIALS },
    stop() {
      stopping ??= (async () => {
        restore();
        await server.close();
        await emulator.close();
      })();
      return stopping;
    },
  };
}
