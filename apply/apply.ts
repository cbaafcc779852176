/**
 * `kmskit apply`: load the KMS resources of infrastructure code into an emulator, with their real
 * key policies, so tests run against exactly the keys the code declares. Whatever `kmskit lint`
 * reads (through iac/: cdktf.out, a plain Terraform folder, a CloudFormation template, cdk.out, ...),
 * this can apply.
 *
 * Resources: keys, replica keys, external keys (imported key material, as the Terraform provider
 * does it: CreateKey with Origin EXTERNAL, GetParametersForImport, ImportKeyMaterial), key policies,
 * aliases and grants. References between them are resolved, plus the own account
 * (`data.aws_caller_identity`, `AWS::AccountId`: the emulator's account), regions, the partition,
 * variables and CloudFormation parameters with defaults, and the ARNs of the few other resource
 * types a key policy names. What stays unknown is an error naming the expression and its place.
 *
 * Idempotence: every key this creates carries the tag `kmskit:address` = `<stack>/<address>`; a later
 * apply finds the key by that tag and updates it in place (policy, description, rotation, enabled,
 * tags) instead of creating another. Aliases are found by name, grants by name (or by grantee +
 * operations + constraints when unnamed), key policies are compared with GetKeyPolicy.
 *
 * It speaks the AWS JSON wire form through a `KmsTransport`: in-process (`emulator.send`) or over
 * HTTP to `kmskit serve` (SigV4-signed with this module's own signer, so no SDK is loaded).
 */
import { constants, createHash, createPublicKey, publicEncrypt } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { computeSignature, parseAuthorization } from '../emulator/protocols/sigv4.js';
import { asKmsError, type WireEmulator } from '../emulator/protocols/wire.js';
import { KmsError } from '../emulator/core/errors.js';
import { readInputs, SourceError, SUPPORTED_INPUTS } from '../iac/load.js';
import type { IacUnit, IacValue, KmsResource } from '../iac/model.js';
import { isKey } from '../iac/model.js';
import { render, renderText } from '../iac/render.js';
import { member, someValue } from '../iac/values.js';

export const ADDRESS_TAG = 'kmskit:address';

/** A problem with the input; the message names the file and what is wrong. */
export class TerraformInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformInputError';
  }
}

export const KMS_RESOURCE_TYPES = ['aws_kms_key', 'aws_kms_external_key', 'aws_kms_replica_key', 'aws_kms_key_policy', 'aws_kms_alias', 'aws_kms_grant'] as const;
export type KmsResourceType = (typeof KMS_RESOURCE_TYPES)[number];

/** The model's kind → the Terraform type apply reports (CloudFormation resources are named the same way). */
const TYPE_OF: Record<KmsResource['kind'], KmsResourceType | undefined> = {
  key: 'aws_kms_key',
  'external-key': 'aws_kms_external_key',
  'replica-key': 'aws_kms_replica_key',
  'replica-external-key': undefined,
  'key-policy': 'aws_kms_key_policy',
  alias: 'aws_kms_alias',
  grant: 'aws_kms_grant',
  policy: undefined,
};

/** One KMS operation in wire form, in a region. Errors are thrown as KmsError. */
export type KmsTransport = (operation: string, input: object, region: string) => Promise<Record<string, unknown>>;

export interface ApplyEntry {
  stack: string;
  /** Terraform address (`<type>.<name>`) or CloudFormation logical id. */
  address: string;
  type: KmsResourceType;
  action: 'created' | 'updated' | 'unchanged';
  /** Key ARN, alias name, or `grant <id>` . */
  id: string;
  region: string;
  /** The key ARN the resource is or belongs to. */
  keyArn?: string;
  notes?: string[];
}

export interface ApplyResult {
  account: string;
  created: ApplyEntry[];
  updated: ApplyEntry[];
  unchanged: ApplyEntry[];
  /** Every KMS resource, in the order applied. */
  resources: ApplyEntry[];
  /** Non-KMS resources skipped, by type. */
  skipped: Record<string, number>;
}

export interface ApplyOptions {
  /** Anything `kmskit lint` reads: cdktf.out, stack folders, cdk.tf.json, Terraform folders, CloudFormation templates, cdk.out. */
  paths: string[];
  /** Apply in-process to this emulator... */
  emulator?: WireEmulator;
  /** ...or over HTTP to this `kmskit serve` endpoint. */
  endpoint?: string;
  /** Credentials to sign HTTP requests with (default: an access key no identity maps, i.e. the account root). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Account for the own-account references when the endpoint does not say (default 111122223333). */
  account?: string;
  /** Largest input file, in bytes. */
  maxFileBytes?: number;
}

