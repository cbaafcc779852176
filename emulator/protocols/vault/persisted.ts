/**
 * The Vault face's part of the state file (a `StateSection` named `vault`): mounts with their
 * transit keys, policies and token records. Transit key material is sealed under the domain key
 * like KMS key material, one sealed string per version key and HMAC key, labelled with the mount,
 * key and version so a sealed value cannot be moved to another place in the file.
 */
import type { Seal, StateSection, Unseal } from '../../state/persistence.js';
import { isKeyType } from './transit/key-types.js';
import type { KeyVersion, TransitKey } from './transit/keys.js';
import type { Change, MountRecord, PolicyRecord, TokenRecord, VaultState } from './state.js';

interface VersionJson {
  version: number;
  createdAt: number;
  key: string;
  hmacKey: string;
}

type KeyJson = Omit<TransitKey, 'versions'> & { versions: VersionJson[] };

export class VaultStateSection implements StateSection<Change> {
  readonly name = 'vault';
  /** Sealed forms per version: material never changes, and a key is re-journaled on every config change. */
  private readonly sealed = new WeakMap<KeyVersion, VersionJson>();

  constructor(private readonly state: VaultState) {}

  snapshot(seal: Seal): unknown {
    return {
      mounts: [...this.state.mounts.values()].map((m) => ({
        ...m.record,
        disableUpsert: m.disableUpsert,
        keys: [...m.keys.values()].map((k) => this.keyToJson(m.record.path, k, seal)),
      })),
      policies: [...this.state.policies.values()],
      tokens: [...this.state.tokens.values()],
    };
  }

  restore(json: unknown, unseal: Unseal): void {
    this.state.clear();
    if (json === undefined) return;
    const doc = object(json, 'the vault section');
    for (const [i, m] of list(doc.mounts, 'mounts').entries()) {
      const { keys, disableUpsert, ...record } = object(m, `mounts[${i}]`);
      const path = mountRecord(record, `mounts[${i}]`).path;
      this.state.apply({ kind: 'mount', mount: record as unknown as MountRecord });
      if (disableUpsert === true) this.state.apply({ kind: 'transit-config', mount: path, disableUpsert: true });
      for (const [j, k] of list(keys, `mounts[${i}].keys`).entries()) {
        this.state.apply({ kind: 'transit-key', mount: path, key: this.keyFromJson(path, k, unseal, `mounts[${i}].keys[${j}]`) });
      }
    }
    for (const [i, p] of list(doc.policies, 'policies').entries()) this.state.apply({ kind: 'policy', policy: policyFromJson(p, `policies[${i}]`) });
    for (const [i, t] of list(doc.tokens, 'tokens').entries()) this.state.apply({ kind: 'token', token: tokenFromJson(t, `tokens[${i}]`) });
  }

  encodeChange(c: Change, seal: Seal): unknown {
    if (c.kind === 'transit-key') return { kind: c.kind, mount: c.mount, key: this.keyToJson(c.mount, c.key, seal) };
    return c;
  }

  replay(json: unknown, unseal: Unseal): void {
    const c = object(json, 'change');
    switch (c.kind) {
      case 'mount':
        this.state.apply({ kind: 'mount', mount: mountRecord(object(c.mount, 'mount'), 'mount') });
        return;
      case 'unmount':
      case 'delete-policy':
      case 'revoke-token':
      case 'delete-transit-key':
      case 'transit-config':
        this.state.apply(c as Change);
        return;
      case 'transit-key': {
        const mount = String(c.mount);
        this.state.apply({ kind: 'transit-key', mount, key: this.keyFromJson(mount, c.key, unseal, 'key') });
        return;
      }
      case 'policy':
        this.state.apply({ kind: 'policy', policy: policyFromJson(c.policy, 'policy') });
        return;
      case 'token':
        this.state.apply({ kind: 'token', token: tokenFromJson(c.token, 'token') });
        return;
      default:
        throw new Error(`unknown vault change kind ${JSON.stringify(c.kind)}`);
    }
  }

  private keyToJson(mount: string, k: TransitKey, seal: Seal): KeyJson {
    return {
      ...k,
      versions: k.versions.map((v) => {
        let j = this.sealed.get(v);
        if (!j) {
          const label = `vault/${mount}${k.name}/v${v.version}`;
          j = { version: v.version, createdAt: v.createdAt, key: seal(label, v.key), hmacKey: seal(`${label}/hmac`, v.hmacKey) };
          this.sealed.set(v, j);
        }
        return j;
      }),
    };
  }

  private keyFromJson(mount: string, json: unknown, unseal: Unseal, where: string): TransitKey {
    const k = object(json, where) as unknown as KeyJson;
    if (typeof k.name !== 'string' || !isKeyType(String(k.type))) throw new Error(`${where}: not a transit key (name ${JSON.stringify(k.name)}, type ${JSON.stringify(k.type)})`);
    const versions = list(k.versions, `${where}.versions`).map((raw, i) => {
      const v = object(raw, `${where}.versions[${i}]`) as unknown as VersionJson;
      const label = `vault/${mount}${k.name}/v${v.version}`;
      let key: Buffer;
      let hmacKey: Buffer;
      try {
        key = unseal(label, v.key);
        hmacKey = unseal(`${label}/hmac`, v.hmacKey);
      } catch {
        throw new Error(`${where}: version ${v.version} cannot be decrypted with the domain key (wrong domain key, or the file was altered)`);
      }
      const version: KeyVersion = { version: v.version, createdAt: v.createdAt, key, hmacKey };
      this.sealed.set(version, v);
      return version;
    });
    if (versions.length === 0) throw new Error(`${where}: no key versions`);
    return { ...k, versions } as TransitKey;
  }
}

function object(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${where} is not an object`);
  return v as Record<string, unknown>;
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${where} is not a list`);
  return v;
}

function mountRecord(r: Record<string, unknown>, where: string): MountRecord {
  if (typeof r.path !== 'string' || !r.path.endsWith('/') || r.type !== 'transit') throw new Error(`${where}: not a transit mount`);
  return r as unknown as MountRecord;
}

function policyFromJson(json: unknown, where: string): PolicyRecord {
  const p = object(json, where);
  if (typeof p.name !== 'string' || typeof p.text !== 'string') throw new Error(`${where}: not a policy`);
  return { name: p.name, text: p.text, version: Number(p.version ?? 1), modified: Number(p.modified ?? 0) };
}

function tokenFromJson(json: unknown, where: string): TokenRecord {
  const t = object(json, where);
  if (typeof t.hash !== 'string' || typeof t.accessor !== 'string' || !Array.isArray(t.policies)) throw new Error(`${where}: not a token record`);
  return t as unknown as TokenRecord;
}
