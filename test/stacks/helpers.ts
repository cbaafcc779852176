/** Shared fixtures of the stacks tests: a stack with a provider, synth to JSON, policy lookup. */
import type { PolicyDocument, PolicyStatement } from '../../policies/model.js';
import { AwsProvider, TerraformStack, Testing } from '../../stacks/provider.js';

export const CALLER_ACCOUNT = '${data.aws_caller_identity.current.account_id}';
export const ROLE = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

export interface Synthesized {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, Array<Record<string, unknown>>>;
  output?: Record<string, unknown>;
}

/** A stack with the default provider in us-east-1 (and, with `replica`, an aliased one in us-west-2). */
export function newStack(opts: { replica?: boolean } = {}): { stack: TerraformStack; provider: AwsProvider; replica?: AwsProvider } {
  const stack = new TerraformStack(Testing.app(), 'test');
  const provider = new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  if (!opts.replica) return { stack, provider };
  const replica = new AwsProvider(stack, 'aws-replica', { region: 'us-west-2', alias: 'replica' });
  return { stack, provider, replica };
}

export function synth(stack: TerraformStack): Synthesized {
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

/** The resources of one type, by logical id. */
export function resources(json: Synthesized, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The only resource of `type` whose logical id starts with `prefix`; fails loudly otherwise. */
export function only(json: Synthesized, type: string, prefix = ''): Record<string, unknown> {
  const found = Object.entries(resources(json, type)).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} starting with ${JSON.stringify(prefix)}, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return (found[0] as [string, Record<string, unknown>])[1];
}

/** The parsed policy of the key resource (aws_kms_key or aws_kms_replica_key) whose id starts with `prefix`. */
export function policyOf(json: Synthesized, prefix: string, type = 'aws_kms_key'): PolicyDocument {
  const policy = only(json, type, prefix)['policy'];
  if (typeof policy !== 'string') throw new Error(`${type} ${prefix} has no policy string`);
  return JSON.parse(policy) as PolicyDocument;
}

export function statements(doc: PolicyDocument): PolicyStatement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export function bySid(doc: PolicyDocument, sid: string): PolicyStatement {
  const found = statements(doc).find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${JSON.stringify(sid)}; have ${statements(doc).map((s) => JSON.stringify(s.Sid)).join(', ')}`);
  return found;
}