/** Loads the inputs' KMS resources into the emulator. Throws TerraformInputError for bad input. */
export async function applyStacks(options: ApplyOptions): Promise<ApplyResult> {
  let transport: KmsTransport;
  let account: string;
  let defaultRegion: string;
  if (options.emulator) {
    const emulator = options.emulator;
    transport = (op, input, region) => emulator.send(op, input, { region }) as Promise<Record<string, unknown>>;
    account = emulator.account;
    defaultRegion = emulator.region;
  } else if (options.endpoint) {
    const info = await endpointInfo(options.endpoint);
    transport = httpTransport(options.endpoint, options.credentials ?? { accessKeyId: 'KMSKITAPPLY', secretAccessKey: 'kmskit-apply' });
    account = info.account ?? options.account ?? '111122223333';
    defaultRegion = info.region ?? 'us-east-1';
  } else {
    throw new TypeError('applyStacks needs an emulator or an endpoint');
  }
  const read = readInputs;
  let model;
  try {
    model = await read(options.paths, { account, ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}), raiseHint: (mb) => `raise it with --max-file-size ${mb}` });
  } catch (e) {
    if (e instanceof SourceError) throw new TerraformInputError(e.message);
    throw e;
  }
  // Half-read input would create half the keys: every problem stops the apply before anything is created.
  if (model.problems.length > 0) {
    throw new TerraformInputError(model.problems.map((p) => `${p.at.file}:${p.at.line}:${p.at.column}: ${p.message.startsWith(p.at.file) ? p.message.slice(p.at.file.length + 2) : p.message}`).join('\n'));
  }
  const units = model.units.filter((u) => u.input !== 'policy' && u.input !== 'terraform-plan' && u.input !== 'terraform-state');
  if (units.length === 0) {
    const kinds = [...new Set(model.units.map((u) => u.input))];
    throw new TerraformInputError(
      kinds.length > 0
        ? `${options.paths.join(', ')}: nothing to apply (${kinds.join(', ')} inputs describe no configuration to create; apply reads cdktf.out, Terraform folders and files, CloudFormation templates, cdk.out)`
        : `${options.paths.join(', ')}: no supported input (kmskit reads ${SUPPORTED_INPUTS})`,
    );
  }
  const result: ApplyResult = { account, created: [], updated: [], unchanged: [], resources: [], skipped: {} };
  const applier = new Applier(transport, account, defaultRegion);
  for (const unit of units) await applier.applyUnit(unit, result);
  for (const e of result.resources) result[e.action].push(e);
  return result;
}

/** A `kmskit serve` endpoint's account and region, from its /health route (absent for other servers). */
async function endpointInfo(endpoint: string): Promise<{ account?: string; region?: string }> {
  try {
    const res = await rawHttp(new URL('/health', endpoint), 'GET', {}, Buffer.alloc(0));
    const body = JSON.parse(res.body) as { account?: unknown; region?: unknown };
    return {
      ...(typeof body.account === 'string' ? { account: body.account } : {}),
      ...(typeof body.region === 'string' ? { region: body.region } : {}),
    };
  } catch (e) {
    if (e instanceof SyntaxError) return {};
    throw new TerraformInputError(`cannot reach the emulator at ${endpoint}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** AWS JSON 1.1 over HTTP, SigV4-signed, errors rethrown as KmsError. */
export function httpTransport(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): KmsTransport {
  const url = new URL('/', endpoint);
  return async (operation, input, region) => {
    const body = Buffer.from(JSON.stringify(input), 'utf8');
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-date': amzDate,
      'x-amz-target': `TrentService.${operation}`,
    };
    const signed = 'content-type;host;x-amz-date;x-amz-target';
    const scope = `${amzDate.slice(0, 8)}/${region}/kms/aws4_request`;
    const draft = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=00`;
    const auth = parseAuthorization(draft)!;
    const signature = computeSignature({ method: 'POST', url: '/', headers, body }, auth, credentials.secretAccessKey, amzDate);
    headers.authorization = draft.replace(/Signature=00$/, `Signature=${signature}`);
    const res = await rawHttp(url, 'POST', headers, body);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      throw new KmsError('KMSInternalException', `${endpoint} answered ${operation} with status ${res.status} and a body that is not JSON`);
    }
    if (res.status >= 300) {
      const type = String(parsed.__type ?? res.headers['x-amzn-errortype'] ?? 'KMSInternalException').split('#').pop()!;
      throw new KmsError(type, String(parsed.message ?? parsed.Message ?? `status ${res.status}`), { httpStatus: res.status });
    }
    return parsed;
  };
}

