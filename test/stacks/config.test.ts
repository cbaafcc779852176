import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from '../../stacks/config.js';

const ctx = (values: Record<string, unknown>) => (key: string) => values[key];

describe('loadConfig', () => {
  it('returns the defaults with no context and no KMSKIT_* variables', () => {
    expect(loadConfig({ env: {} })).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ account: '111122223333', primaryRegion: 'us-east-1', replicaRegion: 'us-west-2', appRoleArn: 'arn:aws:iam::111122223333:role/kmskit-app' });
  });

  it('reads cdktf.json context keys kmskit:<name>', () => {
    const config = loadConfig({
      env: {},
      context: ctx({
        'kmskit:account': '444455556666',
        'kmskit:primaryRegion': 'eu-west-1',
        'kmskit:replicaRegion': 'eu-central-1',
        'kmskit:appRoleArns': ['arn:aws:iam::444455556666:role/app', 'arn:aws:iam::444455556666:role/worker'],
        'kmskit:tags': { env: 'prod' },
        'kmskit:stateBucket': 'my-state',
      }),
    });
    expect(config).toMatchObject({
      account: '444455556666',
      primaryRegion: 'eu-west-1',
      replicaRegion: 'eu-central-1',
      appRoleArns: ['arn:aws:iam::444455556666:role/app', 'arn:aws:iam::444455556666:role/worker'],
      appRoleArn: 'arn:aws:iam::444455556666:role/app',
      tags: { env: 'prod' },
      stateBucket: 'my-state',
    });
    expect(config.adminArns).toEqual(DEFAULT_CONFIG.adminArns);
  });

  it('lets KMSKIT_* variables override the context, with comma lists and key=value tags', () => {
    const config = loadConfig({
      context: ctx({ 'kmskit:account': '444455556666' }),
      env: {
        KMSKIT_ACCOUNT: '777788889999',
        KMSKIT_ADMIN_ARNS: 'arn:aws:iam::777788889999:role/a, arn:aws:iam::777788889999:user/b',
        KMSKIT_TAGS: 'team=sec,env=dev',
        KMSKIT_ORG_ID: 'o-abcdefghij',
      },
    });
    expect(config.account).toBe('777788889999');
    expect(config.adminArns).toEqual(['arn:aws:iam::777788889999:role/a', 'arn:aws:iam::777788889999:user/b']);
    expect(config.tags).toEqual({ team: 'sec', env: 'dev' });
    expect(config.orgId).toBe('o-abcdefghij');
  });

  it('accepts JSON forms of lists and tags in environment variables', () => {
    const config = loadConfig({ env: { KMSKIT_APP_ROLE_ARNS: '["arn:aws:iam::111122223333:role/a"]', KMSKIT_TAGS: '{"cost-center":"42"}' } });
    expect(config.appRoleArns).toEqual(['arn:aws:iam::111122223333:role/a']);
    expect(config.appRoleArn).toBe('arn:aws:iam::111122223333:role/a');
    expect(config.tags).toEqual({ 'cost-center': '42' });
  });

  it('returns a frozen configuration', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.appRoleArns)).toBe(true);
  });

  it.each([
    [{ KMSKIT_ACCOUNT: '1234' }, 'account (from environment variable KMSKIT_ACCOUNT) must be a 12-digit AWS account id, got "1234"'],
    [{ KMSKIT_PRIMARY_REGION: 'US East' }, 'primaryRegion (from environment variable KMSKIT_PRIMARY_REGION) must be an AWS region name like us-east-1, got "US East"'],
    [{ KMSKIT_REPLICA_REGION: 'us-east-1' }, 'replicaRegion must differ from primaryRegion'],
    [{ KMSKIT_APP_ROLE_ARNS: 'kmskit-app' }, 'appRoleArns (from environment variable KMSKIT_APP_ROLE_ARNS) must hold IAM principal ARNs like arn:aws:iam::111122223333:role/name, got "kmskit-app"'],
    [{ KMSKIT_ADMIN_ARNS: '[]' }, 'adminArns (from environment variable KMSKIT_ADMIN_ARNS) must be a non-empty list'],
    [{ KMSKIT_TAGS: 'novalue' }, 'tags (from environment variable KMSKIT_TAGS) must be key=value pairs'],
    [{ KMSKIT_ORG_ID: 'org' }, 'orgId (from environment variable KMSKIT_ORG_ID) must be an AWS Organizations id like o-a1b2c3d4e5, got "org"'],
    [{ KMSKIT_STATE_BUCKET: 'Bad_Bucket' }, 'stateBucket (from environment variable KMSKIT_STATE_BUCKET) must be an S3 bucket name, got "Bad_Bucket"'],
  ])('rejects %j naming the setting, its source and the value', (env, message) => {
    expect(() => loadConfig({ env })).toThrow(message);
  });

  it('names the context key when a context value is bad', () => {
    expect(() => loadConfig({ env: {}, context: ctx({ 'kmskit:account': 111122223333 }) })).toThrow(
      'account (from cdktf.json context "kmskit:account") must be a 12-digit AWS account id, got 111122223333',
    );
  });
});
