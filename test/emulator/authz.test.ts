/**
 * Authorization through the real KMSClient: key policies, identity policies, cross-account access,
 * condition keys, grants and the lockout check, each case asserting the outcome a caller sees.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand,
  ListGrantsCommand, PutKeyPolicyCommand, RetireGrantCommand, RevokeGrantCommand, type KMSClient,
} from '@aws-sdk/client-kms';
import type { Emulator } from '../../emulator/emulator.js';
import { KmsError } from '../../emulator/core/errors.js';
import { ACCOUNT, ADMIN, ALICE, APP, EXT, OTHER, allowAll, emulator, failure, keyPolicy, rootStatement } from './helpers.js';

const EXT_NOPOLICY = `arn:aws:iam::${OTHER}:role/NoPolicy`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/App/session-1`;
const PT = Buffer.from('payload');

let kms: Emulator;
let root: KMSClient;
const as = (principal: string, extra: { sourceIp?: string; viaService?: string } = {}) => kms.client({ principal, ...extra });

beforeEach(async () => {
  kms = await emulator({
    principals: [
      { arn: APP, accessKeyId: 'AKIAAPP', policies: [allowAll(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'])] },
      { arn: ADMIN, policies: [allowAll('kms:*')] },
      { arn: ALICE, policies: [] },
      { arn: EXT, policies: [allowAll(['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'])] },
      { arn: EXT_NOPOLICY, policies: [] },
    ],
  });
  root = kms.client();
});

async function key(policy?: string): Promise<{ id: string; arn: string }> {
  const md = (await root.send(new CreateKeyCommand({ ...(policy ? { Policy: policy, BypassPolicyLockoutSafetyCheck: true } : {}) }))).KeyMetadata!;
  return { id: md.KeyId!, arn: md.Arn! };
}
const encrypt = (c: KMSClient, keyId: string, EncryptionContext?: Record<string, string>, GrantTokens?: string[]) =>
  c.send(new EncryptCommand({ KeyId: keyId, Plaintext: PT, ...(EncryptionContext ? { EncryptionContext } : {}), ...(GrantTokens ? { GrantTokens } : {}) }));
const allow = (principal: unknown, action: string | string[], extra: object = {}) => ({ Effect: 'Allow', Principal: principal === '*' ? '*' : { AWS: principal }, Action: action, Resource: '*', ...extra });
const deny = (principal: unknown, action: string | string[], extra: object = {}) => ({ Effect: 'Deny', Principal: principal === '*' ? '*' : { AWS: principal }, Action: action, Resource: '*', ...extra });

describe('key policy naming the principal', () => {
  it('allows a principal the key policy names, without any identity policy', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(ALICE, 'kms:Encrypt')));
    expect((await encrypt(as(ALICE), k.id)).KeyId).toBe(k.arn);
  });

  it('denies actions the naming statement does not list, with AWS wording', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(ALICE, 'kms:Encrypt')));
    const e = await failure(as(ALICE).send(new DescribeKeyCommand({ KeyId: k.id })));
    expect(e.name).toBe('AccessDeniedException');
    expect(e.message).toBe(`User: ${ALICE} is not authorized to perform: kms:DescribeKey on resource: ${k.arn} because no identity-based policy allows the kms:DescribeKey action`);
  });

  it('says "no resource-based policy allows" when the key policy names nobody that matches', async () => {
    const k = await key(keyPolicy(allow(ADMIN, 'kms:*')));
    const e = await failure(encrypt(as(ALICE), k.id));
    expect(e.message).toBe(`User: ${ALICE} is not authorized to perform: kms:Encrypt on resource: ${k.arn} because no resource-based policy allows the kms:Encrypt action`);
  });

  it('a statement naming a role covers sessions of that role', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(APP, 'kms:Encrypt')));
    expect((await encrypt(as(SESSION), k.id)).KeyId).toBe(k.arn);
  });

  it('Principal "*" with kms:CallerAccount allows callers of that account only', async () => {
    const k = await key(keyPolicy(allow('*', 'kms:Encrypt', { Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } })));
    expect((await encrypt(as(ALICE), k.id)).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(EXT), k.arn))).name).toBe('AccessDeniedException');
  });

  it('the root user is not allowed when the key policy does not name the account', async () => {
    const k = await key(keyPolicy(allow(ADMIN, 'kms:*')));
    expect((await failure(encrypt(root, k.id))).message).toContain('because no resource-based policy allows the kms:Encrypt action');
  });
});

describe('account delegation (key policy names the account)', () => {
  it('denies a principal of the account without an identity policy', async () => {
    const k = await key();
    const e = await failure(encrypt(as(ALICE), k.id));
    expect(e.message).toBe(`User: ${ALICE} is not authorized to perform: kms:Encrypt on resource: ${k.arn} because no identity-based policy allows the kms:Encrypt action`);
  });

  it('allows when an identity policy allows the action', async () => {
    const k = await key();
    expect((await encrypt(as(APP), k.id)).KeyId).toBe(k.arn);
  });

  it('the caller found by access key id gets that principal’s identity policies', async () => {
    const k = await key();
    expect((await encrypt(kms.client({ accessKeyId: 'AKIAAPP' }), k.id)).KeyId).toBe(k.arn);
  });

  it('an assumed-role session carries its role’s identity policies', async () => {
    const k = await key();
    expect((await encrypt(as(SESSION), k.id)).KeyId).toBe(k.arn);
  });

  it('denies an action the identity policy does not list', async () => {
    const k = await key();
    expect((await failure(as(APP).send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: keyPolicy(rootStatement()) })))).name).toBe('AccessDeniedException');
  });

  it('an identity policy scoped to another key ARN does not allow this key', async () => {
    kms = await emulator({ principals: [{ arn: ALICE, policies: [allowAll('kms:Encrypt', `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`)] }] });
    root = kms.client();
    const k = await key();
    expect((await failure(encrypt(as(ALICE), k.id))).name).toBe('AccessDeniedException');
  });

  it('an identity policy scoped to this account’s key ARNs allows it', async () => {
    kms = await emulator({ principals: [{ arn: ALICE, policies: [allowAll('kms:Encrypt', `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`)] }] });
    root = kms.client();
    const k = await key();
    expect((await encrypt(as(ALICE), k.id)).KeyId).toBe(k.arn);
  });

  it('the account root user needs no identity policy', async () => {
    const k = await key();
    expect((await encrypt(root, k.id)).KeyId).toBe(k.arn);
  });
});

describe('explicit Deny', () => {
  it('a key-policy Deny overrides an allow, with the resource-based wording', async () => {
    const k = await key(keyPolicy(rootStatement(), { Sid: 'NoAppDecrypt', ...deny(APP, 'kms:Encrypt') }));
    const e = await failure(encrypt(as(APP), k.id));
    expect(e.message).toBe(`User: ${APP} is not authorized to perform: kms:Encrypt on resource: ${k.arn} with an explicit deny in a resource-based policy`);
  });

  it('an identity-policy Deny overrides a key policy naming the principal', async () => {
    kms = await emulator({ principals: [{ arn: ALICE, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }] }] }] });
    root = kms.client();
    const k = await key(keyPolicy(rootStatement(), allow(ALICE, 'kms:Encrypt')));
    expect((await failure(encrypt(as(ALICE), k.id))).message).toBe(`User: ${ALICE} is not authorized to perform: kms:Encrypt on resource: ${k.arn} with an explicit deny in an identity-based policy`);
  });

  it('a Deny with NotPrincipal spares only the listed principal', async () => {
    const k = await key(keyPolicy(rootStatement(), { Effect: 'Deny', NotPrincipal: { AWS: [APP, `arn:aws:iam::${ACCOUNT}:root`] }, Action: 'kms:Encrypt', Resource: '*' }, allow(ALICE, 'kms:Encrypt')));
    expect((await encrypt(as(APP), k.id)).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(ALICE), k.id))).message).toContain('explicit deny');
  });

  it('an explicit Deny overrides a grant', async () => {
    const k = await key(keyPolicy(rootStatement(), deny(ALICE, 'kms:Encrypt')));
    const g = await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt'] }));
    expect((await failure(encrypt(as(ALICE), k.id, undefined, [g.GrantToken!]))).message).toContain('explicit deny');
  });

  it('the denial carries an explain trace naming the deciding statement', async () => {
    const k = await key(keyPolicy(rootStatement(), { Sid: 'NoApp', ...deny(APP, 'kms:Encrypt') }));
    try {
      await kms.send('Encrypt', { KeyId: k.id, Plaintext: PT.toString('base64') }, { principal: APP });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KmsError);
      const ex = (e as KmsError).explain!;
      expect(ex.decision).toBe('explicit-deny');
      expect(ex.statements).toEqual([expect.objectContaining({ source: 'key-policy', sid: 'NoApp', pointer: '/Statement/1', effect: 'Deny' })]);
    }
  });

  it('a Deny conditioned on an encryption context value denies only that context', async () => {
    const k = await key(keyPolicy(rootStatement(), deny(APP, 'kms:Encrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:tier': 'secret' } } })));
    expect((await encrypt(as(APP), k.id, { tier: 'public' })).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(APP), k.id, { tier: 'secret' }))).name).toBe('AccessDeniedException');
  });
});

describe('cross-account', () => {
  it('allows an external principal when the key policy allows its account and its identity policy allows', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(`arn:aws:iam::${OTHER}:root`, ['kms:Encrypt', 'kms:Decrypt'])));
    const enc = await encrypt(as(EXT), k.arn);
    expect(enc.KeyId).toBe(k.arn);
    expect((await as(EXT).send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).KeyId).toBe(k.arn);
  });

  it('denies the external principal without an identity policy', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(`arn:aws:iam::${OTHER}:root`, 'kms:Encrypt')));
    expect((await failure(encrypt(as(EXT_NOPOLICY), k.arn))).message).toContain('because no identity-based policy allows the kms:Encrypt action');
  });

  it('a key policy naming the external principal exactly still needs its identity policy', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(EXT_NOPOLICY, 'kms:Encrypt')));
    expect((await failure(encrypt(as(EXT_NOPOLICY), k.arn))).name).toBe('AccessDeniedException');
  });

  it('denies when the key policy does not mention the external account', async () => {
    const k = await key();
    expect((await failure(encrypt(as(EXT), k.arn))).message).toContain('because no resource-based policy allows the kms:Encrypt action');
  });

  it('alias names and bare key ids resolve in the caller’s own account only; alias ARNs cross', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(`arn:aws:iam::${OTHER}:root`, 'kms:Encrypt')));
    await root.send(new CreateAliasCommand({ AliasName: 'alias/shared', TargetKeyId: k.id }));
    expect((await failure(encrypt(as(EXT), 'alias/shared'))).name).toBe('NotFoundException');
    expect((await failure(encrypt(as(EXT), k.id))).name).toBe('NotFoundException');
    expect((await encrypt(as(EXT), `arn:aws:kms:us-east-1:${ACCOUNT}:alias/shared`)).KeyId).toBe(k.arn);
  });

  it('a key ARN from another region does not resolve', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(`arn:aws:iam::${OTHER}:root`, 'kms:Encrypt')));
    expect((await failure(encrypt(kms.client({ principal: EXT, region: 'eu-west-1' }), k.arn))).name).toBe('NotFoundException');
  });
});

describe('condition keys', () => {
  const ecPolicy = (cond: object) => keyPolicy(rootStatement(), allow(ALICE, ['kms:Encrypt', 'kms:Decrypt'], { Condition: cond }));

  it('kms:EncryptionContext:<key> allows the matching value', async () => {
    const k = await key(ecPolicy({ StringEquals: { 'kms:EncryptionContext:dept': 'finance' } }));
    expect((await encrypt(as(ALICE), k.id, { dept: 'finance' })).KeyId).toBe(k.arn);
  });

  it('kms:EncryptionContext:<key> denies another value and a missing context', async () => {
    const k = await key(ecPolicy({ StringEquals: { 'kms:EncryptionContext:dept': 'finance' } }));
    expect((await failure(encrypt(as(ALICE), k.id, { dept: 'hr' }))).name).toBe('AccessDeniedException');
    expect((await failure(encrypt(as(ALICE), k.id))).name).toBe('AccessDeniedException');
  });

  // KMS Developer Guide, kms:EncryptionContext:context-key: the key name is not case-sensitive, the value is.
  it('encryption-context key names match case-insensitively in key-policy conditions, values case-sensitively', async () => {
    const k = await key(ecPolicy({ StringEquals: { 'kms:EncryptionContext:Dept': 'finance' } }));
    expect((await encrypt(as(ALICE), k.id, { dept: 'finance' })).KeyId).toBe(k.arn);
    expect((await encrypt(as(ALICE), k.id, { DEPT: 'finance' })).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(ALICE), k.id, { Dept: 'Finance' }))).name).toBe('AccessDeniedException');
  });

  it('ForAllValues on kms:EncryptionContextKeys limits the keys a context may have', async () => {
    const k = await key(ecPolicy({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['dept', 'app'] }, Null: { 'kms:EncryptionContextKeys': 'false' } }));
    expect((await encrypt(as(ALICE), k.id, { dept: 'x' })).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(ALICE), k.id, { dept: 'x', other: 'y' }))).name).toBe('AccessDeniedException');
    expect((await failure(encrypt(as(ALICE), k.id))).name).toBe('AccessDeniedException');
  });

  it('kms:ViaService allows only calls made through the named service', async () => {
    const k = await key(ecPolicy({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }));
    expect((await encrypt(as(ALICE, { viaService: 's3.us-east-1.amazonaws.com' }), k.id)).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(ALICE), k.id))).name).toBe('AccessDeniedException');
  });

  it('aws:SourceIp is taken from the caller', async () => {
    const k = await key(ecPolicy({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }));
    expect((await encrypt(as(ALICE, { sourceIp: '10.1.2.3' }), k.id)).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(ALICE, { sourceIp: '192.168.1.1' }), k.id))).name).toBe('AccessDeniedException');
  });

  it('kms:RequestAlias allows use through the alias only', async () => {
    const k = await key(ecPolicy({ StringEquals: { 'kms:RequestAlias': 'alias/payments' } }));
    await root.send(new CreateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: k.id }));
    expect((await encrypt(as(ALICE), 'alias/payments')).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(ALICE), k.id))).name).toBe('AccessDeniedException');
  });

  it('aws:PrincipalArn is derived from the caller', async () => {
    const k = await key(keyPolicy(rootStatement(), allow('*', 'kms:Encrypt', { Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/ali*` } } })));
    expect((await encrypt(as(ALICE), k.id)).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(`arn:aws:iam::${ACCOUNT}:user/bob`), k.id))).name).toBe('AccessDeniedException');
  });

  it('kms:GrantIsForAWSResource allows CreateGrant only through an AWS service', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(ALICE, 'kms:CreateGrant', { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })));
    const input = { KeyId: k.id, GranteePrincipal: APP, Operations: ['Decrypt' as const] };
    expect((await as(ALICE, { viaService: 'ebs.us-east-1.amazonaws.com' }).send(new CreateGrantCommand(input))).GrantId).toBeDefined();
    expect((await failure(as(ALICE).send(new CreateGrantCommand(input)))).name).toBe('AccessDeniedException');
  });

  it('kms:GrantOperations and kms:GranteePrincipal restrict the grants a principal may create', async () => {
    const k = await key(keyPolicy(rootStatement(), allow(ALICE, 'kms:CreateGrant', { Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] }, StringEquals: { 'kms:GranteePrincipal': APP } } })));
    expect((await as(ALICE).send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: APP, Operations: ['Decrypt'] }))).GrantId).toBeDefined();
    expect((await failure(as(ALICE).send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: APP, Operations: ['Decrypt', 'Encrypt'] })))).name).toBe('AccessDeniedException');
    expect((await failure(as(ALICE).send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ADMIN, Operations: ['Decrypt'] })))).name).toBe('AccessDeniedException');
  });

  it('kms:KeySpec is available to CreateKey identity policies', async () => {
    kms = await emulator({ principals: [{ arn: ALICE, policies: [allowAll('kms:CreateKey'), { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:CreateKey', Resource: '*', Condition: { StringNotEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } } }] }] }] });
    expect((await as(ALICE).send(new CreateKeyCommand({ Policy: keyPolicy(rootStatement(), allow(ALICE, 'kms:*')) }))).KeyMetadata!.KeySpec).toBe('SYMMETRIC_DEFAULT');
    expect((await failure(as(ALICE).send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))).message).toContain('explicit deny');
  });
});

describe('grants', () => {
  it('a grant allows its operations to a principal no policy allows', async () => {
    const k = await key();
    await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt'] }));
    expect((await encrypt(as(ALICE), k.id)).KeyId).toBe(k.arn);
  });

  it('a grant allows only the operations it lists', async () => {
    const k = await key();
    await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt'] }));
    const enc = await encrypt(as(ALICE), k.id);
    expect((await failure(as(ALICE).send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })))).name).toBe('AccessDeniedException');
  });

  it('with a grant lag, the grant is not effective without its token but is with it', async () => {
    kms.grantLagMs = 60_000;
    const k = await key();
    const g = await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt'] }));
    expect((await failure(encrypt(as(ALICE), k.id))).name).toBe('AccessDeniedException');
    expect((await encrypt(as(ALICE), k.id, undefined, [g.GrantToken!])).KeyId).toBe(k.arn);
    kms.clock.advance({ seconds: 61 });
    expect((await encrypt(as(ALICE), k.id)).KeyId).toBe(k.arn);
  });

  it('an unknown, malformed grant token is InvalidGrantTokenException', async () => {
    const k = await key();
    expect((await failure(encrypt(as(ALICE), k.id, undefined, ['not-a-token']))).name).toBe('InvalidGrantTokenException');
  });

  it('EncryptionContextEquals requires exactly that context', async () => {
    const k = await key();
    await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { app: 'billing' } } }));
    expect((await encrypt(as(ALICE), k.id, { app: 'billing' })).KeyId).toBe(k.arn);
    expect((await failure(encrypt(as(ALICE), k.id, { app: 'billing', extra: '1' }))).name).toBe('AccessDeniedException');
    expect((await failure(encrypt(as(ALICE), k.id))).name).toBe('AccessDeniedException');
  });

  it('EncryptionContextSubset requires at least those pairs', async () => {
    const k = await key();
    await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['GenerateDataKey'], Constraints: { EncryptionContextSubset: { app: 'billing' } } }));
    expect((await as(ALICE).send(new GenerateDataKeyCommand({ KeyId: k.id, KeySpec: 'AES_256', EncryptionContext: { app: 'billing', id: '7' } }))).KeyId).toBe(k.arn);
    expect((await failure(as(ALICE).send(new GenerateDataKeyCommand({ KeyId: k.id, KeySpec: 'AES_256', EncryptionContext: { id: '7' } })))).name).toBe('AccessDeniedException');
  });

  it('the retiring principal can retire a grant; after that the grant allows nothing', async () => {
    const k = await key();
    const g = await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, RetiringPrincipal: ADMIN, Operations: ['Encrypt'] }));
    await as(ADMIN).send(new RetireGrantCommand({ KeyId: k.arn, GrantId: g.GrantId }));
    expect((await failure(encrypt(as(ALICE), k.id))).name).toBe('AccessDeniedException');
  });

  it('an unrelated principal cannot retire a grant', async () => {
    const k = await key();
    const g = await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt'] }));
    expect((await failure(as(APP).send(new RetireGrantCommand({ GrantToken: g.GrantToken })))).name).toBe('AccessDeniedException');
  });

  it('the grantee can retire its grant only when the grant includes RetireGrant', async () => {
    const k = await key();
    const without = await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt'] }));
    expect((await failure(as(ALICE).send(new RetireGrantCommand({ GrantToken: without.GrantToken })))).name).toBe('AccessDeniedException');
    const withRetire = await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt', 'RetireGrant'] }));
    await as(ALICE).send(new RetireGrantCommand({ GrantToken: withRetire.GrantToken }));
    expect((await root.send(new ListGrantsCommand({ KeyId: k.id }))).Grants!.map((x) => x.GrantId)).toEqual([without.GrantId]);
  });

  it('revoking needs kms:RevokeGrant from a policy; the grantee cannot revoke', async () => {
    const k = await key();
    const g = await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt', 'RetireGrant'] }));
    expect((await failure(as(ALICE).send(new RevokeGrantCommand({ KeyId: k.id, GrantId: g.GrantId })))).name).toBe('AccessDeniedException');
    await as(ADMIN).send(new RevokeGrantCommand({ KeyId: k.id, GrantId: g.GrantId }));
    expect((await failure(encrypt(as(ALICE), k.id))).name).toBe('AccessDeniedException');
  });

  it('through a grant, CreateGrant may create grants with a subset of its operations only', async () => {
    const k = await key();
    await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt', 'Decrypt', 'CreateGrant'] }));
    expect((await as(ALICE).send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: APP, Operations: ['Decrypt'] }))).GrantId).toBeDefined();
    expect((await failure(as(ALICE).send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: APP, Operations: ['Decrypt', 'GenerateDataKey'] })))).name).toBe('AccessDeniedException');
  });

  it('through a constrained grant, new grants must be at least as constrained', async () => {
    const k = await key();
    await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Decrypt', 'CreateGrant'], Constraints: { EncryptionContextSubset: { tenant: 't1' } } }));
    expect((await as(ALICE).send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: APP, Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: { tenant: 't1', doc: '9' } } }))).GrantId).toBeDefined();
    expect((await failure(as(ALICE).send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: APP, Operations: ['Decrypt'] })))).name).toBe('AccessDeniedException');
    expect((await failure(as(ALICE).send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: APP, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { tenant: 't2' } } })))).name).toBe('AccessDeniedException');
  });

  it('Name makes CreateGrant idempotent for identical parameters', async () => {
    const k = await key();
    const input = { KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt' as const], Name: 'ingest' };
    const a = await root.send(new CreateGrantCommand(input));
    const b = await root.send(new CreateGrantCommand(input));
    expect(b.GrantId).toBe(a.GrantId);
    const c = await root.send(new CreateGrantCommand({ ...input, Operations: ['Decrypt'] }));
    expect(c.GrantId).not.toBe(a.GrantId);
    expect((await root.send(new ListGrantsCommand({ KeyId: k.id }))).Grants).toHaveLength(2);
  });

  it('a grant to a role covers that role’s sessions', async () => {
    const k = await key(keyPolicy(rootStatement()));
    kms.grantLagMs = 0;
    await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/Batch`, Operations: ['Encrypt'] }));
    expect((await encrypt(as(`arn:aws:sts::${ACCOUNT}:assumed-role/Batch/job-7`), k.id)).KeyId).toBe(k.arn);
  });

  it('the audit event of a grant-authorized call names the grant', async () => {
    const k = await key();
    const g = await root.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: ALICE, Operations: ['Encrypt'] }));
    await encrypt(as(ALICE), k.id, { a: 'b' });
    const ev = kms.audit.events().at(-1)!;
    expect(ev.additionalEventData).toEqual({ grantId: g.GrantId, encryptionContext: { a: 'b' } });
  });
});

describe('lockout safety check', () => {
  it('PutKeyPolicy refuses a policy that would lock the caller out, with AWS’s message', async () => {
    const k = await key();
    const e = await failure(root.send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: keyPolicy(allow(ADMIN, 'kms:*')) })));
    expect(e.name).toBe('MalformedPolicyDocumentException');
    expect(e.message).toBe('The new key policy will not allow you to update the key policy in the future.');
  });

  it('BypassPolicyLockoutSafetyCheck accepts it, and the caller is then locked out', async () => {
    const k = await key();
    await root.send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: keyPolicy(allow(ADMIN, 'kms:*')), BypassPolicyLockoutSafetyCheck: true }));
    expect((await failure(root.send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: keyPolicy(rootStatement()) })))).name).toBe('AccessDeniedException');
  });

  it('CreateKey refuses a policy that does not let the creator manage the key', async () => {
    const e = await failure(as(ADMIN).send(new CreateKeyCommand({ Policy: keyPolicy(allow(APP, 'kms:*')) })));
    expect(e.message).toBe('The new key policy will not allow you to update the key policy in the future.');
  });

  it('CreateKey accepts a policy delegating to the account when the creator’s identity policy allows PutKeyPolicy', async () => {
    expect((await as(ADMIN).send(new CreateKeyCommand({ Policy: keyPolicy(rootStatement()) }))).KeyMetadata!.KeyState).toBe('Enabled');
  });

  it('a policy whose only PutKeyPolicy allow is denied by a Deny also locks out', async () => {
    const k = await key();
    const e = await failure(root.send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: keyPolicy(rootStatement(), deny(`arn:aws:iam::${ACCOUNT}:root`, 'kms:PutKeyPolicy')) })));
    expect(e.name).toBe('MalformedPolicyDocumentException');
  });
});

describe('IAM-only permissions and DryRun', () => {
  it('CreateKey needs an identity policy for principals other than the root user', async () => {
    const e = await failure(as(ALICE).send(new CreateKeyCommand({})));
    expect(e.message).toBe(`User: ${ALICE} is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action`);
    expect((await as(ADMIN).send(new CreateKeyCommand({}))).KeyMetadata).toBeDefined();
  });

  it('DryRun reports success as DryRunOperationException, and a denial as AccessDeniedException', async () => {
    const k = await key();
    expect((await failure(as(APP).send(new EncryptCommand({ KeyId: k.id, Plaintext: PT, DryRun: true })))).name).toBe('DryRunOperationException');
    expect((await failure(as(ALICE).send(new EncryptCommand({ KeyId: k.id, Plaintext: PT, DryRun: true })))).name).toBe('AccessDeniedException');
  });

  it('denied calls are audited with the error and the key', async () => {
    const k = await key();
    await failure(encrypt(as(ALICE), k.id));
    const ev = kms.audit.events().at(-1)!;
    expect(ev).toMatchObject({ eventName: 'Encrypt', errorCode: 'AccessDeniedException', userIdentity: { arn: ALICE, type: 'IAMUser' }, resources: [{ ARN: k.arn, type: 'AWS::KMS::Key' }] });
  });
});