function rawHttp(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

interface Created {
  keyId?: string;
  arn?: string;
  region: string;
  name?: string;
  grantId?: string;
  grantToken?: string;
}

interface KeyInfo {
  keyId: string;
  arn: string;
}

class Applier {
  /** Per region: kmskit:address → live key. */
  private readonly tagged = new Map<string, Map<string, KeyInfo>>();

  constructor(
    private readonly send: KmsTransport,
    private readonly account: string,
    private readonly defaultRegion: string,
  ) {}

  async applyUnit(unit: IacUnit, result: ApplyResult): Promise<void> {
    for (const [type, n] of Object.entries(unit.otherResources)) result.skipped[type] = (result.skipped[type] ?? 0) + n;
    const created = new Map<string, Created>();
    const byAddress = new Map(unit.resources.map((r) => [r.address, r]));
    for (const r of order(unit.resources)) {
      const type = TYPE_OF[r.kind];
      if (type === undefined) {
        result.skipped[r.sourceType] = (result.skipped[r.sourceType] ?? 0) + 1;
        continue;
      }
      const where = `${r.file}:${r.at.line}:${r.at.column}: ${r.address}`;
      const resolver = new Resolver(unit, byAddress, created, this.account, this.defaultRegion, where);
      const region = resolver.region(r);
      const config: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(r.attributes)) {
        if (name === 'policy') continue;
        const v = resolver.value(value, name);
        if (v !== undefined) config[name] = v;
      }
      const policy = resolver.policy(r);
      if (policy !== undefined) config.policy = policy;
      const ctx: ResourceContext = {
        stack: r.stack ?? unit.name,
        file: r.file,
        address: r.address,
        type,
        region,
        defaultTags: resolver.defaultTags(r),
        config,
        policyManaged: isKey(r) && r.policyManagedElsewhere === true,
      };
      let entry: ApplyEntry;
      try {
        entry = await this.applyResource(type, ctx, created);
      } catch (e) {
        const kms = asKmsError(e);
        if (kms) throw new TerraformInputError(`${where}: ${kms.code}: ${kms.message}`);
        throw e;
      }
      result.resources.push(entry);
    }
  }

  private async applyResource(type: KmsResourceType, ctx: ResourceContext, created: Map<string, Created>): Promise<ApplyEntry> {
    switch (type) {
      case 'aws_kms_key':
        return this.key(ctx, created);
      case 'aws_kms_external_key':
        return this.externalKey(ctx, created);
      case 'aws_kms_replica_key':
        return this.replicaKey(ctx, created);
      case 'aws_kms_key_policy':
        return this.keyPolicy(ctx, created);
      case 'aws_kms_alias':
        return this.alias(ctx, created);
      case 'aws_kms_grant':
        return this.grant(ctx, created);
    }
  }

  /**
   * A key for imported key material, created as the Terraform provider creates aws_kms_external_key:
   * CreateKey with Origin EXTERNAL; when `key_material_base64` is set, GetParametersForImport
   * (RSAES_OAEP_SHA_256, RSA_2048), the material wrapped with the returned public key, and
   * ImportKeyMaterial (expiring at `valid_to` when set); then DisableKey when `enabled = false`.
   */
  private async externalKey(ctx: ResourceContext, created: Map<string, Created>): Promise<ApplyEntry> {
    const c = ctx.config;
    const window = optionalInt(c, 'deletion_window_in_days', ctx, [7, 30]);
    const tags = this.tags(ctx);
    const material = str(c.key_material_base64);
    const validTo = str(c.valid_to);
    if (material !== undefined && !/^[A-Za-z0-9+/]+={0,2}$/.test(material)) fail(ctx, 'key_material_base64 must be base64');
    if (validTo !== undefined && Number.isNaN(Date.parse(validTo))) fail(ctx, `valid_to must be an RFC 3339 timestamp, got ${JSON.stringify(validTo)}`);
    const existing = (await this.taggedKeys(ctx.region)).get(tagValue(ctx));
    let keyId: string;
    let arn: string;
    let action: ApplyEntry['action'];
    const notes: string[] = [];
    if (!existing) {
      const out = await this.send(
        'CreateKey',
        omitUndefined({
          Origin: 'EXTERNAL',
          Description: str(c.description),
          KeyUsage: str(c.key_usage) ?? 'ENCRYPT_DECRYPT',
          KeySpec: str(c.key_spec) ?? str(c.customer_master_key_spec),
          Policy: ctx.policyManaged ? undefined : policyText(c.policy, ctx),
          BypassPolicyLockoutSafetyCheck: bool(c.bypass_policy_lockout_safety_check),
          MultiRegion: bool(c.multi_region),
          Tags: tagList(tags),
        }),
        ctx.region,
      );
      ({ keyId, arn } = await this.remember(ctx, out.KeyMetadata));
      action = 'created';
    } else {
      ({ keyId, arn } = existing);
      action = (await this.reconcileKey(ctx, keyId, tags, notes, {})) ? 'updated' : 'unchanged';
    }
    const meta = (await this.send('DescribeKey', { KeyId: keyId }, ctx.region)).KeyMetadata as Record<string, unknown>;
    if (material !== undefined && meta.KeyState === 'PendingImport') {
      await this.importMaterial(keyId, material, validTo, ctx.region);
      if (action === 'unchanged') action = 'updated';
      if (c.enabled === false) await this.send('DisableKey', { KeyId: keyId }, ctx.region);
    } else if (material === undefined && meta.KeyState === 'PendingImport') {
      notes.push('pending import: no key_material_base64');
    }
    return this.keyEntry(ctx, created, action, { keyId, arn }, window, notes);
  }

  private async importMaterial(keyId: string, materialBase64: string, validTo: string | undefined, region: string): Promise<void> {
    const params = await this.send('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }, region);
    const publicKey = createPublicKey({ key: Buffer.from(String(params.PublicKey), 'base64'), format: 'der', type: 'spki' });
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(materialBase64, 'base64'));
    await this.send(
      'ImportKeyMaterial',
      omitUndefined({
        KeyId: keyId,
        ImportToken: params.ImportToken,
        EncryptedKeyMaterial: wrapped.toString('base64'),
        ExpirationModel: validTo !== undefined ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        ValidTo: validTo !== undefined ? Math.floor(Date.parse(validTo) / 1000) : undefined,
      }),
      region,
    );
  }

  private async key(ctx: ResourceContext, created: Map<string, Created>): Promise<ApplyEntry> {
    const c = ctx.config;
    const window = optionalInt(c, 'deletion_window_in_days', ctx, [7, 30]);
    const period = optionalInt(c, 'rotation_period_in_days', ctx, [90, 2560]);
    const tags = this.tags(ctx);
    const existing = (await this.taggedKeys(ctx.region)).get(tagValue(ctx));
    let keyId: string;
    let arn: string;
    let action: ApplyEntry['action'];
    const notes: string[] = [];
    if (!existing) {
      const out = await this.send(
        'CreateKey',
        omitUndefined({
          Description: str(c.description),
          KeyUsage: str(c.key_usage),
          KeySpec: str(c.customer_master_key_spec),
          Policy: policyText(c.policy, ctx),
          BypassPolicyLockoutSafetyCheck: bool(c.bypass_policy_lockout_safety_check),
          MultiRegion: bool(c.multi_region),
          Tags: tagList(tags),
        }),
        ctx.region,
      );
      ({ keyId, arn } = await this.remember(ctx, out.KeyMetadata));
      action = 'created';
      if (c.enable_key_rotation === true) await this.send('EnableKeyRotation', omitUndefined({ KeyId: keyId, RotationPeriodInDays: period }), ctx.region);
      if (c.is_enabled === false) await this.send('DisableKey', { KeyId: keyId }, ctx.region);
    } else {
      ({ keyId, arn } = existing);
      const changed = await this.reconcileKey(ctx, keyId, tags, notes, {
        rotation: c.enable_key_rotation === true,
        ...(period !== undefined ? { period } : {}),
        ...(typeof c.customer_master_key_spec === 'string' ? { spec: c.customer_master_key_spec } : {}),
        ...(typeof c.key_usage === 'string' ? { usage: c.key_usage } : {}),
      });
      action = changed ? 'updated' : 'unchanged';
    }
    return this.keyEntry(ctx, created, action, { keyId, arn }, window, notes);
  }

  /** A key this run just made (CreateKey's KeyMetadata, ReplicateKey's ReplicaKeyMetadata), remembered under its resource's address tag. */
  private async remember(ctx: ResourceContext, metadata: unknown): Promise<{ keyId: string; arn: string }> {
    const meta = metadata as Record<string, unknown>;
    const made = { keyId: String(meta.KeyId), arn: String(meta.Arn) };
    (await this.taggedKeys(ctx.region)).set(tagValue(ctx), made);
    return made;
  }

  /** A key resource's entry, its deletion window noted; the key is recorded for the resources that refer to it. */
  private keyEntry(ctx: ResourceContext, created: Map<string, Created>, action: ApplyEntry['action'], key: { keyId: string; arn: string }, window: number | undefined, notes: string[]): ApplyEntry {
    if (window !== undefined) notes.push(`deletion window ${window} days`);
    created.set(ctx.address, { ...key, region: ctx.region });
    return entry(ctx, action, key.arn, key.arn, notes);
  }

  /** Brings an existing key in line with its configuration; true when anything changed. */
  private async reconcileKey(
    ctx: ResourceContext,
    keyId: string,
    tags: Record<string, string>,
    notes: string[],
    want: { rotation?: boolean; period?: number; spec?: string; usage?: string },
  ): Promise<boolean> {
    const c = ctx.config;
    let changed = false;
    const meta = (await this.send('DescribeKey', { KeyId: keyId }, ctx.region)).KeyMetadata as Record<string, unknown>;
    if (want.spec && meta.KeySpec !== want.spec) notes.push(`key spec ${String(meta.KeySpec)} differs from ${want.spec}: Terraform would replace the key; kmskit apply does not`);
    if (want.usage && meta.KeyUsage !== want.usage) notes.push(`key usage ${String(meta.KeyUsage)} differs from ${want.usage}: not changed`);
    const description = str(c.description) ?? '';
    if ((meta.Description ?? '') !== description) {
      await this.send('UpdateKeyDescription', { KeyId: keyId, Description: description }, ctx.region);
      changed = true;
    }
    const policy = ctx.policyManaged ? undefined : policyText(c.policy, ctx);
    if (policy !== undefined) {
      const current = (await this.send('GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' }, ctx.region)).Policy;
      if (!sameJson(current, policy)) {
        await this.send('PutKeyPolicy', omitUndefined({ KeyId: keyId, PolicyName: 'default', Policy: policy, BypassPolicyLockoutSafetyCheck: bool(c.bypass_policy_lockout_safety_check) }), ctx.region);
        changed = true;
      }
    }
    // Rotation is a property of the primary; replicas follow it, and only symmetric keys rotate.
    if (want.rotation !== undefined && meta.KeySpec === 'SYMMETRIC_DEFAULT' && !isReplica(meta)) {
      const status = await this.send('GetKeyRotationStatus', { KeyId: keyId }, ctx.region);
      if (want.rotation && (status.KeyRotationEnabled !== true || (want.period !== undefined && status.RotationPeriodInDays !== want.period))) {
        await this.send('EnableKeyRotation', omitUndefined({ KeyId: keyId, RotationPeriodInDays: want.period }), ctx.region);
        changed = true;
      } else if (!want.rotation && status.KeyRotationEnabled === true) {
        await this.send('DisableKeyRotation', { KeyId: keyId }, ctx.region);
        changed = true;
      }
    }
    const enabledWanted = (c.is_enabled ?? c.enabled) !== false;
    if (meta.KeyState === 'Enabled' && !enabledWanted) {
      await this.send('DisableKey', { KeyId: keyId }, ctx.region);
      changed = true;
    } else if (meta.KeyState === 'Disabled' && enabledWanted) {
      await this.send('EnableKey', { KeyId: keyId }, ctx.region);
      changed = true;
    }
    const currentTags = new Map(
      ((await this.send('ListResourceTags', { KeyId: keyId, Limit: 50 }, ctx.region)).Tags as Array<{ TagKey: string; TagValue: string }> | undefined)?.map(
        (t) => [t.TagKey, t.TagValue],
      ) ?? [],
    );
    const missing = Object.entries(tags).filter(([k, v]) => currentTags.get(k) !== v);
    if (missing.length > 0) {
      await this.send('TagResource', { KeyId: keyId, Tags: tagList(Object.fromEntries(missing)) }, ctx.region);
      changed = true;
    }
    // As Terraform does, tags the configuration (with the provider's default_tags) does not name go.
    const extra = [...currentTags.keys()].filter((k) => !(k in tags));
    if (extra.length > 0) {
      await this.send('UntagResource', { KeyId: keyId, TagKeys: extra }, ctx.region);
      changed = true;
    }
    return changed;
  }

  private async replicaKey(ctx: ResourceContext, created: Map<string, Created>): Promise<ApplyEntry> {
    const c = ctx.config;
    const primary = str(c.primary_key_arn);
    if (!primary || !primary.startsWith('arn:')) fail(ctx, `primary_key_arn must be a key ARN, got ${JSON.stringify(c.primary_key_arn)}`);
    const primaryRegion = primary.split(':')[3] ?? this.defaultRegion;
    const window = optionalInt(c, 'deletion_window_in_days', ctx, [7, 30]);
    const tags = this.tags(ctx);
    const existing = (await this.taggedKeys(ctx.region)).get(tagValue(ctx));
    let keyId: string;
    let arn: string;
    let action: ApplyEntry['action'];
    const notes: string[] = [];
    if (!existing) {
      const out = await this.send(
        'ReplicateKey',
        omitUndefined({
          KeyId: primary,
          ReplicaRegion: ctx.region,
          Description: str(c.description),
          Policy: policyText(c.policy, ctx),
          BypassPolicyLockoutSafetyCheck: bool(c.bypass_policy_lockout_safety_check),
          Tags: tagList(tags),
        }),
        primaryRegion,
      );
      ({ keyId, arn } = await this.remember(ctx, out.ReplicaKeyMetadata));
      action = 'created';
      if (c.enabled === false) await this.send('DisableKey', { KeyId: arn }, ctx.region);
    } else {
      ({ keyId, arn } = existing);
      action = (await this.reconcileKey(ctx, arn, tags, notes, {})) ? 'updated' : 'unchanged';
    }
    return this.keyEntry(ctx, created, action, { keyId, arn }, window, notes);
  }

  private async keyPolicy(ctx: ResourceContext, created: Map<string, Created>): Promise<ApplyEntry> {
    const c = ctx.config;
    const keyId = str(c.key_id);
    if (!keyId) fail(ctx, 'key_id is required');
    const region = regionFromArn(keyId) ?? ctx.region;
    const policy = policyText(c.policy, ctx);
    if (policy === undefined) fail(ctx, 'policy is required');
    const meta = (await this.send('DescribeKey', { KeyId: keyId }, region)).KeyMetadata as Record<string, unknown>;
    const arn = String(meta.Arn);
    const current = (await this.send('GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' }, region)).Policy;
    let action: ApplyEntry['action'] = 'unchanged';
    if (!sameJson(current, policy)) {
      await this.send('PutKeyPolicy', omitUndefined({ KeyId: keyId, PolicyName: 'default', Policy: policy, BypassPolicyLockoutSafetyCheck: bool(c.bypass_policy_lockout_safety_check) }), region);
      action = 'updated';
    }
    created.set(ctx.address, { keyId: String(meta.KeyId), arn, region });
    return { ...entry(ctx, action, arn, arn), region };
  }

  private async alias(ctx: ResourceContext, created: Map<string, Created>): Promise<ApplyEntry> {
    const c = ctx.config;
    let name = str(c.name);
    if (!name) {
      const prefix = str(c.name_prefix);
      if (!prefix) fail(ctx, 'name or name_prefix is required');
      name = `${prefix}${createHash('sha256').update(`${ctx.stack}/${ctx.address}`).digest('hex').slice(0, 26)}`;
    }
    if (!name.startsWith('alias/')) fail(ctx, `name must start with alias/, got ${JSON.stringify(name)}`);
    const target = str(c.target_key_id);
    if (!target) fail(ctx, 'target_key_id is required');
    const region = regionFromArn(target) ?? ctx.region;
    const targetMeta = (await this.send('DescribeKey', { KeyId: target }, region)).KeyMetadata as Record<string, unknown>;
    const targetKeyId = String(targetMeta.KeyId);
    const aliases = await this.paginate('ListAliases', 'Aliases', {}, region);
    const existing = aliases.find((a) => a.AliasName === name);
    let action: ApplyEntry['action'];
    if (!existing) {
      await this.send('CreateAlias', { AliasName: name, TargetKeyId: targetKeyId }, region);
      action = 'created';
    } else if (existing.TargetKeyId !== targetKeyId) {
      await this.send('UpdateAlias', { AliasName: name, TargetKeyId: targetKeyId }, region);
      action = 'updated';
    } else {
      action = 'unchanged';
    }
    const arn = `arn:aws:kms:${region}:${this.account}:${name}`;
    created.set(ctx.address, { name, arn, keyId: targetKeyId, region });
    return { ...entry(ctx, action, name, String(targetMeta.Arn)), region };
  }

  private async grant(ctx: ResourceContext, created: Map<string, Created>): Promise<ApplyEntry> {
    const c = ctx.config;
    const keyId = str(c.key_id);
    const grantee = str(c.grantee_principal);
    const operations = c.operations;
    if (!keyId) fail(ctx, 'key_id is required');
    if (!grantee) fail(ctx, 'grantee_principal is required');
    if (!Array.isArray(operations) || operations.length === 0 || !operations.every((o) => typeof o === 'string')) {
      fail(ctx, 'operations must be a non-empty list of KMS operation names');
    }
    const region = regionFromArn(keyId) ?? ctx.region;
    const meta = (await this.send('DescribeKey', { KeyId: keyId }, region)).KeyMetadata as Record<string, unknown>;
    const keyArn = String(meta.Arn);
    const block = (Array.isArray(c.constraints) ? c.constraints[0] : c.constraints) as Record<string, unknown> | undefined;
    const constraints = block
      ? omitUndefined({
          EncryptionContextEquals: block.encryption_context_equals as Record<string, string> | undefined,
          EncryptionContextSubset: block.encryption_context_subset as Record<string, string> | undefined,
        })
      : undefined;
    const name = str(c.name);
    const grants = await this.paginate('ListGrants', 'Grants', { KeyId: keyArn }, region);
    const sorted = (ops: unknown) => JSON.stringify([...((ops as string[]) ?? [])].sort());
    const same = grants.find(
      (g) =>
        (name === undefined || g.Name === name) &&
        g.GranteePrincipal === grantee &&
        sorted(g.Operations) === sorted(operations) &&
        sameJson(JSON.stringify(g.Constraints ?? {}), JSON.stringify(constraints ?? {})),
    );
    let grantId: string;
    let grantToken: string | undefined;
    let action: ApplyEntry['action'];
    if (same) {
      grantId = String(same.GrantId);
      action = 'unchanged';
    } else {
      const out = await this.send(
        'CreateGrant',
        omitUndefined({
          KeyId: keyArn,
          GranteePrincipal: grantee,
          Operations: operations,
          RetiringPrincipal: str(c.retiring_principal),
          Constraints: constraints && Object.keys(constraints).length > 0 ? constraints : undefined,
          GrantTokens: Array.isArray(c.grant_creation_tokens) ? c.grant_creation_tokens : undefined,
          Name: name,
        }),
        region,
      );
      grantId = String(out.GrantId);
      grantToken = str(out.GrantToken);
      action = 'created';
    }
    created.set(ctx.address, { grantId, ...(grantToken ? { grantToken } : {}), keyId: String(meta.KeyId), arn: keyArn, region });
    return { ...entry(ctx, action, `grant ${grantId}`, keyArn), region };
  }

  private tags(ctx: ResourceContext): Record<string, string> {
    const own = (ctx.config.tags ?? {}) as Record<string, unknown>;
    const out: Record<string, string> = { ...ctx.defaultTags };
    for (const [k, v] of Object.entries(own)) if (v !== undefined && v !== null) out[k] = String(v);
    out[ADDRESS_TAG] = tagValue(ctx);
    return out;
  }

  /** Live keys of a region that carry the address tag (PendingDeletion ones do not count). */
  private async taggedKeys(region: string): Promise<Map<string, KeyInfo>> {
    let map = this.tagged.get(region);
    if (map) return map;
    map = new Map();
    for (const k of await this.paginate('ListKeys', 'Keys', {}, region)) {
      const keyId = String(k.KeyId);
      const meta = (await this.send('DescribeKey', { KeyId: keyId }, region)).KeyMetadata as Record<string, unknown>;
      if (meta.KeyManager === 'AWS' || String(meta.KeyState).startsWith('Pending')) continue;
      const tags = (await this.send('ListResourceTags', { KeyId: keyId, Limit: 50 }, region)).Tags as Array<{ TagKey: string; TagValue: string }> | undefined;
      const address = tags?.find((t) => t.TagKey === ADDRESS_TAG)?.TagValue;
      if (address && !map.has(address)) map.set(address, { keyId, arn: String(meta.Arn) });
    }
    this.tagged.set(region, map);
    return map;
  }

  private async paginate(op: string, field: string, input: object, region: string): Promise<Array<Record<string, unknown>>> {
    const all: Array<Record<string, unknown>> = [];
    let marker: string | undefined;
    for (let i = 0; i < 10_000; i++) {
      const out = await this.send(op, { ...input, Limit: op === 'ListGrants' ? 100 : 1000, ...(marker ? { Marker: marker } : {}) }, region);
      const items = out[field];
      if (Array.isArray(items)) all.push(...(items as Array<Record<string, unknown>>));
      if (out.Truncated !== true || typeof out.NextMarker !== 'string') break;
      marker = out.NextMarker;
    }
    return all;
  }
}

