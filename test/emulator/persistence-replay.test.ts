/**
 * A random run of state-changing calls against a state file, then a restart: everything a caller can
 * observe (keys, metadata, policies, aliases, grants, tags, rotations) is the same after it, whether
 * the restart replays the journal or reads a compacted snapshot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/emulator.js';
import { APP, emulator, keyPolicy, rootStatement } from './helpers.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny deterministic PRNG so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function observe(kms: Emulator): Promise<unknown> {
  const out: Record<string, unknown> = {};
  // A call that fails (a key pending deletion refuses some) is observed as its error code.
  const call = (op: string, input: object, c: object) => kms.send(op, input, c).catch((e: { code: string }) => e.code);
  for (const region of ['us-east-1', 'eu-west-1']) {
    const c = { region };
    const keys = ((await kms.send('ListKeys', { Limit: 1000 }, c)) as { Keys: Array<{ KeyId: string }> }).Keys;
    for (const { KeyId } of keys) {
      const md = (await kms.send('DescribeKey', { KeyId }, c)) as { KeyMetadata: Record<string, unknown> };
      const policy = await call('GetKeyPolicy', { KeyId }, c);
      const grants = await call('ListGrants', { KeyId }, c);
      const tags = await call('ListResourceTags', { KeyId }, c);
      const rot = [await call('ListKeyRotations', { KeyId }, c), await call('GetKeyRotationStatus', { KeyId }, c)];
      out[`${region}/${KeyId}`] = { md, policy, grants, tags, rot };
    }
    out[`${region}/aliases`] = await kms.send('ListAliases', {}, c);
  }
  return out;
}

describe('state file replay', () => {
  it.each([1, 2, 3])('random run %i survives a restart (journal, then snapshot)', async (seed) => {
    dir = mkdtempSync(join(tmpdir(), 'kmskit-replay-'));
    const opts = { stateFile: join(dir, 'state.json'), domainKey: 'ef'.repeat(32) };
    const kms = await emulator(opts);
    const rand = rng(seed);
    const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
    const keys: string[] = [];
    const grants: Array<{ KeyId: string; GrantId: string }> = [];
    const aliases: string[] = [];
    for (let i = 0; i < 120; i++) {
      const k = pick(keys);
      const step = Math.floor(rand() * 13);
      const tryIt = (op: string, input: object, caller?: object) => kms.send(op, input, caller).catch(() => undefined);
      if (step === 0 || !k) {
        const r = (await tryIt('CreateKey', rand() < 0.2 ? { MultiRegion: true, Description: `k${i}` } : { Description: `k${i}` })) as { KeyMetadata: { KeyId: string } } | undefined;
        if (r) keys.push(r.KeyMetadata.KeyId);
      } else if (step === 1) {
        const name = `alias/a${i}`;
        if (await tryIt('CreateAlias', { AliasName: name, TargetKeyId: k })) aliases.push(name);
      } else if (step === 2 && aliases.length) await tryIt('UpdateAlias', { AliasName: pick(aliases), TargetKeyId: k });
      else if (step === 3 && aliases.length) await tryIt('DeleteAlias', { AliasName: pick(aliases) });
      else if (step === 4) {
        const g = (await tryIt('CreateGrant', { KeyId: k, GranteePrincipal: APP, Operations: ['Decrypt'], ...(rand() < 0.5 ? { Constraints: { EncryptionContextSubset: { i: String(i) } } } : {}) })) as { GrantId: string } | undefined;
        if (g) grants.push({ KeyId: k, GrantId: g.GrantId });
      } else if (step === 5 && grants.length) await tryIt('RevokeGrant', pick(grants)!);
      else if (step === 6) await tryIt('TagResource', { KeyId: k, Tags: [{ TagKey: `t${i % 3}`, TagValue: String(i) }] });
      else if (step === 7) await tryIt('RotateKeyOnDemand', { KeyId: k });
      else if (step === 8) await tryIt('EnableKeyRotation', { KeyId: k, RotationPeriodInDays: 90 });
      else if (step === 9) await tryIt(rand() < 0.5 ? 'DisableKey' : 'EnableKey', { KeyId: k });
      else if (step === 10) await tryIt('ScheduleKeyDeletion', { KeyId: k, PendingWindowInDays: 7 });
      else if (step === 11) await tryIt('PutKeyPolicy', { KeyId: k, Policy: keyPolicy(rootStatement(), { Sid: `s${i}`, Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:Decrypt', Resource: '*' }) });
      else if (step === 12) await tryIt('ReplicateKey', { KeyId: k, ReplicaRegion: 'eu-west-1' });
      if (rand() < 0.05) kms.clock.advance({ days: 30 });
    }
    const before = await observe(kms);
    const journalRestart = await emulator(opts);
    expect(await observe(journalRestart)).toEqual(before);
    const closedAt = kms.clock.nowMs();
    await kms.close();
    const snapshotRestart = await emulator(opts);
    expect(await observe(snapshotRestart)).toEqual(before);
    expect(Object.keys(before as object).length).toBeGreaterThan(3);
    // The restarted clock resumes from the state's time, never behind it.
    expect(snapshotRestart.clock.nowMs()).toBeGreaterThanOrEqual(closedAt);
  });
});
