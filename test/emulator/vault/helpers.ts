/** An in-process emulator with its Vault face at hand: `v(method, path, body?, token?)`. */
import { createEmulator, type Emulator, type EmulatorOptions, type VaultReply } from '../../../emulator/emulator.js';

export const ROOT_TOKEN = 'root-token';
export const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
export const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

export type VaultCall = (method: string, path: string, body?: unknown, token?: string) => Promise<VaultReply>;

export async function vaultEmulator(options: EmulatorOptions = {}): Promise<{ kms: Emulator; v: VaultCall }> {
  const kms = await createEmulator({ vault: { rootToken: ROOT_TOKEN }, ...options });
  const v: VaultCall = (method, path, body, token = ROOT_TOKEN) => kms.vault.request({ method, path, token, ...(body !== undefined ? { body } : {}) });
  return { kms, v };
}

/** The emulator with transit mounted at `transit/`. */
export async function withTransit(options: EmulatorOptions = {}): Promise<{ kms: Emulator; v: VaultCall }> {
  const env = await vaultEmulator(options);
  const r = await env.v('POST', 'sys/mounts/transit', { type: 'transit' });
  if (r.status !== 204) throw new Error(`mount failed: ${r.status} ${r.text}`);
  return env;
}

/** A token with these policies (written first from HCL texts). */
export async function tokenWith(v: VaultCall, policies: Record<string, string>): Promise<string> {
  for (const [name, policy] of Object.entries(policies)) {
    const r = await v('PUT', `sys/policy/${name}`, { policy });
    if (r.status !== 204) throw new Error(`policy ${name}: ${r.status} ${r.text}`);
  }
  const t = await v('POST', 'auth/token/create', { policies: Object.keys(policies) });
  return t.json.auth.client_token as string;
}
