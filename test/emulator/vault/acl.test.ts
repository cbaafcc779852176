/**
 * Vault ACL policies and tokens as Vault evaluates them: HCL and JSON policies, which rule decides
 * (exact, longest glob, `+` segments), deny, parameter constraints, and the token store's rules
 * for child tokens, TTLs, use counts and revocation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Acl, parsePolicy } from '../../../emulator/protocols/vault/acl.js';
import type { Emulator } from '../../../emulator/emulator.js';
import { b64, tokenWith, withTransit, type VaultCall } from './helpers.js';

const acl = (...texts: string[]) => new Acl(texts.map((t, i) => parsePolicy(`p${i}`, t)));

describe('policy documents', () => {
  it('reads HCL with comments and heredoc-free blocks, and the same policy as JSON', () => {
    const hcl = `
      # the app
      path "transit/encrypt/app" { capabilities = ["update"] }   // inline
      /* block
         comment */
      path "transit/decrypt/app" {
        capabilities = ["update", "read"]
      }`;
    const json = JSON.stringify({ path: { 'transit/encrypt/app': { capabilities: ['update'] }, 'transit/decrypt/app': { capabilities: ['update', 'read'] } } });
    for (const a of [acl(hcl), acl(json)]) {
      expect(a.allows('update', 'transit/encrypt/app', {})).toBe(true);
      expect(a.allows('read', 'transit/encrypt/app', {})).toBe(false);
      expect(a.allows('read', 'transit/decrypt/app', {})).toBe(true);
      expect(a.allows('update', 'transit/encrypt/other', {})).toBe(false);
    }
  });

  it('maps the old `policy = "write"` form to capabilities', () => {
    const a = acl('path "secret/*" { policy = "write" }');
    expect(a.capabilities('secret/x')).toEqual(['read', 'list', 'update', 'delete', 'create']);
  });

  it('rejects unknown keys and capabilities with the line', () => {
    expect(() => parsePolicy('x', 'path "a" {\n capabilities = ["fly"] }')).toThrow(/invalid capability "fly"/);
    expect(() => parsePolicy('x', 'path "a" {\n  colour = "red"\n}')).toThrow(/invalid key "colour" on line 2/);
    expect(() => parsePolicy('x', 'paths "a" {}')).toThrow(/invalid key "paths" on line 1/);
    expect(() => parsePolicy('x', 'path "a" { capabilities = ["read" }')).toThrow(/failed to parse policy/);
  });
});

describe('which rule decides', () => {
  it('prefers an exact path over a glob, and the longest glob over a shorter one', () => {
    const a = acl('path "transit/*" { capabilities = ["update"] }', 'path "transit/encrypt/*" { capabilities = ["read"] }', 'path "transit/encrypt/exact" { capabilities = ["list"] }');
    expect(a.allows('update', 'transit/decrypt/k', {})).toBe(true);
    expect(a.allows('update', 'transit/encrypt/k', {})).toBe(false);
    expect(a.allows('read', 'transit/encrypt/k', {})).toBe(true);
    expect(a.allows('read', 'transit/encrypt/exact', {})).toBe(false);
  });

  it('matches + as one segment, and the more specific wildcard wins', () => {
    const a = acl('path "transit/+/app" { capabilities = ["update"] }', 'path "transit/decrypt/+" { capabilities = ["read"] }');
    expect(a.allows('update', 'transit/encrypt/app', {})).toBe(true);
    expect(a.allows('update', 'transit/encrypt/other', {})).toBe(false);
    expect(a.allows('update', 'transit/encrypt/app/extra', {})).toBe(false);
    // Later first wildcard is more specific: transit/decrypt/+ decides transit/decrypt/app.
    expect(a.allows('update', 'transit/decrypt/app', {})).toBe(false);
    expect(a.allows('read', 'transit/decrypt/app', {})).toBe(true);
  });

  it('unions capabilities of the same path across policies, unless one says deny', () => {
    expect(acl('path "a" { capabilities = ["read"] }', 'path "a" { capabilities = ["update"] }').capabilities('a')).toEqual(['read', 'update']);
    const denied = acl('path "a" { capabilities = ["read"] }', 'path "a" { capabilities = ["deny"] }');
    expect(denied.allows('read', 'a', {})).toBe(false);
    expect(denied.capabilities('a')).toEqual(['deny']);
  });

  it('lets a list on a prefix match with or without the trailing slash', () => {
    expect(acl('path "transit/keys" { capabilities = ["list"] }').allows('list', 'transit/keys/', {})).toBe(true);
    expect(acl('path "transit/keys/*" { capabilities = ["list"] }').allows('list', 'transit/keys/', {})).toBe(true);
  });

  it('applies allowed, denied and required parameters', () => {
    const a = acl(`path "transit/keys/*" {
      capabilities = ["update"]
      allowed_parameters = { "type" = ["aes256-gcm96", "chacha*"], "exportable" = [] }
    }
    path "transit/encrypt/*" {
      capabilities = ["update"]
      denied_parameters = { "key_version" = [] }
      required_parameters = ["plaintext"]
    }`);
    expect(a.allows('update', 'transit/keys/k', { type: 'aes256-gcm96', exportable: true })).toBe(true);
    expect(a.allows('update', 'transit/keys/k', { type: 'chacha20-poly1305' })).toBe(true);
    expect(a.allows('update', 'transit/keys/k', { type: 'rsa-2048' })).toBe(false);
    expect(a.allows('update', 'transit/keys/k', { derived: true })).toBe(false);
    expect(a.allows('update', 'transit/encrypt/k', { plaintext: 'x' })).toBe(true);
    expect(a.allows('update', 'transit/encrypt/k', { plaintext: 'x', key_version: 1 })).toBe(false);
    expect(a.allows('update', 'transit/encrypt/k', { ciphertext: 'x' })).toBe(false);
  });

  it('allows everything to root and nothing without a matching rule', () => {
    expect(new Acl([], true).allows('delete', 'sys/mounts/transit', {})).toBe(true);
    expect(acl('path "x" { capabilities = ["read"] }').allows('read', 'y', {})).toBe(false);
  });
});

describe('tokens and policies over the API', () => {
  let kms: Emulator;
  let v: VaultCall;
  beforeEach(async () => {
    ({ kms, v } = await withTransit());
  });
  afterEach(() => kms.close());

  it('creates tokens with the default policy added, and child tokens only within the parent’s policies', async () => {
    const token = await tokenWith(v, { app: 'path "auth/token/create" { capabilities = ["update"] }' });
    const self = await v('GET', 'auth/token/lookup-self', undefined, token);
    expect(self.json.data).toMatchObject({ policies: ['app', 'default'], display_name: 'token', orphan: false, renewable: true, creation_ttl: 768 * 3600, id: token, type: 'service' });
    expect(self.json.data.ttl).toBeGreaterThan(768 * 3600 - 60);
    const wider = await v('POST', 'auth/token/create', { policies: ['admin'] }, token);
    expect(wider.json).toEqual({ errors: ['child policies must be subset of parent'] });
    const child = await v('POST', 'auth/token/create', { policies: ['app'], ttl: '1h' }, token);
    expect(child.json.auth).toMatchObject({ policies: ['app', 'default'], lease_duration: 3600, renewable: true, orphan: false, token_type: 'service' });
    expect((await v('POST', 'auth/token/create', { policies: ['nope'] })).json.warnings).toEqual(['Policy "nope" does not exist']);
  });

  it('lets a token look itself up (default policy) but not read others without a policy', async () => {
    const token = await tokenWith(v, { none: 'path "nothing" { capabilities = ["read"] }' });
    expect((await v('GET', 'auth/token/lookup-self', undefined, token)).status).toBe(200);
    expect((await v('GET', 'sys/mounts', undefined, token)).status).toBe(403);
    const caps = await v('POST', 'sys/capabilities-self', { paths: ['nothing', 'transit/keys/x'] }, token);
    expect(caps.json.data).toEqual({ nothing: ['read'], 'transit/keys/x': ['deny'] });
  });

  it('expires tokens on the emulator clock', async () => {
    const t = (await v('POST', 'auth/token/create', { policies: ['default'], ttl: '2h' })).json.auth.client_token;
    expect((await v('GET', 'auth/token/lookup-self', undefined, t)).json.data.ttl).toBeGreaterThanOrEqual(7199);
    kms.clock.advance({ seconds: 7201 });
    expect((await v('GET', 'auth/token/lookup-self', undefined, t)).json).toEqual({ errors: ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'] });
  });

  it('revokes a token and the tokens it created; use counts run out', async () => {
    const parent = await tokenWith(v, { maker: 'path "auth/token/create" { capabilities = ["update"] }' });
    const child = (await v('POST', 'auth/token/create', {}, parent)).json.auth.client_token;
    expect((await v('POST', 'auth/token/revoke', { token: parent })).status).toBe(204);
    expect((await v('GET', 'auth/token/lookup-self', undefined, child)).status).toBe(403);
    const once = (await v('POST', 'auth/token/create', { num_uses: 2 })).json.auth.client_token;
    expect((await v('GET', 'auth/token/lookup-self', undefined, once)).json.data.num_uses).toBe(1);
    expect((await v('GET', 'auth/token/lookup-self', undefined, once)).status).toBe(200);
    expect((await v('GET', 'auth/token/lookup-self', undefined, once)).status).toBe(403);
  });

  it('keeps root and default: root cannot be changed, default cannot be deleted', async () => {
    expect((await v('PUT', 'sys/policy/root', { policy: 'path "x" { capabilities = ["read"] }' })).json).toEqual({ errors: ['cannot update "root" policy'] });
    expect((await v('DELETE', 'sys/policy/default')).json).toEqual({ errors: ['cannot delete default policy'] });
    expect((await v('GET', 'sys/policy')).json.data.policies).toEqual(['default', 'root']);
    const legacy = await v('PUT', 'sys/policy/legacy', { name: 'legacy', rules: 'path "x" { capabilities = ["read"] }' });
    expect(legacy.status).toBe(200);
    expect(legacy.json.warnings).toEqual(["'rules' is deprecated, please use 'policy' instead", "Endpoint replaced the value of these parameters with the values captured from the endpoint's path: [name]"]);
    expect((await v('GET', 'sys/policy/legacy')).json.data.rules).toContain('path "x"');
    expect((await v('GET', 'sys/policies/acl/legacy')).json.data.policy).toContain('path "x"');
    expect((await v('PUT', 'sys/policies/acl/b64', { policy: b64('path "y" { capabilities = ["list"] }') })).status).toBe(204);
    expect((await v('GET', 'sys/policies/acl/b64')).json.data.policy).toBe('path "y" { capabilities = ["list"] }');
  });
});
