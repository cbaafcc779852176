import { describe, expect, it, vi } from 'vitest';
import { SIDS, accountRootStatement, adminStatement, symmetricUserStatement } from '../../../policies/build.js';
import {
  ADMIN_ACTIONS,
  HMAC_USER_ACTIONS,
  SIGN_VERIFY_USER_ACTIONS,
  SYMMETRIC_USER_ACTIONS,
} from '../../../policies/perms.js';
import { KEY_SPEC_USAGES, KEY_USAGES, type KeySpec, type KeyUsage } from '../../../stacks/constructs/key-spec.js';
import { KMS_KEY_DEFAULTS, KmsKey } from '../../../stacks/constructs/kms-key.js';
import { AwsProvider, TerraformStack, Testing } from '../../../stacks/provider.js';
import { CALLER_ACCOUNT, ROLE, type Synthesized, bySid, newStack, only, policyOf, resources, statements, synth } from '../helpers.js';

const ROOT_ARN = `arn:aws:iam::${CALLER_ACCOUNT}:root`;

describe('KmsKey defaults', () => {
  it('is a symmetric ENCRYPT_DECRYPT key with yearly rotation, a 30-day deletion window, enabled, single-Region', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key');
    const key = only(synth(stack), 'aws_kms_key');
    expect(key).toMatchObject({
      customer_master_key_spec: 'SYMMETRIC_DEFAULT',
      key_usage: 'ENCRYPT_DECRYPT',
      enable_key_rotation: true,
      rotation_period_in_days: KMS_KEY_DEFAULTS.rotationPeriodInDays,
      deletion_window_in_days: KMS_KEY_DEFAULTS.deletionWindowInDays,
      multi_region: false,
      is_enabled: true,
      bypass_policy_lockout_safety_check: false,
    });
    expect(KMS_KEY_DEFAULTS.rotationPeriodInDays).toBe(365);
    expect(KMS_KEY_DEFAULTS.deletionWindowInDays).toBe(30);
  });

  it('synthesizes inside Testing.synthScope', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
        new KmsKey(scope, 'Key', { aliases: ['scoped'] });
      }),
    ) as Synthesized;
    expect(only(json, 'aws_kms_key')).toMatchObject({ customer_master_key_spec: 'SYMMETRIC_DEFAULT', enable_key_rotation: true });
    expect(only(json, 'aws_kms_alias')).toMatchObject({ name: 'alias/scoped' });
  });

  it('names its provider resource Resource', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    expect(key.resource.node.id).toBe('Resource');
    expect(key.node.defaultChild ?? key.node.findChild('Resource')).toBe(key.resource);
  });

  it('emits the policy as a JSON string with only the account-root statement, naming the account through aws_caller_identity', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key');
    const json = synth(stack);
    const doc = policyOf(json, 'Key');
    expect(doc.Version).toBe('2012-10-17');
    expect(statements(doc)).toEqual([accountRootStatement(CALLER_ACCOUNT)]);
    expect(json.data?.['aws_caller_identity']?.['current']).toBeDefined();
    expect(only(json, 'aws_kms_key')['policy']).not.toMatch(/\d{12}/);
  });

  it('has no description, aliases or tags unless given', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key');
    const json = synth(stack);
    const key = only(json, 'aws_kms_key');
    expect(key['description']).toBeUndefined();
    expect(key['tags']).toBeUndefined();
    expect(resources(json, 'aws_kms_alias')).toEqual({});
  });

  it('turns rotation off by default for HMAC keys and emits no rotation period', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key', { keySpec: 'HMAC_256' });
    const key = only(synth(stack), 'aws_kms_key');
    expect(key).toMatchObject({ customer_master_key_spec: 'HMAC_256', key_usage: 'GENERATE_VERIFY_MAC', enable_key_rotation: false });
    expect(key['rotation_period_in_days']).toBeUndefined();
  });

  it('defaults ECC keys to SIGN_VERIFY with rotation off', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key', { keySpec: 'ECC_NIST_P256' });
    expect(only(synth(stack), 'aws_kms_key')).toMatchObject({ key_usage: 'SIGN_VERIFY', enable_key_rotation: false });
  });

  it('passes description, multiRegion, tags and a custom rotation period through', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key', { description: 'd', multiRegion: true, tags: { team: 'x' }, rotationPeriodInDays: 90, deletionWindowInDays: 7 });
    expect(only(synth(stack), 'aws_kms_key')).toMatchObject({ description: 'd', multi_region: true, tags: { team: 'x' }, rotation_period_in_days: 90, deletion_window_in_days: 7 });
  });

  it('exposes keyId and arn as Terraform references, and aliasArns per alias', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key', { aliases: ['a', 'b'] });
    const json = synth(stack);
    const aliases = Object.values(resources(json, 'aws_kms_alias'));
    expect(aliases.map((a) => a['target_key_id'])).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.Key_[A-F0-9]+\.key_id\}$/), expect.stringMatching(/key_id/)]);
    expect(key.aliasArns).toHaveLength(2);
    expect(key.arn).toContain('TfToken');
    expect(key.keyId).toContain('TfToken');
  });
});