const NAME_ATTRIBUTES: Record<string, string> = {
  aws_iam_role: 'name',
  aws_iam_user: 'name',
  aws_s3_bucket: 'bucket',
  aws_sns_topic: 'name',
  aws_sqs_queue: 'name',
  aws_cloudwatch_log_group: 'name',
  aws_cloudtrail: 'name',
  aws_dynamodb_table: 'name',
  aws_lambda_function: 'function_name',
  aws_secretsmanager_secret: 'name',
};

type ArnBuilder = (a: { region: string; account: string; value: (k: string) => string | undefined }) => string | undefined;
const withName =
  (key: string, f: (name: string, region: string, account: string, value: (k: string) => string | undefined) => string): ArnBuilder =>
  ({ region, account, value }) => {
    const n = value(key);
    return n === undefined ? undefined : f(n, region, account, value);
  };
const ARN_BUILDERS: Record<string, ArnBuilder> = {
  aws_iam_role: withName('name', (n, _r, a, v) => `arn:aws:iam::${a}:role${v('path') ?? '/'}${n}`),
  aws_iam_user: withName('name', (n, _r, a, v) => `arn:aws:iam::${a}:user${v('path') ?? '/'}${n}`),
  aws_s3_bucket: withName('bucket', (n) => `arn:aws:s3:::${n}`),
  aws_sns_topic: withName('name', (n, r, a) => `arn:aws:sns:${r}:${a}:${n}`),
  aws_sqs_queue: withName('name', (n, r, a) => `arn:aws:sqs:${r}:${a}:${n}`),
  aws_cloudwatch_log_group: withName('name', (n, r, a) => `arn:aws:logs:${r}:${a}:log-group:${n}`),
  aws_cloudtrail: withName('name', (n, r, a) => `arn:aws:cloudtrail:${r}:${a}:trail/${n}`),
  aws_dynamodb_table: withName('name', (n, r, a) => `arn:aws:dynamodb:${r}:${a}:table/${n}`),
  aws_lambda_function: withName('function_name', (n, r, a) => `arn:aws:lambda:${r}:${a}:function:${n}`),
  aws_secretsmanager_secret: withName('name', (n, r, a) => `arn:aws:secretsmanager:${r}:${a}:secret:${n}`),
};

