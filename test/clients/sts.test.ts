/**
 * STS on the emulator's port, as the SDKs' credential checks and the Terraform AWS provider use it:
 * GetCallerIdentity from the JS SDK, boto3 and the aws CLI (root of the emulator account for an
 * unknown key, the identities file's principal for a known one, AWS's error for a bad signature),
 * AWS's error shape for actions kmskit does not emulate, and AssumeRole for roles of the identities.
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { EncryptCommand, KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';
import { runCommand } from '../helpers/run-command.js';
import { failure } from '../emulator/helpers.js';

const ACCOUNT = '111122223333';
const ALICE = { accessKeyId: 'AKIASTSALICE00000001', secretAccessKey: 'alice-secret', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/Deployer` }] }] };
const BOB = { accessKeyId: 'AKIASTSBOB0000000001', secretAccessKey: 'bob-secret', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, policies: [] };
const DEPLOYER = { arn: `arn:aws:iam::${ACCOUNT}:role/Deployer`, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:CreateKey', 'kms:Encrypt'], Resource: '*' }] }] };

let env: InProcessEmulator;
beforeAll(async () => {
  env = await startInProcessEmulator({ principals: [ALICE, BOB, DEPLOYER] });
});
afterAll(() => env?.stop());

type SdkError = Error & { $metadata: { httpStatusCode: number } };
const rejection = async (p: Promise<unknown>): Promise<SdkError> => (await failure(p)) as unknown as SdkError;

const sts = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => new STSClient({ endpoint: env.url, region: 'us-east-1', credentials, maxAttempts: 1 });

describe('GetCallerIdentity from the JS SDK (@aws-sdk/client-sts, query protocol)', () => {
  it('an access key the identities do not know is the root user of the emulator account', async () => {
    const out = await sts({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a principal of the identities file, its signature verified', async () => {
    const out = await sts(ALICE).send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: ACCOUNT, Arn: ALICE.arn });
    expect(out.UserId).toMatch(/^AIDA[A-Z2-7]{16}$/);
    // The id is stable: derived from the ARN, not random per call.
    expect((await sts(ALICE).send(new GetCallerIdentityCommand({}))).UserId).toBe(out.UserId);
  });

  it('a bad signature is SignatureDoesNotMatch (403) in STS error shape', async () => {
    const err = await rejection(sts({ accessKeyId: ALICE.accessKeyId, secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SignatureDoesNotMatch');
    expect(err.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  it('an STS action kmskit does not emulate answers InvalidAction, saying so', async () => {
    const err = await rejection(sts(BOB).send(new GetSessionTokenCommand({})));
    expect(err.name).toBe('InvalidAction');
    expect(err.message).toContain('kmskit does not emulate the STS action GetSessionToken');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});

describe('STS over plain HTTP', () => {
  const post = (body: string, headers: Record<string, string> = {}, path = '/'): Promise<{ status: number; type: string; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request(`${env.url}${path}`, { method: body ? 'POST' : 'GET', headers: body ? { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers } : headers }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('answers an unsigned form POST and a GET query string in XML', async () => {
    for (const r of [await post('Action=GetCallerIdentity&Version=2011-06-15'), await post('', {}, '/?Action=GetCallerIdentity&Version=2011-06-15')]) {
      expect(r.status).toBe(200);
      expect(r.type).toBe('text/xml');
      expect(r.body).toMatch(/^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
      expect(r.body).toContain(`<Arn>arn:aws:iam::${ACCOUNT}:root</Arn>`);
      expect(r.body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
    }
  });

  it('an unknown action, a missing action and a wrong version', async () => {
    const unknown = await post('Action=GetTheMoon&Version=2011-06-15');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('<Code>InvalidAction</Code>');
    expect(unknown.body).toContain('<Message>Could not find operation GetTheMoon for version 2011-06-15</Message>');
    expect(unknown.body).toContain('<Type>Sender</Type>');
    expect((await post('Version=2011-06-15')).body).toContain('<Code>MissingAction</Code>');
    expect((await post('Action=GetCallerIdentity&Version=2010-01-01')).body).toContain('Could not find operation GetCallerIdentity for version 2010-01-01');
  });
});

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const noBoto3 = probe.status !== 0 ? `boto3 is not importable (${(probe.stderr || String(probe.error)).trim().split('\n').pop()})` : undefined;
if (noBoto3) console.log(`skipping boto3 STS tests: ${noBoto3}`);

describe.skipIf(Boolean(noBoto3))('GetCallerIdentity from boto3', { timeout: 60_000 }, () => {
  const script = `
import boto3, json, sys, botocore.exceptions
c = boto3.client('sts', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
try:
    r = c.get_caller_identity()
    print(json.dumps({k: r[k] for k in ('Account', 'Arn', 'UserId')}))
except botocore.exceptions.ClientError as e:
    print(json.dumps({'error': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'message': e.response['Error']['Message']}))
`;
  const boto = async (key: string, secret: string) => {
    const r = await runCommand('python3', ['-c', script, env.url, key, secret], {});
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  it('root for an unknown key, the identity for a known one, SignatureDoesNotMatch for a bad signature', async () => {
    expect(await boto('AKIABOTOUNKNOWN00000', 'x')).toEqual({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT });
    expect(await boto(ALICE.accessKeyId, ALICE.secretAccessKey)).toMatchObject({ Account: ACCOUNT, Arn: ALICE.arn });
    expect(await boto(ALICE.accessKeyId, 'wrong')).toMatchObject({ error: 'SignatureDoesNotMatch', status: 403 });
  });
});

const cli = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 30_000 });
const noCli = cli.error ? `the aws CLI is not installed (${cli.error.message})` : cli.status !== 0 ? `\`aws --version\` failed: ${(cli.stderr || cli.stdout).trim().split('\n').pop()}` : undefined;
if (noCli) console.log(`skipping aws CLI STS tests: ${noCli}`);

describe.skipIf(Boolean(noCli))('aws sts get-caller-identity', { timeout: 60_000 }, () => {
  it('as an identity of the file, and with a bad signature', async () => {
    const args = ['sts', 'get-caller-identity', '--endpoint-url', env.url, '--region', 'us-east-1', '--output', 'json'];
    const ok = await runCommand('aws', args, { AWS_ACCESS_KEY_ID: BOB.accessKeyId, AWS_SECRET_ACCESS_KEY: BOB.secretAccessKey });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ Account: ACCOUNT, Arn: BOB.arn });
    const bad = await runCommand('aws', args, { AWS_ACCESS_KEY_ID: BOB.accessKeyId, AWS_SECRET_ACCESS_KEY: 'wrong' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('SignatureDoesNotMatch');
  });
});

describe('AssumeRole for a role of the identities', () => {
  it('gives session credentials that KMS and STS see as the assumed-role session, with the role policies', async () => {
    const out = await sts(ALICE).send(new AssumeRoleCommand({ RoleArn: DEPLOYER.arn, RoleSessionName: 'terraform', DurationSeconds: 900 }));
    const sessionArn = `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/terraform`;
    expect(out.AssumedRoleUser).toMatchObject({ Arn: sessionArn });
    expect(out.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{16}:terraform$/);
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.Expiration!.getTime() - Date.now()).toBeGreaterThan(800_000);
    expect(c.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000);
    const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };

    expect((await sts(creds).send(new GetCallerIdentityCommand({}))).Arn).toBe(sessionArn);
    const kms = new KMSClient({ endpoint: env.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    const events = env.emulator.audit.events().filter((e) => e.userIdentity.arn === sessionArn);
    expect(events.map((e) => e.eventName)).toEqual(['CreateKey', 'Encrypt']);
    // A wrong session token, or the right secret without a token, is refused.
    const noToken = new KMSClient({ endpoint: env.url, region: 'us-east-1', credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }, maxAttempts: 1 });
    await expect(noToken.send(new CreateKeyCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    await expect(sts({ ...creds, sessionToken: 'forged' }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('expired session credentials are ExpiredToken', async () => {
    const s = env.emulator.startSession(DEPLOYER.arn, 'old', -1)!;
    const creds = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken };
    await expect(sts(creds).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
    const kms = new KMSClient({ endpoint: env.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
    await expect(kms.send(new CreateKeyCommand({}))).rejects.toMatchObject({ name: 'ExpiredTokenException' });
  });

  it('refuses the root user, a caller whose policies do not allow sts:AssumeRole, and a role the identities do not hold', async () => {
    const root = await rejection(sts({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new AssumeRoleCommand({ RoleArn: DEPLOYER.arn, RoleSessionName: 's1' })));
    expect(root).toMatchObject({ name: 'AccessDenied', message: 'Roles may not be assumed by root accounts.' });
    await expect(sts(BOB).send(new AssumeRoleCommand({ RoleArn: DEPLOYER.arn, RoleSessionName: 's2' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: ${BOB.arn} is not authorized to perform: sts:AssumeRole on resource: ${DEPLOYER.arn}`,
    });
    const unknownRole = `arn:aws:iam::${ACCOUNT}:role/Nobody`;
    await expect(sts(ALICE).send(new AssumeRoleCommand({ RoleArn: unknownRole, RoleSessionName: 's3' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(sts(ALICE).send(new AssumeRoleCommand({ RoleArn: DEPLOYER.arn, RoleSessionName: 'x' }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