describe('KmsKey validation', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['rotationPeriodInDays below 90', { rotationPeriodInDays: 30 }, /rotationPeriodInDays must be an integer 90–2560, got 30/],
    ['rotationPeriodInDays above 2560', { rotationPeriodInDays: 2561 }, /rotationPeriodInDays must be an integer 90–2560, got 2561/],
    ['a fractional rotationPeriodInDays', { rotationPeriodInDays: 100.5 }, /rotationPeriodInDays must be an integer 90–2560, got 100.5/],
    ['deletionWindowInDays below 7', { deletionWindowInDays: 6 }, /deletionWindowInDays must be an integer 7–30, got 6/],
    ['deletionWindowInDays above 30', { deletionWindowInDays: 31 }, /deletionWindowInDays must be an integer 7–30, got 31/],
    ['an unknown keySpec', { keySpec: 'AES_256' }, /keySpec must be one of SYMMETRIC_DEFAULT, .*got "AES_256"/],
    ['an unknown keyUsage', { keyUsage: 'WRAP' }, /keyUsage must be one of ENCRYPT_DECRYPT, .*got "WRAP"/],
    ['rotation on an asymmetric key', { keySpec: 'RSA_2048', enableKeyRotation: true }, /enableKeyRotation is only supported for SYMMETRIC_DEFAULT keys; keySpec is "RSA_2048", got enableKeyRotation true/],
    ['rotation on an HMAC key', { keySpec: 'HMAC_512', enableKeyRotation: true }, /enableKeyRotation is only supported for SYMMETRIC_DEFAULT keys; keySpec is "HMAC_512"/],
    ['a rotation period on an HMAC key', { keySpec: 'HMAC_256', rotationPeriodInDays: 180 }, /rotationPeriodInDays is only supported for SYMMETRIC_DEFAULT keys.*got rotationPeriodInDays 180/],
    ['a rotation period with rotation off', { enableKeyRotation: false, rotationPeriodInDays: 180 }, /rotationPeriodInDays needs enableKeyRotation true, got rotationPeriodInDays 180/],
    ['a non-boolean flag', { multiRegion: 'yes' }, /multiRegion must be true or false, got "yes"/],
    ['omitAccountRootStatement without a reason', { omitAccountRootStatement: { reason: ' ' }, admins: [ROLE('a')] }, /omitAccountRootStatement needs a non-empty reason, got \{"reason":" "\}/],
    ['users on a KEY_AGREEMENT key', { keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT', users: [ROLE('u')] }, /users is not available for KEY_AGREEMENT keys/],
    ['a wildcard user', { users: ['*'] }, /users\[0\] is "\*"/],
    ['a policy without Statement', { policy: { Version: '2012-10-17' } }, /policy must be a key policy document with a Statement/],
    ['tags that are not strings', { tags: { a: 1 } }, /tags must be a map of strings, got \{"a":1\}/],
  ];
  for (const [what, props, message] of cases) {
    it(`rejects ${what}, quoting the value`, () => {
      const { stack } = newStack();
      expect(() => new KmsKey(stack, 'Key', props as never)).toThrow(message);
    });
  }

  it('emits nothing when a prop is invalid', () => {
    const { stack } = newStack();
    expect(() => new KmsKey(stack, 'Key', { deletionWindowInDays: 3, aliases: ['ok'] })).toThrow(/deletionWindowInDays/);
    const json = synth(stack);
    expect(resources(json, 'aws_kms_key')).toEqual({});
    expect(resources(json, 'aws_kms_alias')).toEqual({});
  });

  it('accepts every keySpec × keyUsage pair AWS allows and rejects every other pair', () => {
    for (const spec of Object.keys(KEY_SPEC_USAGES) as KeySpec[]) {
      const allowed: readonly KeyUsage[] = KEY_SPEC_USAGES[spec];
      for (const usage of KEY_USAGES) {
        const { stack } = newStack();
        const make = () => new KmsKey(stack, 'Key', { keySpec: spec, keyUsage: usage });
        if (allowed.includes(usage)) expect(make, `${spec} ${usage}`).not.toThrow();
        else expect(make, `${spec} ${usage}`).toThrow(`keyUsage "${usage}" is not valid for keySpec "${spec}"; allowed: ${allowed.join(', ')}`);
      }
    }
  });

  it.each([
    ['SYMMETRIC_DEFAULT', 'SIGN_VERIFY'],
    ['ECC_NIST_P256', 'ENCRYPT_DECRYPT'],
    ['ECC_SECG_P256K1', 'KEY_AGREEMENT'],
    ['HMAC_256', 'SIGN_VERIFY'],
    ['RSA_2048', 'KEY_AGREEMENT'],
    ['RSA_4096', 'GENERATE_VERIFY_MAC'],
  ] as const)('rejects keySpec %s with keyUsage %s', (keySpec, keyUsage) => {
    const { stack } = newStack();
    expect(() => new KmsKey(stack, 'Key', { keySpec, keyUsage })).toThrow(`keyUsage "${keyUsage}" is not valid for keySpec "${keySpec}"`);
  });

  it('needs a region from the stack provider', () => {
    const bare = new TerraformStack(Testing.app(), 'bare');
    expect(() => new KmsKey(bare, 'Key')).toThrow('cannot tell the region of bare/Key: the stack needs an AwsProvider with a region (configure one before creating keys)');
  });
});