/** Turns a resource's values into what the API takes: references resolved, unknowns an error. */
class Resolver {
  constructor(
    private readonly unit: IacUnit,
    private readonly resources: Map<string, KmsResource>,
    private readonly created: Map<string, Created>,
    private readonly account: string,
    private readonly defaultRegion: string,
    private readonly where: string,
  ) {}

  private depth = 0;

  private options(attr: string): Parameters<typeof render>[1] {
    return {
      ownAccount: this.account,
      resolve: (n) => this.resolve(n),
      unknown: (n) => {
        const expr = 'expr' in n ? n.expr : n.kind;
        const at = n.at.file === this.where.split(':')[0] ? `line ${n.at.line}` : `${n.at.file}:${n.at.line}`;
        const missing = n.kind === 'reference' && /^aws_/.test(n.path[0] ?? '') && !this.resources.has(n.path.slice(0, 2).join('.')) && !this.unit.lookup?.(n.path.slice(0, 2));
        const why = missing
          ? `${n.path.slice(0, 2).join('.')} is not declared in ${this.unit.file}`
          : `it is known only at deploy time (kmskit apply resolves references to KMS resources, the own account, regions, the partition, and variables and parameters with defaults)`;
        throw new TerraformInputError(`${this.where}: cannot resolve \${${expr}} in ${attr} (${at}): ${why}`);
      },
    };
  }

