/**
 * One setting points the stacks at `kmskit serve`: KMSKIT_ENDPOINT (or "kmskit:endpoint") gives every
 * AwsProvider the kms and sts endpoints, test credentials and the skip flags a local endpoint needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../stacks/app.js';
import { ConfigError, LOCAL_ENDPOINT_CREDENTIALS, loadConfig } from '../../stacks/config.js';
import { Testing } from '../../stacks/provider.js';
import type { Synthesized } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function keyringProviders(env: Record<string, string>, context: Record<string, unknown> = {}): Array<Record<string, unknown>> {
  const outdir = mkdtempSync(join(tmpdir(), 'kmskit-endpoint-'));
  dirs.push(outdir);
  const built = buildApp({ outdir, context, env });
  return (JSON.parse(Testing.synth(built.keyring)) as Synthesized).provider!.aws!;
}

describe('KMSKIT_ENDPOINT', () => {
  it('gives both providers (primary and replica region) the kms and sts endpoints, test credentials and the skip flags', () => {
    const providers = keyringProviders({ KMSKIT_ENDPOINT: 'http://127.0.0.1:4599' });
    expect(providers.map((p) => p.region)).toEqual(['us-east-1', 'us-west-2']);
    for (const p of providers) {
      expect(p).toMatchObject({
        endpoints: [{ kms: 'http://127.0.0.1:4599', sts: 'http://127.0.0.1:4599' }],
        access_key: LOCAL_ENDPOINT_CREDENTIALS.accessKeyId,
        secret_key: LOCAL_ENDPOINT_CREDENTIALS.secretAccessKey,
        skip_metadata_api_check: 'true',
        skip_region_validation: true,
        allowed_account_ids: ['111122223333'],
      });
      // STS answers GetCallerIdentity, so the provider still validates the credentials and learns
      // the account id (allowed_account_ids and data.aws_caller_identity depend on it).
      expect(p.skip_credentials_validation).toBeUndefined();
      expect(p.skip_requesting_account_id).toBeUndefined();
    }
  });

  it('signs as an identity of the emulator when its access key is given', () => {
    const [p] = keyringProviders({ KMSKIT_ENDPOINT: 'http://localhost:4599/', KMSKIT_ENDPOINT_ACCESS_KEY_ID: 'AKIADEPLOYER00000001', KMSKIT_ENDPOINT_SECRET_ACCESS_KEY: 'deployer-secret' });
    expect(p).toMatchObject({ endpoints: [{ kms: 'http://localhost:4599', sts: 'http://localhost:4599' }], access_key: 'AKIADEPLOYER00000001', secret_key: 'deployer-secret' });
  });

  it('reads "kmskit:endpoint" from the cdktf.json context too', () => {
    const [p] = keyringProviders({}, { 'kmskit:endpoint': 'https://kms.local:8443' });
    expect(p!.endpoints).toEqual([{ kms: 'https://kms.local:8443', sts: 'https://kms.local:8443' }]);
  });

  it('leaves the providers for AWS when unset', () => {
    for (const p of keyringProviders({})) {
      expect(p.endpoints).toBeUndefined();
      expect(p.access_key).toBeUndefined();
      expect(p.skip_metadata_api_check).toBeUndefined();
    }
  });

  it.each([
    ['kms.local:4599', /endpoint \(from environment variable KMSKIT_ENDPOINT\) must be an http:\/\/ or https:\/\/ URL/],
    ['ftp://127.0.0.1:4599', /must be an http:\/\/ or https:\/\/ URL of the emulator like http:\/\/127\.0\.0\.1:4599, got "ftp:/],
    ['http://127.0.0.1:4599/kms', /got "http:\/\/127\.0\.0\.1:4599\/kms"/],
  ])('refuses a malformed endpoint %s, naming the setting', (value, message) => {
    expect(() => loadConfig({ env: { KMSKIT_ENDPOINT: value } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { KMSKIT_ENDPOINT: value } })).toThrow(message);
  });

  it('refuses half a credential pair, and credentials without an endpoint', () => {
    expect(() => loadConfig({ env: { KMSKIT_ENDPOINT: 'http://127.0.0.1:4599', KMSKIT_ENDPOINT_ACCESS_KEY_ID: 'AKIADEPLOYER00000001' } })).toThrow(/go together/);
    expect(() => loadConfig({ env: { KMSKIT_ENDPOINT_ACCESS_KEY_ID: 'AKIADEPLOYER00000001', KMSKIT_ENDPOINT_SECRET_ACCESS_KEY: 's' } })).toThrow(/only for a local endpoint/);
  });
});