describe('KmsKey aliases', () => {
  it('adds the alias/ prefix', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key', { aliases: ['app/data', 'alias/already'] });
    const names = Object.values(resources(synth(stack), 'aws_kms_alias')).map((a) => a['name']);
    expect(names.sort()).toEqual(['alias/already', 'alias/app/data']);
  });

  it('rejects alias names under alias/aws/', () => {
    const { stack } = newStack();
    expect(() => new KmsKey(stack, 'Key', { aliases: ['aws/ebs'] })).toThrow('alias "aws/ebs" is reserved: names under alias/aws/ belong to AWS managed keys');
    expect(() => new KmsKey(stack, 'Key2', { aliases: ['alias/aws/s3'] })).toThrow(/"alias\/aws\/s3" is reserved/);
  });

  it('rejects characters outside ^[a-zA-Z0-9:/_-]{1,256}$ and over-long names', () => {
    const { stack } = newStack();
    expect(() => new KmsKey(stack, 'Key', { aliases: ['my key'] })).toThrow('alias must match ^[a-zA-Z0-9:/_-]{1,256}$ (after the alias/ prefix), got "my key"');
    expect(() => new KmsKey(stack, 'Key2', { aliases: ['a'.repeat(251)] })).toThrow(/alias must match/);
    expect(() => new KmsKey(stack, 'Key3', { aliases: [''] })).toThrow(/alias must be a non-empty string/);
  });

  it('rejects the same alias twice', () => {
    const { stack } = newStack();
    expect(() => new KmsKey(stack, 'Key', { aliases: ['x', 'alias/x'] })).toThrow('aliases must be unique, got "alias/x" twice');
    const key = new KmsKey(stack, 'Key2', { aliases: ['y'] });
    expect(() => key.addAlias('y')).toThrow(/alias "alias\/y" is already on test\/Key2/);
  });

  it('addAlias adds an alias after construction', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    key.addAlias('later');
    expect(Object.values(resources(synth(stack), 'aws_kms_alias')).map((a) => a['name'])).toEqual(['alias/later']);
    expect(key.aliasNames).toEqual(['alias/later']);
  });
});

