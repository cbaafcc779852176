/**
 * Vault's identifiers — tokens (`hvs.` + 24 base62 characters), accessors — and where the root
 * token comes from. Kept apart from the rest of the face (node:crypto only) because the emulator
 * needs it at start-up, while the face itself loads on the first Vault request.
 */
import { randomBytes } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function base62(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      // 248 = 62 * 4: rejecting the rest keeps every character equally likely.
      if (b < 248 && out.length < n) out += BASE62[b % 62];
    }
  }
  return out;
}

export const newTokenId = (): string => `hvs.${base62(24)}`;
export const newAccessor = (): string => base62(24);

export type RootTokenSource = 'option' | 'env' | 'random';

/** The root token: the option, else `VAULT_DEV_ROOT_TOKEN_ID` (as `vault server -dev` reads it), else random. */
export function rootToken(option: string | undefined): { token: string; source: RootTokenSource } {
  if (option !== undefined) {
    if (!/^\S{1,256}$/.test(option)) throw new TypeError('vault root token must be 1-256 characters with no white space');
    return { token: option, source: 'option' };
  }
  const env = process.env.VAULT_DEV_ROOT_TOKEN_ID?.trim();
  if (env) return { token: env, source: 'env' };
  return { token: newTokenId(), source: 'random' };
}
