/**
 * The kmskit CDKTF app: both stacks on one App, wired to the configuration. main.ts runs this; the
 * tests build the same app in memory.
 */
import { readFileSync } from 'node:fs';
import { type KmskitConfig, loadConfig } from './config.js';
import { DataStack } from './data-stack.js';
import { KeyringStack } from './keyring-stack.js';
import { KeyPolicyChecks } from './lint-aspect.js';
import { App } from './provider.js';

export interface KmskitApp {
  readonly app: App;
  readonly config: KmskitConfig;
  readonly keyring: KeyringStack;
  readonly data: DataStack;
  /** The synth-time key policy lint (absent with `skipLint`). */
  readonly lint?: KeyPolicyChecks;
}

export interface BuildAppOptions {
  /** @default CDKTF_OUTDIR, else "cdktf.out" */
  readonly outdir?: string;
  /** cdktf context values (as in cdktf.json `context`). @default what cdktf-cli passes, else cdktf.json's */
  readonly context?: Record<string, unknown>;
  /** Environment for KMSKIT_* settings. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Skip the synth-time lint of key policies. @default false */
  readonly skipLint?: boolean;
}

/** Builds the App with the KeyringStack ("keyring") and the DataStack ("data"). */
export function buildApp(options: BuildAppOptions = {}): KmskitApp {
  const context = options.context ?? (process.env['CDKTF_CONTEXT_JSON'] === undefined ? readCdktfJsonContext() : undefined);
  const app = new App({
    ...(options.outdir !== undefined ? { outdir: options.outdir } : {}),
    ...(context !== undefined ? { context } : {}),
  });
  const config = loadConfig({ context: (key) => app.node.tryGetContext(key), ...(options.env ? { env: options.env } : {}) });
  const keyring = new KeyringStack(app, 'keyring', { config });
  const data = new DataStack(app, 'data', { config, keyring });
  // The same one line a user's app uses (README "Use kmskit in your project").
  const lint = options.skipLint ? undefined : KeyPolicyChecks.addTo(app, { ownAccount: config.account });
  return { app, config, keyring, data, ...(lint ? { lint } : {}) };
}

/** cdktf.json's `context`, for runs of main.ts without cdktf-cli (which passes it in CDKTF_CONTEXT_JSON). */
function readCdktfJsonContext(): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync('cdktf.json', 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { context?: unknown };
    const ctx = parsed.context;
    return typeof ctx === 'object' && ctx !== null && !Array.isArray(ctx) ? (ctx as Record<string, unknown>) : undefined;
  } catch (err) {
    throw new Error(`cdktf.json is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