describe('KmsKey policy from roles', () => {
  it('builds admin, user and service-user statements through policies/build.ts after the account root', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key', { admins: [ROLE('admin')], users: [ROLE('app')], serviceUsers: [ROLE('svc')] });
    const doc = policyOf(synth(stack), 'Key');
    expect(statements(doc).map((s) => s.Sid)).toEqual([SIDS.accountRoot, SIDS.admins, SIDS.users, SIDS.serviceUsers]);
    expect(bySid(doc, SIDS.admins)).toEqual(adminStatement([ROLE('admin')]));
    expect(bySid(doc, SIDS.users)).toEqual(symmetricUserStatement([ROLE('app')]));
    expect(bySid(doc, SIDS.serviceUsers).Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  it('gives users the action set of the key kind', () => {
    const kinds: Array<[KeySpec, KeyUsage | undefined, readonly string[]]> = [
      ['SYMMETRIC_DEFAULT', undefined, SYMMETRIC_USER_ACTIONS],
      ['HMAC_384', undefined, HMAC_USER_ACTIONS],
      ['ECC_NIST_P384', 'SIGN_VERIFY', SIGN_VERIFY_USER_ACTIONS],
    ];
    for (const [keySpec, keyUsage, actions] of kinds) {
      const { stack } = newStack();
      new KmsKey(stack, 'Key', { keySpec, ...(keyUsage ? { keyUsage } : {}), users: [ROLE('u')] });
      expect(bySid(policyOf(synth(stack), 'Key'), SIDS.users).Action, keySpec).toEqual(actions);
    }
  });

  it('lets service principals use the key only for resources of its own account', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key', { services: ['events.amazonaws.com'] });
    const st = bySid(policyOf(synth(stack), 'Key'), 'Allow AWS services of the account to use the key');
    expect(st.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(st.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': CALLER_ACCOUNT } });
  });

  it('appends the statements of an explicit policy after the account-root statement', () => {
    const { stack } = newStack();
    const extra = { Sid: 'Custom', Effect: 'Allow' as const, Principal: { AWS: ROLE('x') }, Action: 'kms:Decrypt', Resource: '*' };
    new KmsKey(stack, 'Key', { policy: { Version: '2012-10-17', Statement: [extra] } });
    expect(statements(policyOf(synth(stack), 'Key'))).toEqual([accountRootStatement(CALLER_ACCOUNT), extra]);
  });

  it('leaves the account-root statement out only with a reason', () => {
    const { stack } = newStack();
    new KmsKey(stack, 'Key', { omitAccountRootStatement: { reason: 'break-glass key managed by one role' }, admins: [ROLE('admin')] });
    const doc = policyOf(synth(stack), 'Key');
    expect(statements(doc).some((s) => JSON.stringify(s.Principal).includes(':root'))).toBe(false);
    expect(statements(doc).map((s) => s.Sid)).toEqual([SIDS.admins]);
  });

  it('escapes IAM policy variables for Terraform but keeps references', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    key.addToPolicy({ Sid: 'Own', Effect: 'Allow', Principal: { AWS: ROLE('x') }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:username': '${aws:username}' } } });
    const text = only(synth(stack), 'aws_kms_key')['policy'] as string;
    expect(text).toContain('$${aws:username}');
    expect(text).toContain(ROOT_ARN);
  });
});

describe('KmsKey grants', () => {
  const grantee = ROLE('grantee');
  const expectStatement = (make: (key: KmsKey) => void, keyProps: ConstructorParameters<typeof KmsKey>[2], sid: string, actions: string | string[]) => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key', keyProps);
    make(key);
    expect(bySid(policyOf(synth(stack), 'Key'), sid)).toEqual({ Sid: sid, Effect: 'Allow', Principal: { AWS: grantee }, Action: actions, Resource: '*' });
  };

  it('grantEncrypt allows Encrypt, ReEncrypt* and GenerateDataKey*', () => {
    expectStatement((k) => k.grantEncrypt(grantee), {}, 'Allow encrypt', ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']);
  });
  it('grantDecrypt allows Decrypt', () => {
    expectStatement((k) => k.grantDecrypt(grantee), {}, 'Allow decrypt', 'kms:Decrypt');
  });
  it('grantEncryptDecrypt allows both directions', () => {
    expectStatement((k) => k.grantEncryptDecrypt(grantee), {}, 'Allow encrypt and decrypt', ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']);
  });
  it('grantEncrypt on an RSA encryption key allows Encrypt and ReEncrypt*', () => {
    expectStatement((k) => k.grantEncrypt(grantee), { keySpec: 'RSA_2048' }, 'Allow encrypt', ['kms:Encrypt', 'kms:ReEncrypt*']);
  });
  it('grantSign allows Sign', () => {
    expectStatement((k) => k.grantSign(grantee), { keySpec: 'ECC_NIST_P256' }, 'Allow sign', 'kms:Sign');
  });
  it('grantVerify allows Verify and GetPublicKey', () => {
    expectStatement((k) => k.grantVerify(grantee), { keySpec: 'ECC_NIST_P256' }, 'Allow verify', ['kms:Verify', 'kms:GetPublicKey']);
  });
  it('grantGenerateMac allows GenerateMac', () => {
    expectStatement((k) => k.grantGenerateMac(grantee), { keySpec: 'HMAC_256' }, 'Allow generate MAC', 'kms:GenerateMac');
  });
  it('grantVerifyMac allows VerifyMac', () => {
    expectStatement((k) => k.grantVerifyMac(grantee), { keySpec: 'HMAC_256' }, 'Allow verify MAC', 'kms:VerifyMac');
  });
  it('grantAdmin allows the admin action set', () => {
    expectStatement((k) => k.grantAdmin(grantee), {}, 'Allow key administration', [...ADMIN_ACTIONS]);
  });
  it('grant allows exactly the given actions', () => {
    expectStatement((k) => k.grant(grantee, 'kms:DescribeKey', 'kms:GetKeyPolicy'), {}, 'Grant DescribeKey GetKeyPolicy', ['kms:DescribeKey', 'kms:GetKeyPolicy']);
  });

  it('funnels every grant method into grant(grantee, ...actions)', () => {
    const { stack } = newStack();
    const methods: Array<[KmsKey, (k: KmsKey) => unknown]> = [];
    const sym = new KmsKey(stack, 'Sym');
    const sign = new KmsKey(stack, 'Sign', { keySpec: 'ECC_NIST_P256' });
    const mac = new KmsKey(stack, 'Mac', { keySpec: 'HMAC_256' });
    for (const m of [(k: KmsKey) => k.grantEncrypt(grantee), (k: KmsKey) => k.grantDecrypt(grantee), (k: KmsKey) => k.grantEncryptDecrypt(grantee), (k: KmsKey) => k.grantAdmin(grantee)]) methods.push([sym, m]);
    for (const m of [(k: KmsKey) => k.grantSign(grantee), (k: KmsKey) => k.grantVerify(grantee)]) methods.push([sign, m]);
    for (const m of [(k: KmsKey) => k.grantGenerateMac(grantee), (k: KmsKey) => k.grantVerifyMac(grantee)]) methods.push([mac, m]);
    for (const [key, method] of methods) {
      const spy = vi.spyOn(key, 'grant');
      const statement = method(key) as { Action: string | string[] };
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]?.[0]).toBe(grantee);
      expect(spy.mock.calls[0]?.slice(1)).toEqual([statement.Action].flat());
      spy.mockRestore();
    }
  });

  it('names a grant() of a method action set like the method', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    expect(key.grant(grantee, 'kms:Decrypt').Sid).toBe('Allow decrypt');
  });

  it('merges a second grantee of the same grant into one statement', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    key.grantDecrypt(ROLE('a'));
    key.grantDecrypt(ROLE('b'));
    key.grantDecrypt(ROLE('a'));
    const doc = policyOf(synth(stack), 'Key');
    expect(statements(doc).filter((s) => s.Sid?.startsWith('Allow decrypt'))).toEqual([
      { Sid: 'Allow decrypt', Effect: 'Allow', Principal: { AWS: [ROLE('a'), ROLE('b')] }, Action: 'kms:Decrypt', Resource: '*' },
    ]);
  });

  it('turns service principals and account ids into the right principal blocks', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    expect(key.grantDecrypt('logs.amazonaws.com').Principal).toEqual({ Service: 'logs.amazonaws.com' });
    expect(key.grantEncrypt('444455556666').Principal).toEqual({ AWS: 'arn:aws:iam::444455556666:root' });
  });

  it('rejects grant methods that do not fit the key usage', () => {
    const { stack } = newStack();
    const symmetric = new KmsKey(stack, 'Sym');
    const hmac = new KmsKey(stack, 'Hmac', { keySpec: 'HMAC_256' });
    expect(() => symmetric.grantSign(grantee)).toThrow('grantSign needs a key with keyUsage SIGN_VERIFY, but test/Sym has keyUsage ENCRYPT_DECRYPT (SYMMETRIC_DEFAULT)');
    expect(() => hmac.grantEncrypt(grantee)).toThrow(/grantEncrypt needs a key with keyUsage ENCRYPT_DECRYPT/);
    expect(() => symmetric.grantGenerateMac(grantee)).toThrow(/grantGenerateMac needs a key with keyUsage GENERATE_VERIFY_MAC/);
  });

  it('rejects a grantee that is no principal and actions that are not KMS actions', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    expect(() => key.grantDecrypt('bob')).toThrow('grantee must be an IAM principal ARN, an account id or a service principal, got "bob"');
    expect(() => key.grant(grantee, 's3:GetObject')).toThrow('grant: actions must be KMS actions like kms:Decrypt, got "s3:GetObject"');
    expect(() => key.grant(grantee)).toThrow(/needs at least one action/);
  });
});

