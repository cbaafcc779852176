/**
 * The state file: a snapshot plus an append-only journal.
 *
 * - `<state>` is a JSON snapshot, replaced atomically (write a temp file, fsync it, rename it over
 *   the old one, fsync the directory).
 * - `<state>.journal` holds one JSON line per committed call (the records it changed), appended and
 *   fsynced before the call returns. Rewriting a snapshot of 100,000 keys per mutation would cost
 *   seconds; a journal line costs one small write. The journal is folded into the snapshot when it
 *   grows past the number of keys (so compaction stays amortised O(1) per change), on flush() and
 *   on close().
 *
 * Key material is never written in plaintext: each backing key is sealed with AES-256-GCM under the
 * domain key (AWS's hierarchy: a domain key protects KMS key material, which protects data keys).
 * The domain key comes from the `domainKey` option, `KMSKIT_DOMAIN_KEY` (hex or base64, 32 bytes),
 * or `<state>.key` beside the state file (created with mode 0600).
 *
 * Other parts of the emulator that keep state (the Vault face) register a `StateSection`: its
 * records ride in the same snapshot (a top-level member named after the section) and journal (lines
 * tagged with the section), sealed under the same domain key.
 *
 * A file that cannot be read back raises StateFileError naming the file and the fault; the emulator
 * never starts over silently on a bad file.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { seal, unseal, isSupportedKeySpec } from '../crypto/index.js';
import { StateFileError } from '../core/errors.js';
import { parseKeyPolicy } from '../core/context.js';
import type { AliasRecord, BackingKey, Change, GrantRecord, KeyRecord, Store } from '../core/store.js';

const FORMAT = 'kmskit-state';
const VERSION = 1;
const CHECK_LABEL = 'kmskit-domain-key-check';

export function parseDomainKey(text: string, source: string): Buffer {
  const t = text.trim();
  let b: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) b = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=$/.test(t)) b = Buffer.from(t, 'base64');
  if (!b || b.length !== 32) throw new StateFileError(source, 'the domain key must be 32 bytes, written as 64 hex digits or 44 base64 characters');
  return b;
}

/** Resolve the domain key for a state file (see module doc for the order). */
export function resolveDomainKey(stateFile: string, option?: Buffer | string): Buffer {
  if (option !== undefined) return typeof option === 'string' ? parseDomainKey(option, 'domainKey option') : checkLength(option);
  const env = process.env.KMSKIT_DOMAIN_KEY;
  if (env) return parseDomainKey(env, 'KMSKIT_DOMAIN_KEY');
  const keyFile = `${stateFile}.key`;
  if (existsSync(keyFile)) return parseDomainKey(readFileSync(keyFile, 'utf8'), keyFile);
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(32);
  // Durable before any state is sealed under it: losing this file would lose every key.
  const fd = openSync(keyFile, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDir(dirname(keyFile));
  return key;
}

function checkLength(b: Buffer): Buffer {
  if (b.length !== 32) throw new StateFileError('domainKey option', `the domain key must be 32 bytes, got ${b.length}`);
  return b;
}

/** Seals key material under the domain key; `label` binds the sealed text to one place in the state. */
export type Seal = (label: string, material: Buffer) => string;
/** Opens what `Seal` produced; throws on a wrong domain key or altered text. */
export type Unseal = (label: string, sealed: string) => Buffer;

/**
 * State kept outside the KMS store, persisted alongside it. Methods throw an Error whose message
 * says what is wrong with the section's JSON; persistence adds the file and place.
 */
export interface StateSection<C = unknown> {
  /** The snapshot member and journal tag; never `keys`, `aliases` or another top-level field. */
  readonly name: string;
  /** The whole section as JSON, key material sealed. */
  snapshot(seal: Seal): unknown;
  /** Load a snapshot's member (`undefined` when the file predates the section). */
  restore(json: unknown, unseal: Unseal): void;
  /** One change as a journal record. */
  encodeChange(change: C, seal: Seal): unknown;
  /** Apply one journal record. */
  replay(json: unknown, unseal: Unseal): void;
}

/** One key material on disk: the material sealed; an imported one's import details beside it. */
interface VersionJson {
  version: number;
  createdAt: number;
  materialId: string;
  sealed: string;
  imported?: BackingKey['imported'];
}

interface KeyJson extends Omit<KeyRecord, 'versions' | 'grants' | 'parsedPolicy' | 'pendingMaterial' | 'origin'> {
  versions: VersionJson[];
  /** Imported material pending rotation. */
  pending?: VersionJson;
  /** Absent in files written before imported key material existed: AWS_KMS. */
  origin?: KeyRecord['origin'];
  grants: GrantRecord[];
}

const KEY_STATES: ReadonlySet<string> = new Set(['Creating', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'PendingImport']);

export class Persistence {
  private readonly journalFile: string;
  private journalFd: number | undefined;
  private journalEntries = 0;
  private locked = false;
  /** The latest emulator time found in the file (the clock resumes from it: time never runs back). */
  lastTime = 0;
  /** Sealed form of each backing key, computed once: material never changes after creation. */
  private readonly sealedCache = new WeakMap<BackingKey, string>();

  private readonly seal: Seal;
  private readonly unseal: Unseal;

  constructor(
    readonly file: string,
    private readonly domainKey: Buffer,
    private readonly sections: readonly StateSection[] = [],
  ) {
    this.journalFile = `${file}.journal`;
    this.seal = (label, material) => seal(this.domainKey, label, material);
    this.unseal = (label, sealed) => unseal(this.domainKey, label, sealed);
  }

  private section(name: unknown, file: string, where: string): StateSection {
    const s = this.sections.find((x) => x.name === name);
    if (!s) throw new StateFileError(file, `${where}: unknown state section ${JSON.stringify(name)} (written by a newer kmskit?)`);
    return s;
  }

  private sectionCall(file: string, where: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof StateFileError) throw e;
      throw new StateFileError(file, `${where}: ${(e as Error).message}`);
    }
  }

  private sealVersion(keyId: string, v: BackingKey): string {
    let s = this.sealedCache.get(v);
    if (!s) {
      s = seal(this.domainKey, `${keyId}/v${v.version}`, v.material);
      this.sealedCache.set(v, s);
    }
    return s;
  }

  private versionToJson(keyId: string, v: BackingKey): VersionJson {
    return { version: v.version, createdAt: v.createdAt, materialId: v.materialId, sealed: this.sealVersion(keyId, v), ...(v.imported ? { imported: v.imported } : {}) };
  }

  keyToJson(k: KeyRecord): KeyJson {
    const { versions, grants, parsedPolicy: _derived, pendingMaterial, ...rest } = k;
    return {
      ...rest,
      versions: versions.map((v) => this.versionToJson(k.id, v)),
      ...(pendingMaterial ? { pending: this.versionToJson(k.id, pendingMaterial) } : {}),
      grants: [...grants.values()],
    };
  }

  private keyFromJson(j: KeyJson, where: string, file: string): KeyRecord {
    const fail = (what: string): never => {
      throw new StateFileError(file, `${where}: ${what}`);
    };
    if (!j || typeof j !== 'object') fail('not an object');
    for (const f of ['id', 'arn', 'account', 'region', 'spec', 'usage', 'policy', 'state'] as const) if (typeof j[f] !== 'string') fail(`missing or invalid "${f}"`);
    if (!isSupportedKeySpec(j.spec)) fail(`unknown key spec ${j.spec}`);
    if (!KEY_STATES.has(j.state)) fail(`unknown key state ${j.state}`);
    const origin = j.origin ?? 'AWS_KMS';
    if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') fail(`unknown origin ${String(origin)}`);
    // Only an EXTERNAL key may have no material (before its first import).
    if (!Array.isArray(j.versions) || (j.versions.length === 0 && origin !== 'EXTERNAL')) fail('no key material versions');
    if (!Array.isArray(j.grants)) fail('"grants" is not a list');
    const version = (v: VersionJson, what: string): BackingKey => {
      let material: Buffer;
      try {
        material = unseal(this.domainKey, `${j.id}/v${v.version}`, v.sealed);
      } catch {
        return fail(`${what} cannot be decrypted with the domain key (wrong domain key, or the file was altered)`);
      }
      const bk: BackingKey = { version: v.version, createdAt: v.createdAt, materialId: v.materialId, material, ...(v.imported ? { imported: v.imported } : {}) };
      this.sealedCache.set(bk, v.sealed);
      return bk;
    };
    const versions: BackingKey[] = j.versions.map((v, i) => version(v, `key material version ${i + 1}`));
    const pendingMaterial = j.pending ? version(j.pending, 'the key material pending rotation') : undefined;
    let parsedPolicy;
    try {
      parsedPolicy = parseKeyPolicy(j.policy);
    } catch (e) {
      return fail(`key policy is not valid: ${(e as Error).message}`);
    }
    const { versions: _v, pending: _p, grants, ...rest } = j;
    return {
      ...rest,
      origin,
      rotations: j.rotations ?? [],
      tags: j.tags ?? [],
      versions,
      ...(pendingMaterial ? { pendingMaterial } : {}),
      parsedPolicy,
      grants: new Map(grants.map((g) => [g.grantId, g])),
    };
  }

  /**
   * Two processes appending to one journal would interleave and corrupt it, so a state file has one
   * owner at a time: `<state>.lock` holds the owner's pid. A lock whose process is gone (kill -9) is
   * stale and taken over; one held by this same process (an emulator re-created without close())
   * is too.
   */
  private acquireLock(): void {
    const lockFile = `${this.file}.lock`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(lockFile, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.locked = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateFileError(this.file, `cannot create the lock file ${lockFile}: ${(e as Error).message}`);
      }
      let holder = NaN;
      try {
        holder = Number(readFileSync(lockFile, 'utf8').trim());
      } catch {
        continue; // released between our open and read: try again
      }
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processIsAlive(holder)) {
        throw new StateFileError(this.file, `is in use by another kmskit process (pid ${holder}); stop it first, or delete ${lockFile} if that process is not kmskit`);
      }
      try {
        unlinkSync(lockFile);
      } catch {
        // another process took it over first; the next attempt sees its lock
      }
    }
    throw new StateFileError(this.file, `could not take the lock file ${lockFile}`);
  }

  private releaseLock(): void {
    if (!this.locked) return;
    this.locked = false;
    try {
      unlinkSync(`${this.file}.lock`);
    } catch {
      // already gone: nothing to release
    }
  }

  /** Load snapshot + journal into the store. Multi-Region keys share backing keys again after loading. */
  load(store: Store): void {
    this.acquireLock();
    try {
      this.loadUnlocked(store);
    } catch (e) {
      this.releaseLock();
      throw e;
    }
  }

  private loadUnlocked(store: Store): void {
    if (existsSync(this.file)) {
      let text: string;
      try {
        text = readFileSync(this.file, 'utf8');
      } catch (e) {
        throw new StateFileError(this.file, `cannot be read: ${(e as Error).message}`);
      }
      let doc: any;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new StateFileError(this.file, `is not valid JSON (${(e as Error).message}); it may be truncated or edited by hand`);
      }
      if (!doc || typeof doc !== 'object' || doc.format !== FORMAT) throw new StateFileError(this.file, `is not a kmskit state file (expected "format": "${FORMAT}")`);
      if (doc.version !== VERSION) throw new StateFileError(this.file, `has format version ${doc.version}; this kmskit reads version ${VERSION}`);
      try {
        unseal(this.domainKey, CHECK_LABEL, String(doc.domainKeyCheck));
      } catch {
        throw new StateFileError(this.file, 'was written under a different domain key (check KMSKIT_DOMAIN_KEY or the .key file beside it)');
      }
      if (!Array.isArray(doc.keys) || !Array.isArray(doc.aliases)) throw new StateFileError(this.file, '"keys" and "aliases" must be lists');
      if (typeof doc.clock === 'number') this.lastTime = Math.max(this.lastTime, doc.clock);
      doc.keys.forEach((k: KeyJson, i: number) => store.insertKey(this.keyFromJson(k, `keys[${i}]`, this.file)));
      doc.aliases.forEach((a: AliasRecord, i: number) => store.insertAlias(this.aliasFromJson(a, `aliases[${i}]`, this.file)));
      for (const section of this.sections) this.sectionCall(this.file, section.name, () => section.restore(doc[section.name], this.unseal));
    }
    if (existsSync(this.journalFile)) this.replayJournal(store);
    relinkSharedMaterial(store);
  }

  private aliasFromJson(a: AliasRecord, where: string, file: string): AliasRecord {
    if (!a || typeof a !== 'object' || typeof a.name !== 'string' || typeof a.arn !== 'string' || typeof a.targetKeyId !== 'string' || typeof a.account !== 'string' || typeof a.region !== 'string') {
      throw new StateFileError(file, `${where}: not a valid alias record`);
    }
    return a;
  }

  private replayJournal(store: Store): void {
    const text = readFileSync(this.journalFile, 'utf8');
    const lines = text.split('\n');
    // A last line without its newline is a write that never completed, so it was never acknowledged.
    const complete = lines.slice(0, -1);
    if (!text.endsWith('\n') && text.length > 0) {
      const fd = openSync(this.journalFile, 'r+');
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8'));
      fsyncSync(fd);
      closeSync(fd);
    }
    complete.forEach((line, i) => {
      if (!line.trim()) return;
      let entry: { at?: number; section?: string; changes: Array<{ kind: string; key?: KeyJson; alias?: AliasRecord; arn?: string }> };
      try {
        entry = JSON.parse(line);
      } catch {
        throw new StateFileError(this.journalFile, `line ${i + 1} is not valid JSON`);
      }
      if (!entry || !Array.isArray(entry.changes)) throw new StateFileError(this.journalFile, `line ${i + 1} has no "changes" list`);
      if (typeof entry.at === 'number') this.lastTime = Math.max(this.lastTime, entry.at);
      if (entry.section !== undefined) {
        const section = this.section(entry.section, this.journalFile, `line ${i + 1}`);
        for (const c of entry.changes) this.sectionCall(this.journalFile, `line ${i + 1} (${section.name})`, () => section.replay(c, this.unseal));
        this.journalEntries++;
        return;
      }
      for (const c of entry.changes) {
        const where = `line ${i + 1}`;
        if (c.kind === 'key') {
          const k = this.keyFromJson(c.key as KeyJson, where, this.journalFile);
          const old = store.byArn.get(k.arn);
          if (old) store.removeKey(old);
          store.insertKey(k);
        } else if (c.kind === 'delete-key') {
          const old = store.byArn.get(String(c.arn));
          if (old) store.removeKey(old);
        } else if (c.kind === 'alias') {
          store.insertAlias(this.aliasFromJson(c.alias as AliasRecord, where, this.journalFile));
        } else if (c.kind === 'delete-alias') {
          const m = /^arn:[^:]+:kms:([^:]+):(\d{12}):(alias\/.+)$/.exec(String(c.arn));
          if (m) store.findPartition(m[2]!, m[1]!)?.aliases.delete(m[3]!);
        } else {
          throw new StateFileError(this.journalFile, `${where}: unknown change kind ${String(c.kind)}`);
        }
      }
      this.journalEntries++;
    });
  }

  /** Append one committed call's changes and fsync; compact when the journal has grown. */
  append(store: Store, changes: Change[], now: number): void {
    if (changes.length === 0) return;
    this.writeLine(
      store,
      `${JSON.stringify({
        at: now,
        changes: changes.map((c) => (c.kind === 'key' ? { kind: 'key', key: this.keyToJson(c.key) } : c)),
      })}\n`,
      now,
    );
  }

  /** Append one committed call's changes to a registered section, as `append` does for the store. */
  appendSection(store: Store, name: string, changes: readonly unknown[], now: number): void {
    if (changes.length === 0) return;
    const section = this.section(name, this.journalFile, 'append');
    this.writeLine(store, `${JSON.stringify({ at: now, section: name, changes: changes.map((c) => section.encodeChange(c, this.seal)) })}\n`, now);
  }

  private writeLine(store: Store, line: string, now: number): void {
    if (this.journalFd === undefined) {
      mkdirSync(dirname(this.journalFile), { recursive: true });
      const created = !existsSync(this.journalFile);
      this.journalFd = openSync(this.journalFile, 'a', 0o600);
      // A new file's directory entry must be durable too, or the fsynced lines could vanish with it.
      if (created) fsyncDir(dirname(this.journalFile));
    }
    writeSync(this.journalFd, line);
    fsyncSync(this.journalFd);
    this.journalEntries++;
    if (this.journalEntries > Math.max(1000, store.size)) this.compact(store, now);
  }

  /** Write a full snapshot atomically and empty the journal. */
  compact(store: Store, now: number): void {
    const doc = {
      format: FORMAT,
      version: VERSION,
      clock: now,
      note: 'kmskit emulator state. Key material is sealed under the domain key; do not edit by hand.',
      domainKeyCheck: seal(this.domainKey, CHECK_LABEL, Buffer.from('kmskit')),
      keys: [...store.allKeys()].map((k) => this.keyToJson(k)),
      aliases: [...store.allAliases()],
      ...Object.fromEntries(this.sections.map((section) => [section.name, section.snapshot(this.seal)])),
    };
    const dir = dirname(this.file);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.${basename(this.file)}.${process.pid}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(doc));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    fsyncDir(dir);
    if (this.journalFd === undefined && existsSync(this.journalFile)) this.journalFd = openSync(this.journalFile, 'a', 0o600);
    if (this.journalFd !== undefined) {
      ftruncateSync(this.journalFd, 0);
      fsyncSync(this.journalFd);
    }
    this.journalEntries = 0;
  }

  close(store: Store, now: number): void {
    try {
      this.compact(store, now);
    } finally {
      if (this.journalFd !== undefined) closeSync(this.journalFd);
      this.journalFd = undefined;
      this.releaseLock();
    }
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * After loading, related multi-Region keys get one shared versions list again (rotations
 * propagate). Keys with imported material keep their own: each region imports its copy.
 */
function relinkSharedMaterial(store: Store): void {
  for (const keys of store.byId.values()) {
    if (keys.length < 2 || keys[0]!.origin === 'EXTERNAL') continue;
    const primary = keys.find((k) => k.multiRegionType === 'PRIMARY') ?? keys[0]!;
    for (const k of keys) if (k !== primary) k.versions = primary.versions;
  }
}
