/**
 * Everything the Vault face remembers: secrets-engine mounts (with their transit keys), ACL
 * policies and tokens. Records are immutable; the face changes state only through `Change`s that
 * are persisted first (journal line, fsync) and applied after, the same discipline as the KMS store.
 *
 * Tokens are kept by the SHA-256 of their id, never the id itself, so the state file holds no
 * usable token (Vault stores salted hashes for the same reason). The root token is configuration,
 * not state: it is neither persisted nor dropped by a reset.
 */
import { createHash } from 'node:crypto';
import type { TransitKey } from './transit/keys.js';

export interface MountRecord {
  /** With its trailing slash: `transit/`. */
  path: string;
  type: 'transit';
  description: string;
  accessor: string;
  uuid: string;
  createdAt: number;
  config: { default_lease_ttl: number; max_lease_ttl: number };
  options: Record<string, string> | null;
  local: boolean;
  sealWrap: boolean;
}

export interface Mount {
  record: MountRecord;
  keys: Map<string, TransitKey>;
  /** transit `config/keys`: refuse to create keys on first encrypt. */
  disableUpsert: boolean;
}

export interface PolicyRecord {
  name: string;
  text: string;
  version: number;
  modified: number;
}

export interface TokenRecord {
  /** SHA-256 (hex) of the token id. */
  hash: string;
  accessor: string;
  policies: string[];
  displayName: string;
  /** Hash of the parent token; absent for orphans. */
  parent?: string;
  createdAt: number;
  /** Seconds; 0 = does not expire. */
  ttl: number;
  /** Emulator time the token stops working, ms (absent when it never expires). */
  expiresAt?: number;
  explicitMaxTtl: number;
  period: number;
  /** Uses left; 0 = unlimited. */
  numUses: number;
  path: string;
  meta: Record<string, string> | null;
  renewable: boolean;
}

export type Change =
  | { kind: 'mount'; mount: MountRecord }
  | { kind: 'unmount'; path: string }
  | { kind: 'transit-key'; mount: string; key: TransitKey }
  | { kind: 'delete-transit-key'; mount: string; name: string }
  | { kind: 'transit-config'; mount: string; disableUpsert: boolean }
  | { kind: 'policy'; policy: PolicyRecord }
  | { kind: 'delete-policy'; name: string }
  | { kind: 'token'; token: TokenRecord }
  | { kind: 'revoke-token'; hash: string };

export const tokenHash = (id: string): string => createHash('sha256').update(id).digest('hex');

export class VaultState {
  readonly mounts = new Map<string, Mount>();
  readonly policies = new Map<string, PolicyRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly byAccessor = new Map<string, string>();
  /** Bumped on every policy change, so cached ACLs know they are stale. */
  policyEpoch = 0;
  /** Hash of the root token (configuration, set by the face; children of root name it as parent). */
  rootHash = '';

  apply(c: Change): void {
    switch (c.kind) {
      case 'mount':
        this.mounts.set(c.mount.path, { record: c.mount, keys: new Map(), disableUpsert: false });
        break;
      case 'unmount':
        this.mounts.delete(c.path);
        break;
      case 'transit-key':
        this.mounts.get(c.mount)?.keys.set(c.key.name, c.key);
        break;
      case 'delete-transit-key':
        this.mounts.get(c.mount)?.keys.delete(c.name);
        break;
      case 'transit-config': {
        const m = this.mounts.get(c.mount);
        if (m) m.disableUpsert = c.disableUpsert;
        break;
      }
      case 'policy':
        this.policies.set(c.policy.name, c.policy);
        this.policyEpoch++;
        break;
      case 'delete-policy':
        this.policies.delete(c.name);
        this.policyEpoch++;
        break;
      case 'token': {
        const old = this.tokens.get(c.token.hash);
        if (old) this.byAccessor.delete(old.accessor);
        this.tokens.set(c.token.hash, c.token);
        this.byAccessor.set(c.token.accessor, c.token.hash);
        break;
      }
      case 'revoke-token': {
        const old = this.tokens.get(c.hash);
        if (old) this.byAccessor.delete(old.accessor);
        this.tokens.delete(c.hash);
        break;
      }
    }
  }

  clear(): void {
    this.mounts.clear();
    this.policies.clear();
    this.tokens.clear();
    this.byAccessor.clear();
    this.policyEpoch++;
  }

  /** The mount that owns a request path (longest mount path that prefixes it). */
  mountFor(path: string): Mount | undefined {
    let best: Mount | undefined;
    for (const m of this.mounts.values()) {
      const p = m.record.path;
      if ((path === p.slice(0, -1) || path.startsWith(p)) && (!best || p.length > best.record.path.length)) best = m;
    }
    return best;
  }

  /** A token and every token it created, depth first (revoking a token revokes its children). */
  descendants(hash: string): string[] {
    const out = [hash];
    for (let i = 0; i < out.length; i++) for (const t of this.tokens.values()) if (t.parent === out[i]) out.push(t.hash);
    return out;
  }
}