describe('KmsKey addToPolicy', () => {
  const st = { Sid: 'Extra', Effect: 'Allow' as const, Principal: { AWS: ROLE('x') }, Action: 'kms:Decrypt', Resource: '*' };

  it('adds an identical statement once', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    key.addToPolicy(st);
    key.addToPolicy({ ...st });
    expect(statements(policyOf(synth(stack), 'Key')).filter((s) => s.Sid === 'Extra')).toHaveLength(1);
  });

  it('numbers the Sid of a different statement that reuses one', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    key.addToPolicy(st);
    key.addToPolicy({ ...st, Action: 'kms:Encrypt' });
    expect(statements(policyOf(synth(stack), 'Key')).map((s) => s.Sid)).toEqual([SIDS.accountRoot, 'Extra', 'Extra2']);
  });

  it('rejects something that is not a statement', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    expect(() => key.addToPolicy({ Effect: 'Maybe' } as never)).toThrow('addToPolicy needs a policy statement with Effect "Allow" or "Deny", got {"Effect":"Maybe"}');
  });
});

describe('KmsKey addGrant', () => {
  it('emits an aws_kms_grant with an encryption-context constraint', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    key.addGrant({ name: 'app', grantee: ROLE('app'), operations: ['Encrypt', 'kms:Decrypt'], constraints: { encryptionContextEquals: { tenant: 't1' } }, retiringPrincipal: ROLE('admin') });
    const grant = only(synth(stack), 'aws_kms_grant');
    expect(grant).toMatchObject({
      name: 'app',
      grantee_principal: ROLE('app'),
      operations: ['Encrypt', 'Decrypt'],
      constraints: [{ encryption_context_equals: { tenant: 't1' } }],
      retiring_principal: ROLE('admin'),
      key_id: expect.stringMatching(/^\$\{aws_kms_key\.Key_[A-F0-9]+\.key_id\}$/),
    });
  });

  it('supports an encryptionContextSubset constraint and grants without constraints', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key', { keySpec: 'ECC_NIST_P256' });
    key.addGrant({ grantee: ROLE('a'), operations: ['Sign', 'GetPublicKey'] });
    const sym = new KmsKey(stack, 'Sym');
    sym.addGrant({ grantee: ROLE('a'), operations: ['GenerateDataKey'], constraints: { encryptionContextSubset: { app: 'x' } } });
    const grants = Object.values(resources(synth(stack), 'aws_kms_grant'));
    expect(grants.map((g) => g['constraints'])).toEqual([undefined, [{ encryption_context_subset: { app: 'x' } }]]);
  });

  const invalid: Array<[string, Record<string, unknown>, KeySpec, RegExp]> = [
    ['an unknown operation', { operations: ['Explode'] }, 'SYMMETRIC_DEFAULT', /operation "Explode" is not a grant operation; allowed: Decrypt, Encrypt/],
    ['an operation the key kind cannot do', { operations: ['Sign'] }, 'SYMMETRIC_DEFAULT', /operation "Sign" is not valid for a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key/],
    ['no operations', { operations: [] }, 'SYMMETRIC_DEFAULT', /operations must be a non-empty list/],
    ['a constraint with an operation that takes no encryption context', { operations: ['Decrypt', 'DescribeKey'], constraints: { encryptionContextEquals: { a: 'b' } } }, 'SYMMETRIC_DEFAULT', /DescribeKey do not \(got operations \["Decrypt","DescribeKey"\]\)/],
    ['both constraint kinds at once', { operations: ['Decrypt'], constraints: { encryptionContextEquals: { a: 'b' }, encryptionContextSubset: { a: 'b' } } }, 'SYMMETRIC_DEFAULT', /exactly one of encryptionContextEquals or encryptionContextSubset/],
    ['an empty constraint', { operations: ['Decrypt'], constraints: { encryptionContextSubset: {} } }, 'SYMMETRIC_DEFAULT', /must be a non-empty map of strings, got \{\}/],
    ['a grantee that is no ARN', { grantee: 'app' }, 'SYMMETRIC_DEFAULT', /grantee must be an IAM principal ARN, got "app"/],
    ['a bad grant name', { name: 'my grant' }, 'SYMMETRIC_DEFAULT', /name must match .*got "my grant"/],
  ];
  for (const [what, opts, keySpec, message] of invalid) {
    it(`rejects ${what}`, () => {
      const { stack } = newStack();
      const key = new KmsKey(stack, 'Key', { keySpec });
      expect(() => key.addGrant({ grantee: ROLE('a'), operations: ['Decrypt'], ...opts } as never)).toThrow(message);
      expect(resources(synth(stack), 'aws_kms_grant')).toEqual({});
    });
  }

  it('rejects two grants with the same name', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key');
    key.addGrant({ name: 'g', grantee: ROLE('a'), operations: ['Decrypt'] });
    expect(() => key.addGrant({ name: 'g', grantee: ROLE('b'), operations: ['Decrypt'] })).toThrow(/a grant named "g" is already on test\/Key/);
  });
});