  value(v: IacValue, attr: string): unknown {
    return render(v, this.options(attr)).value;
  }

  policy(r: KmsResource): string | undefined {
    if ((isKey(r) || r.kind === 'key-policy') && r.policy) {
      if (r.policy.form === 'text') return renderText(r.policy.value, this.options('policy')).text;
      return JSON.stringify(render(r.policy.value, this.options('policy')).value);
    }
    const raw = r.attributes.policy;
    if (!raw) return undefined;
    const v = this.value(raw, 'policy');
    if (v === undefined || v === null || v === '') return undefined;
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  private provider(r: KmsResource): { region?: IacValue; defaultTags?: IacValue } | undefined {
    return this.unit.providers?.find((p) => p.name === (r.provider ?? 'aws'));
  }

  region(r: KmsResource): string {
    if (r.provider && r.provider !== 'aws' && this.unit.providers && !this.provider(r)) {
      throw new TerraformInputError(`${this.where}: provider ${r.provider} is not configured`);
    }
    const v = r.attributes.region ?? r.region ?? this.provider(r)?.region;
    if (!v) return this.defaultRegion;
    const region = render(v, { ownAccount: this.account, resolve: (n) => this.resolve(n) }).value;
    return typeof region === 'string' && region !== '' && !region.includes('${') ? region : this.defaultRegion;
  }

  defaultTags(r: KmsResource): Record<string, string> {
    const tags = this.provider(r)?.defaultTags;
    if (!tags) return {};
    const v = this.value(tags, 'default_tags');
    const out: Record<string, string> = {};
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = String(x);
    return out;
  }

  private lit(value: string, at: IacValue['at']): IacValue {
    return { kind: 'literal', value, at };
  }

  /** A reference → its value, or undefined when it stays unknown. */
  private resolve(n: IacValue): IacValue | undefined {
    if (n.kind !== 'reference') return undefined;
    if (this.depth > 32) return undefined;
    const p = n.path;
    const at = n.at;
    if (p[0] === 'Ref' || p[0] === 'GetAtt') return this.cloudFormation(p, at);
    if (p[0] === 'var' && p.length === 2) return member(this.unit.lookup?.(['var', p[1]!]), 'default');
    if (p[0] === 'local' && p.length === 2) return this.unit.lookup?.(p);
    if (p[0] === 'data') {
      const [, type, , attr] = p;
      const block = this.unit.lookup?.(p.slice(0, 3));
      if (!block) return undefined;
      const region = this.regionOfBlock(block);
      switch (type) {
        case 'aws_caller_identity':
          if (attr === 'account_id' || attr === 'id' || attr === 'user_id') return this.lit(this.account, at);
          if (attr === 'arn') return this.lit(`arn:aws:iam::${this.account}:root`, at);
          return undefined;
        case 'aws_region':
          if (attr === 'name' || attr === 'region' || attr === 'id' || attr === 'description') return this.lit(region, at);
          if (attr === 'endpoint') return this.lit(`ec2.${region}.amazonaws.com`, at);
          return undefined;
        case 'aws_partition':
          if (attr === 'partition' || attr === 'id') return this.lit('aws', at);
          if (attr === 'dns_suffix') return this.lit('amazonaws.com', at);
          if (attr === 'reverse_dns_prefix') return this.lit('com.amazonaws', at);
          return undefined;
        default:
          return undefined;
      }
    }
    if (p.length < 3) return undefined;
    const [type, name, attr] = p as [string, string, string];
    const address = `${type}.${name}`;
    const target = this.resources.get(address);
    if (target) return this.createdAttribute(address, type, attr, at);
    // Other resources a key policy may name: their ARN follows from their configured name.
    const block = this.unit.lookup?.([type, name]);
    if (!block) return undefined;
    this.depth++;
    try {
      const value = (k: string): string | undefined => {
        const v = member(block, k);
        if (!v) return undefined;
        try {
          const r = this.value(v, k);
          return typeof r === 'string' ? r : undefined;
        } catch {
          return undefined;
        }
      };
      const region = this.regionOfBlock(block);
      const arnOf = ARN_BUILDERS[type];
      if (attr === 'arn' && arnOf) {
        const arn = arnOf({ region, account: this.account, value });
        if (arn) return this.lit(arn, at);
      }
      const nameAttr = NAME_ATTRIBUTES[type];
      if (nameAttr && (attr === 'name' || attr === 'id' || attr === nameAttr)) {
        const v = value(nameAttr);
        if (v !== undefined) return this.lit(v, at);
      }
    } finally {
      this.depth--;
    }
    return undefined;
  }

  private regionOfBlock(block: IacValue): string {
    const provider = member(block, 'provider');
    const name = provider?.kind === 'reference' ? provider.path.join('.') : provider?.kind === 'literal' ? String(provider.value) : 'aws';
    const v = this.unit.providers?.find((x) => x.name === name)?.region;
    const region = v ? render(v, { ownAccount: this.account }).value : undefined;
    return typeof region === 'string' && !region.includes('${') ? region : this.defaultRegion;
  }

  private createdAttribute(address: string, type: string, attr: string, at: IacValue['at']): IacValue | undefined {
    const c = this.created.get(address);
    if (!c) return undefined;
    let v: string | undefined;
    switch (attr) {
      case 'arn':
      case 'target_key_arn':
        v = type === 'aws_kms_alias' ? c.arn : c.arn;
        break;
      case 'key_id':
      case 'target_key_id':
        v = c.keyId;
        break;
      case 'id':
        v = type === 'aws_kms_alias' ? c.name : type === 'aws_kms_grant' ? `${c.keyId}:${c.grantId}` : c.keyId;
        break;
      case 'name':
        v = c.name;
        break;
      case 'grant_id':
        v = c.grantId;
        break;
      case 'grant_token':
        v = c.grantToken ?? '';
        break;
    }
    return v === undefined ? undefined : this.lit(v, at);
  }

  /** `Ref` and `GetAtt`: a key's Ref is its key id, an alias's its name; parameters take their Default. */
  private cloudFormation(p: string[], at: IacValue['at']): IacValue | undefined {
    const [fn, name, attr] = p as [string, string, string | undefined];
    if (fn === 'Ref' && name === 'AWS::Region') return this.lit(this.defaultRegion, at);
    if (fn === 'Ref' && name === 'AWS::StackName') return this.lit(this.unit.name, at);
    const target = this.resources.get(name);
    if (target) {
      const c = this.created.get(name);
      if (!c) return undefined;
      if (fn === 'Ref') return this.lit((target.kind === 'alias' ? c.name : c.keyId) ?? '', at);
      if (attr === 'Arn') return c.arn !== undefined ? this.lit(c.arn, at) : undefined;
      if (attr === 'KeyId') return c.keyId !== undefined ? this.lit(c.keyId, at) : undefined;
      return undefined;
    }
    if (fn === 'Ref') return member(this.unit.lookup?.(['Parameters', name]), 'Default');
    return undefined;
  }
}

/** The KMS resources a value refers to (Terraform `type.name.*`, CloudFormation `Ref`/`GetAtt`). */
function dependencies(r: KmsResource, resources: Map<string, KmsResource>): string[] {
  const out: string[] = [];
  const visit = (v: IacValue): void => {
    someValue(v, (n) => {
      if (n.kind !== 'reference') return false;
      const address = n.path[0] === 'Ref' || n.path[0] === 'GetAtt' ? n.path[1] : n.path.slice(0, 2).join('.');
      if (address !== undefined && resources.has(address) && address !== r.address) out.push(address);
      return false;
    });
  };
  for (const v of Object.values(r.attributes)) visit(v);
  if ((isKey(r) || r.kind === 'key-policy') && r.policy) visit(r.policy.value);
  return out;
}

const RANK: Record<KmsResource['kind'], number> = { key: 0, 'external-key': 1, 'replica-key': 2, 'replica-external-key': 3, 'key-policy': 4, alias: 5, grant: 6, policy: 7 };

/** Orders resources so every referenced KMS resource comes before what refers to it. */
function order(items: KmsResource[]): KmsResource[] {
  const byAddress = new Map(items.map((i) => [i.address, i]));
  const sorted = [...items].sort((a, b) => RANK[a.kind] - RANK[b.kind] || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const out: KmsResource[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: KmsResource, path: string[]): void => {
    if (state.get(item.address) === 'done') return;
    if (state.get(item.address) === 'visiting') throw new TerraformInputError(`${item.file}: reference cycle ${[...path, item.address].join(' → ')}`);
    state.set(item.address, 'visiting');
    for (const dep of dependencies(item, byAddress)) visit(byAddress.get(dep)!, [...path, item.address]);
    state.set(item.address, 'done');
    out.push(item);
  };
  for (const item of sorted) visit(item, []);
  return out;
}

interface ResourceContext {
  stack: string;
  file: string;
  address: string;
  type: KmsResourceType;
  region: string;
  defaultTags: Record<string, string>;
  config: Record<string, unknown>;
  /** An aws_kms_key_policy sets this key's policy. */
  policyManaged: boolean;
}

function entry(ctx: ResourceContext, action: ApplyEntry['action'], id: string, keyArn?: string, notes: string[] = []): ApplyEntry {
  return {
    stack: ctx.stack,
    address: ctx.address,
    type: ctx.type,
    action,
    id,
    region: ctx.region,
    ...(keyArn ? { keyArn } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

function fail(ctx: ResourceContext, message: string): never {
  throw new TerraformInputError(`${ctx.file}: ${ctx.address}: ${message}`);
}

function tagValue(ctx: ResourceContext): string {
  return `${ctx.stack}/${ctx.address}`;
}

function tagList(tags: Record<string, string>): Array<{ TagKey: string; TagValue: string }> {
  return Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

function policyText(policy: unknown, ctx: ResourceContext): string | undefined {
  if (policy === undefined || policy === null || policy === '') return undefined;
  if (typeof policy === 'string') {
    try {
      JSON.parse(policy);
    } catch (e) {
      fail(ctx, `policy is not valid JSON after resolving references (${(e as Error).message})`);
    }
    return policy;
  }
  if (typeof policy === 'object') return JSON.stringify(policy);
  return fail(ctx, `policy must be a JSON string, got ${typeof policy}`);
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonical(typeof a === 'string' ? JSON.parse(a) : a) === canonical(typeof b === 'string' ? JSON.parse(b) : b);
  } catch {
    return a === b;
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function isReplica(meta: Record<string, unknown>): boolean {
  const mrc = meta.MultiRegionConfiguration as { MultiRegionKeyType?: string } | undefined;
  return mrc?.MultiRegionKeyType === 'REPLICA';
}

function regionFromArn(id: string): string | undefined {
  return id.startsWith('arn:') ? id.split(':')[3] : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** An optional integer attribute, checked against the range the provider enforces when given one. */
function optionalInt(c: Record<string, unknown>, field: string, ctx: ResourceContext, range?: [number, number]): number | undefined {
  const v = c[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) fail(ctx, `${field} must be an integer, got ${JSON.stringify(v)}`);
  if (range && ((n as number) < range[0] || (n as number) > range[1])) fail(ctx, `${field} must be ${range[0]}-${range[1]}, got ${n as number}`);
  return n as number;
}

function omitUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
