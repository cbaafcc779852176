/**
 * Crash safety: `kill -9` a `kmskit serve --state FILE` at random points during a stream of
 * CreateKey, CreateAlias and CreateGrant calls, 50 times. Whatever the emulator acknowledged before a
 * kill must be there after the restart, and the state file must always load. This is the promise of
 * "durable before the call returns" (temp file, fsync, rename).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kms, killHard, prng, startServe, type ServerProcess } from './harness.js';

const KILLS = 50;
const seed = Number(process.env.KMSKIT_RELIABILITY_SEED ?? Date.now() % 100_000);

describe('crash safety (kill -9 during writes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmskit-crash-'));
  const stateFile = join(dir, 'state.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged CreateKey, CreateAlias and CreateGrant across ${KILLS} kills (seed ${seed})`, async () => {
    const random = prng(seed);
    const ackedKeys: string[] = [];
    const ackedAliases: string[] = [];
    const ackedGrants: Array<{ keyId: string; grantId: string }> = [];
    const grantee = 'arn:aws:iam::111122223333:role/kmskit-crash-test';
    let server: ServerProcess = await startServe(['--state', stateFile]);
    try {
      for (let round = 0; round < KILLS; round++) {
        // Every acknowledged write so far must be visible after the restart.
        const keys = await kms(server.url, 'ListKeys', { Limit: 1000 });
        expect(keys.status, server.stderr()).toBe(200);
        const listed = new Set<string>();
        let marker: string | undefined;
        let page = keys;
        for (;;) {
          for (const k of page.body.Keys as Array<{ KeyId: string }>) listed.add(k.KeyId);
          marker = page.body.NextMarker as string | undefined;
          if (!page.body.Truncated || !marker) break;
          page = await kms(server.url, 'ListKeys', { Limit: 1000, Marker: marker });
        }
        for (const id of ackedKeys) expect(listed.has(id), `key ${id} lost after kill ${round}`).toBe(true);
        const aliases = await kms(server.url, 'ListAliases', { Limit: 100 });
        const aliasNames = new Set<string>();
        let apage = aliases;
        for (;;) {
          for (const a of apage.body.Aliases as Array<{ AliasName: string }>) aliasNames.add(a.AliasName);
          if (!apage.body.Truncated) break;
          apage = await kms(server.url, 'ListAliases', { Limit: 100, Marker: apage.body.NextMarker });
        }
        for (const name of ackedAliases) expect(aliasNames.has(name), `alias ${name} lost after kill ${round}`).toBe(true);
        const lastGrant = ackedGrants.at(-1);
        if (lastGrant) {
          const grants = await kms(server.url, 'ListGrants', { KeyId: lastGrant.keyId, Limit: 100 });
          const ids = (grants.body.Grants as Array<{ GrantId: string }>).map((g) => g.GrantId);
          expect(ids, `grant ${lastGrant.grantId} lost after kill ${round}`).toContain(lastGrant.grantId);
        }

        // A stream of writes, killed after a random delay while calls are in flight.
        const killAfterMs = 5 + Math.floor(random() * 60);
        let stop = false;
        const stream = (async () => {
          let i = 0;
          while (!stop) {
            try {
              const created = await kms(server.url, 'CreateKey', { Description: `crash ${round}.${i}` });
              if (created.status !== 200) break;
              const keyId = (created.body.KeyMetadata as { KeyId: string }).KeyId;
              ackedKeys.push(keyId);
              const alias = `alias/crash-${round}-${i}`;
              const a = await kms(server.url, 'CreateAlias', { AliasName: alias, TargetKeyId: keyId });
              if (a.status === 200) ackedAliases.push(alias);
              const g = await kms(server.url, 'CreateGrant', { KeyId: keyId, GranteePrincipal: grantee, Operations: ['Encrypt', 'Decrypt'] });
              if (g.status === 200) ackedGrants.push({ keyId, grantId: g.body.GrantId as string });
              i++;
            } catch {
              break; // the connection died with the process: that call was never acknowledged
            }
          }
        })();
        await new Promise((r) => setTimeout(r, killAfterMs));
        stop = true;
        await killHard(server);
        await stream;
        server = await startServe(['--state', stateFile]);
      }
      expect(ackedKeys.length).toBeGreaterThan(KILLS);
    } finally {
      await killHard(server);
    }
  }, 180_000);
});
