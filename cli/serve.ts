/**
 * `kmskit serve`: the emulator on the AWS wire protocol. Start-up is kept lean on purpose (the
 * contract is ≤ 300 ms to the first answered request): no AWS SDK, no cdktf, only the emulator
 * core and node:http, imported when the action runs.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { RegisterCommand } from './commands.js';
import { CliError } from './errors.js';
import type { Io } from './io.js';

export interface ServeOptions {
  host?: string;
  port?: number;
  state?: string;
  seed?: string;
  identities?: string;
  account?: string;
  region?: string;
  /** Serve /_kmskit/* control routes; default only on loopback. */
  control?: boolean;
  /** The Vault root token (else VAULT_DEV_ROOT_TOKEN_ID, else random and printed). */
  vaultRootToken?: string;
}

export interface Identity {
  accessKeyId: string;
  secretAccessKey?: string;
  arn: string;
  policies: unknown[];
}

/** Reads and checks an identities file; every problem names the file and the entry. */
export function loadIdentities(file: string): Identity[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`identities file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 2);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CliError(`identities file ${file}: not valid JSON (${(e as Error).message})`, 2);
  }
  const principals = (doc as { principals?: unknown } | null)?.principals;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(principals)) {
    throw new CliError(`identities file ${file}: expected {"principals": [ ... ]}`, 2);
  }
  const seen = new Set<string>();
  return principals.map((p: unknown, i): Identity => {
    const where = `identities file ${file}: principals[${i}]`;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new CliError(`${where} must be an object`, 2);
    const { accessKeyId, secretAccessKey, arn, policies } = p as Record<string, unknown>;
    if (typeof accessKeyId !== 'string' || !/^[A-Z0-9]{4,128}$/.test(accessKeyId)) {
      throw new CliError(`${where}.accessKeyId must be an access key id (upper-case letters and digits), got ${JSON.stringify(accessKeyId)}`, 2);
    }
    if (seen.has(accessKeyId)) throw new CliError(`${where}.accessKeyId ${accessKeyId} appears twice`, 2);
    seen.add(accessKeyId);
    if (secretAccessKey !== undefined && (typeof secretAccessKey !== 'string' || secretAccessKey === '')) {
      throw new CliError(`${where}.secretAccessKey must be a non-empty string when present`, 2);
    }
    if (typeof arn !== 'string' || !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:/.test(arn)) {
      throw new CliError(`${where}.arn must be an IAM or STS ARN, got ${JSON.stringify(arn)}`, 2);
    }
    if (policies !== undefined && !Array.isArray(policies)) throw new CliError(`${where}.policies must be an array of policy documents`, 2);
    return { accessKeyId, ...(typeof secretAccessKey === 'string' ? { secretAccessKey } : {}), arn, policies: (policies as unknown[]) ?? [] };
  });
}

export interface ServingEmulator {
  url: string;
  port: number;
  /** The Vault face's root token, and whether kmskit made it up (then it is printed). */
  vaultRootToken: string;
  vaultRootTokenRandom: boolean;
  /** Stops the server, flushes state and closes the emulator. */
  stop(): Promise<void>;
}

/** Starts emulator + HTTP server and resolves once a request has been answered. */
export async function startServing(options: ServeOptions, log: (line: string) => void = () => {}): Promise<ServingEmulator> {
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) throw new CliError(`--account must be a 12-digit account id, got ${options.account}`, 2);
  if (options.region !== undefined && !/^([a-z]+-){2,3}\d+$/.test(options.region)) throw new CliError(`--region must be a region name like us-east-1, got ${options.region}`, 2);
  const principals = options.identities ? loadIdentities(options.identities) : undefined;
  const [{ createEmulator }, { startServer }] = await Promise.all([import('../emulator/emulator.js'), import('../emulator/server.js')]);
  let emulator: Awaited<ReturnType<typeof createEmulator>>;
  try {
    emulator = await createEmulator({
      ...(options.account ? { account: options.account } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.state ? { stateFile: options.state } : {}),
      ...(options.seed ? { seed: options.seed } : {}),
      ...(principals ? { principals } : {}),
      ...(options.vaultRootToken !== undefined ? { vault: { rootToken: options.vaultRootToken } } : {}),
    });
  } catch (e) {
    // run() prefixes "kmskit: " already.
    const message = (e instanceof Error ? e.message : String(e)).replace(/^kmskit /, '');
    // The core names the entry (principals[0].policies[1], seed keys[0]); the user needs the file too.
    if (options.identities && /^principals\[/.test(message)) throw new CliError(`identities file ${options.identities}: ${message}`, 2);
    if (options.seed && /^seed /.test(message) && !message.includes(options.seed)) {
      throw new CliError(`seed file ${options.seed}: ${message.replace(/^seed /, '')}`, 2);
    }
    throw new CliError(message, 2);
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      emulator,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 4599,
      ...(options.control !== undefined ? { control: options.control } : {}),
      log,
    });
  } catch (e) {
    await emulator.close();
    const err = e as NodeJS.ErrnoException;
    throw new CliError(`cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 4599}: ${err.code ?? err.message}`, 2);
  }
  await selfCheck(server.url);
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    vaultRootToken: emulator.vault.rootToken,
    vaultRootTokenRandom: emulator.vault.rootTokenSource === 'random',
    stop() {
      stopping ??= (async () => {
        await server.close();
        await emulator.flush();
        await emulator.close();
      })();
      return stopping;
    },
  };
}

/** "Listening" is only printed once the server has answered a request. */
async function selfCheck(url: string): Promise<void> {
  const { request } = await import('node:http');
  await new Promise<void>((resolve, reject) => {
    const r = request(`${url}/health`, { method: 'GET', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    r.on('error', reject);
    r.end();
  });
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`--port must be an integer 0-65535, got ${value}`, 2);
  return n;
}

/** Waits for SIGINT or SIGTERM (or the abort signal, in tests). */
function untilStopped(signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const done = (name: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(name);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    signal?.addEventListener('abort', () => done('abort'), { once: true });
  });
}

export async function serveCommand(options: ServeOptions, io: Io, signal?: AbortSignal): Promise<void> {
  const serving = await startServing(options, (line) => io.err(`${line}\n`));
  io.out(`kmskit emulator listening on ${serving.url}\n`);
  // As `vault server -dev` does: a root token nobody chose is printed, or nobody could use it. On
  // stderr, so stdout stays the one line scripts wait for.
  if (serving.vaultRootTokenRandom) io.err(`Vault root token: ${serving.vaultRootToken} (random; set VAULT_DEV_ROOT_TOKEN_ID or --vault-root-token to choose it)\n`);
  const why = await untilStopped(signal);
  await serving.stop();
  io.err(`kmskit emulator stopped (${why}); state flushed\n`);
}

export const register: RegisterCommand = (program: Command, ctx) =>
  program
    .command('serve')
    .description('Run the KMS emulator on the AWS wire protocol (AWS SDKs, boto3, aws CLI) with REST, Vault Transit (/v1/) and /_kmskit control routes')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 4599)
    .option('--state <file>', 'state file: keys survive restarts (flushed on SIGINT/SIGTERM)')
    .option('--seed <file>', 'seed file of keys to create at start-up')
    .option('--identities <file>', 'identities file mapping access key ids to principals and identity policies')
    .option('--account <id>', 'account id of the emulator', '111122223333')
    .option('--region <region>', 'default region', 'us-east-1')
    .option('--control', 'serve /_kmskit/* control routes even when not on loopback')
    .option('--no-control', 'do not serve /_kmskit/* control routes')
    .option('--vault-root-token <token>', 'root token of the Vault Transit API under /v1/ (default: VAULT_DEV_ROOT_TOKEN_ID, else random and printed)')
    .action(async (opts: ServeOptions & { control?: boolean }) => {
      await serveCommand(opts, ctx.io);
    });
