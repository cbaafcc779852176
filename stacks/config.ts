/**
 * Typed environment configuration for the stacks: which account and regions they target, which
 * principals administer and use the keys, and the tags every resource carries.
 *
 * Values come from, in order of precedence: `KMSKIT_*` environment variables, the `context` block of
 * cdktf.json (keys `kmskit:<name>`), and the defaults below. The defaults are example values that
 * synth with no setup and match the emulator's default account, so `kmskit apply` and the demo work
 * out of the box; set real values before `cdktf deploy` (README, "Stacks").
 *
 * This file imports nothing from cdktf, so the CLI, the emulator loader and the demo can read the
 * defaults (e.g. the app role the stacks grant) without loading CDK for Terraform.
 */

export interface KmskitConfig {
  /** The AWS account the stacks deploy to. Used for the provider's allowed account, never in resources. */
  readonly account: string;
  /** Region of the provider and of every key except the replica. */
  readonly primaryRegion: string;
  /** Region of the multi-Region replica key. */
  readonly replicaRegion: string;
  /** Principals that administer the keys (key policy admin statement). */
  readonly adminArns: readonly string[];
  /**
   * The application roles the stacks grant use of the keys (key policy user statements, kms:ViaService
   * statements of the SSE helpers, and the `aws_kms_grant`s with encryption-context constraints).
   */
  readonly appRoleArns: readonly string[];
  /** The first of `appRoleArns`: the role `kmskit apply` and the demo encrypt and decrypt as. */
  readonly appRoleArn: string;
  /** The AWS Organizations id whose accounts may verify signatures with the signing key. */
  readonly orgId: string;
  /** Tags on every resource (the provider's default_tags). */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Where Terraform keeps state: unset means a local state file per stack (the default); a bucket
   * name means the S3 backend, key `kmskit/<stack>.tfstate` in `primaryRegion`, encrypted.
   */
  readonly stateBucket?: string;
  /**
   * Deploy to a local KMS endpoint instead of AWS: the URL of `kmskit serve` (e.g.
   * `http://127.0.0.1:4599`). Every AwsProvider of the stacks then sends KMS and STS calls there,
   * signs with the test credentials below and skips the checks that need AWS itself (see
   * {@link endpointProviderSettings}). Unset: AWS.
   */
  readonly endpoint?: string;
  /**
   * The credentials the providers sign with when `endpoint` is set: an access key of the emulator's
   * identities file (to deploy as that principal), else a test key the emulator treats as its
   * account's root user.
   */
  readonly endpointCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Access key the providers use against a local endpoint when none is configured (the emulator's root user). */
export const LOCAL_ENDPOINT_CREDENTIALS = Object.freeze({ accessKeyId: 'AKIAKMSKITLOCAL00000', secretAccessKey: 'kmskit-local-endpoint' });

/**
 * What an AwsProvider needs to deploy against a local endpoint: its `endpoints` for KMS and STS
 * (STS answers GetCallerIdentity, so the provider still validates the credentials and learns the
 * account id, and `allowed_account_ids` still holds), the test credentials, and the checks that
 * would reach AWS: the EC2 instance metadata lookup and the region list.
 */
export function endpointProviderSettings(config: Pick<KmskitConfig, 'endpoint' | 'endpointCredentials'>): {
  endpoints: Array<{ kms: string; sts: string }>;
  accessKey: string;
  secretKey: string;
  skipMetadataApiCheck: string;
  skipRegionValidation: boolean;
} | undefined {
  if (config.endpoint === undefined) return undefined;
  const credentials = config.endpointCredentials ?? LOCAL_ENDPOINT_CREDENTIALS;
  return {
    endpoints: [{ kms: config.endpoint, sts: config.endpoint }],
    accessKey: credentials.accessKeyId,
    secretKey: credentials.secretAccessKey,
    skipMetadataApiCheck: 'true',
    skipRegionValidation: true,
  };
}

/** Example values that synth without setup; the account is the emulator's default account. */
export const DEFAULT_CONFIG: KmskitConfig = Object.freeze({
  account: '111122223333',
  primaryRegion: 'us-east-1',
  replicaRegion: 'us-west-2',
  adminArns: Object.freeze(['arn:aws:iam::111122223333:role/kmskit-admin']),
  appRoleArns: Object.freeze(['arn:aws:iam::111122223333:role/kmskit-app']),
  appRoleArn: 'arn:aws:iam::111122223333:role/kmskit-app',
  orgId: 'o-a1b2c3d4e5',
  tags: Object.freeze({ project: 'kmskit', 'managed-by': 'cdktf' }),
});

/** Alias names of the platform keys KeyringStack declares (without the replica's, which shares the primary's). */
export const KEY_ALIASES = Object.freeze({
  data: 'alias/kmskit/data',
  signing: 'alias/kmskit/signing',
  hmac: 'alias/kmskit/hmac',
  multiRegion: 'alias/kmskit/multi-region',
});

/**
 * The encryption context the app role's grant on the data key requires (EncryptionContextSubset):
 * a request as the app role must carry these pairs, and may carry more.
 */
export const APP_ENCRYPTION_CONTEXT: Readonly<Record<string, string>> = Object.freeze({ app: 'kmskit' });

/** Names of the config values, as context keys (`kmskit:<name>`) and env variables (`KMSKIT_<NAME>`). */
const SETTINGS = {
  account: { context: 'kmskit:account', env: 'KMSKIT_ACCOUNT' },
  primaryRegion: { context: 'kmskit:primaryRegion', env: 'KMSKIT_PRIMARY_REGION' },
  replicaRegion: { context: 'kmskit:replicaRegion', env: 'KMSKIT_REPLICA_REGION' },
  adminArns: { context: 'kmskit:adminArns', env: 'KMSKIT_ADMIN_ARNS' },
  appRoleArns: { context: 'kmskit:appRoleArns', env: 'KMSKIT_APP_ROLE_ARNS' },
  orgId: { context: 'kmskit:orgId', env: 'KMSKIT_ORG_ID' },
  tags: { context: 'kmskit:tags', env: 'KMSKIT_TAGS' },
  stateBucket: { context: 'kmskit:stateBucket', env: 'KMSKIT_STATE_BUCKET' },
  endpoint: { context: 'kmskit:endpoint', env: 'KMSKIT_ENDPOINT' },
  endpointAccessKeyId: { context: 'kmskit:endpointAccessKeyId', env: 'KMSKIT_ENDPOINT_ACCESS_KEY_ID' },
  endpointSecretAccessKey: { context: 'kmskit:endpointSecretAccessKey', env: 'KMSKIT_ENDPOINT_SECRET_ACCESS_KEY' },
} as const;

export type ConfigSettingName = keyof typeof SETTINGS;

/** Where the configuration is read from. Both are optional so tests can pass exactly what they mean. */
export interface ConfigSources {
  /** Looks up a cdktf context value (e.g. `app.node.tryGetContext`). */
  readonly context?: (key: string) => unknown;
  /** Environment variables; `process.env` when omitted. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A configuration value that is malformed. The message names the setting, where it came from, and the value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const ACCOUNT_RE = /^\d{12}$/;
// Standard, China, GovCloud and ISO partitions: letters-dash-letters-dash-digit.
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const PRINCIPAL_ARN_RE = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|(user|role|assumed-role|group)\/[\w+=,.@\/-]+)$/;
const ORG_ID_RE = /^o-[a-z0-9]{10,32}$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACCESS_KEY_RE = /^[A-Z0-9]{16,128}$/;

/** Reads the configuration. Throws ConfigError (naming the setting, its source and the bad value) on malformed input. */
export function loadConfig(sources: ConfigSources = {}): KmskitConfig {
  const env = sources.env ?? process.env;
  const raw = (name: ConfigSettingName): { value: unknown; from: string } | undefined => {
    const setting = SETTINGS[name];
    const fromEnv = env[setting.env];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, from: `environment variable ${setting.env}` };
    const fromContext = sources.context?.(setting.context);
    if (fromContext !== undefined && fromContext !== null && fromContext !== '') {
      return { value: fromContext, from: `cdktf.json context "${setting.context}"` };
    }
    return undefined;
  };

  const str = (name: ConfigSettingName, re: RegExp, what: string, fallback: string): string => {
    const got = raw(name);
    if (!got) return fallback;
    if (typeof got.value !== 'string' || !re.test(got.value)) {
      throw new ConfigError(`${name} (from ${got.from}) must be ${what}, got ${JSON.stringify(got.value)}`);
    }
    return got.value;
  };

  const arns = (name: ConfigSettingName, fallback: readonly string[]): readonly string[] => {
    const got = raw(name);
    if (!got) return fallback;
    let list: unknown = got.value;
    if (typeof list === 'string') {
      const text = list.trim();
      list = text.startsWith('[') ? tryJson(text) : text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    }
    if (!Array.isArray(list) || list.length === 0) {
      throw new ConfigError(`${name} (from ${got.from}) must be a non-empty list of IAM principal ARNs (JSON array or comma-separated), got ${JSON.stringify(got.value)}`);
    }
    for (const arn of list) {
      if (typeof arn !== 'string' || !PRINCIPAL_ARN_RE.test(arn)) {
        throw new ConfigError(`${name} (from ${got.from}) must hold IAM principal ARNs like arn:aws:iam::111122223333:role/name, got ${JSON.stringify(arn)}`);
      }
    }
    return Object.freeze([...(list as string[])]);
  };

  const tags = (): Readonly<Record<string, string>> => {
    const got = raw('tags');
    if (!got) return DEFAULT_CONFIG.tags;
    let value: unknown = got.value;
    if (typeof value === 'string') {
      const text = value.trim();
      if (text.startsWith('{')) value = tryJson(text);
      else {
        const pairs: Record<string, string> = {};
        for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
          const eq = part.indexOf('=');
          if (eq <= 0) throw new ConfigError(`tags (from ${got.from}) must be key=value pairs separated by commas or a JSON object, got ${JSON.stringify(got.value)}`);
          pairs[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
        }
        value = pairs;
      }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
      throw new ConfigError(`tags (from ${got.from}) must be an object of string values, got ${JSON.stringify(got.value)}`);
    }
    return Object.freeze({ ...(value as Record<string, string>) });
  };

  const primaryRegion = str('primaryRegion', REGION_RE, 'an AWS region name like us-east-1', DEFAULT_CONFIG.primaryRegion);
  const replicaRegion = str('replicaRegion', REGION_RE, 'an AWS region name like us-west-2', DEFAULT_CONFIG.replicaRegion);
  if (primaryRegion === replicaRegion) {
    throw new ConfigError(`replicaRegion must differ from primaryRegion (a multi-Region replica lives in another region), got ${JSON.stringify(replicaRegion)} for both`);
  }
  const appRoleArns = arns('appRoleArns', DEFAULT_CONFIG.appRoleArns);
  const stateBucket = raw('stateBucket') ? str('stateBucket', BUCKET_RE, 'an S3 bucket name', '') : undefined;
  const endpoint = endpointUrl(raw('endpoint'));
  const accessKeyId = raw('endpointAccessKeyId') ? str('endpointAccessKeyId', ACCESS_KEY_RE, 'an access key id (16–128 letters and digits)', '') : undefined;
  const secretAccessKey = raw('endpointSecretAccessKey') ? str('endpointSecretAccessKey', /^\S+$/, 'a secret access key', '') : undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError(`endpointAccessKeyId and endpointSecretAccessKey go together (set both, or neither for the emulator's root user); got only ${accessKeyId !== undefined ? 'endpointAccessKeyId' : 'endpointSecretAccessKey'}`);
  }
  if (accessKeyId !== undefined && endpoint === undefined) throw new ConfigError('endpointAccessKeyId is set but endpoint is not: the credentials are only for a local endpoint (KMSKIT_ENDPOINT)');
  return Object.freeze({
    account: str('account', ACCOUNT_RE, 'a 12-digit AWS account id', DEFAULT_CONFIG.account),
    primaryRegion,
    replicaRegion,
    adminArns: arns('adminArns', DEFAULT_CONFIG.adminArns),
    appRoleArns,
    appRoleArn: appRoleArns[0] ?? DEFAULT_CONFIG.appRoleArn,
    orgId: str('orgId', ORG_ID_RE, 'an AWS Organizations id like o-a1b2c3d4e5', DEFAULT_CONFIG.orgId),
    tags: tags(),
    ...(stateBucket !== undefined ? { stateBucket } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { endpointCredentials: Object.freeze({ accessKeyId, secretAccessKey }) } : {}),
  });
}

/** The endpoint setting: an http(s) URL with a host and nothing after the port. */
function endpointUrl(got: { value: unknown; from: string } | undefined): string | undefined {
  if (!got) return undefined;
  const fail = (): never => {
    throw new ConfigError(`endpoint (from ${got.from}) must be an http:// or https:// URL of the emulator like http://127.0.0.1:4599, got ${JSON.stringify(got.value)}`);
  };
  if (typeof got.value !== 'string') return fail();
  let url: URL;
  try {
    url = new URL(got.value);
  } catch {
    return fail();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) return fail();
  return `${url.protocol}//${url.host}`;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
