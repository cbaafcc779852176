/**
 * Small pieces the KMS constructs and the SSE helpers share: the per-stack caller identity, the
 * region a scope deploys to, principals as policy blocks, and the prop validation messages.
 */
import type { PolicyStatement, PrincipalBlock } from '../../policies/model.js';
import { AwsProvider, DataAwsCallerIdentity, TerraformStack, Token, type IConstruct } from '../provider.js';

/** Thrown for an invalid construct prop. The message names the prop, the bad value and what is allowed. */
export class StackPropError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackPropError';
  }
}

/** `JSON.stringify` for messages: quotes strings, shows `undefined` as such. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string' && Token.isUnresolved(value)) return 'a Terraform reference (known only at apply time)';
  const node = (value as { node?: { path?: unknown } } | null)?.node;
  if (typeof value === 'object' && value !== null && typeof node?.path === 'string') {
    return `${value.constructor.name} at ${node.path}`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws unless `value` is an integer in [min, max]. `undefined` passes (the caller applies the default). */
export function checkIntRange(prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new StackPropError(`${prop} must be an integer ${min}–${max}, got ${show(value)}`);
  }
}

/**
 * The stack's `data.aws_caller_identity.current`: the account a key policy is deployed in, resolved
 * by Terraform, so no account id is written into a resource.
 */
export function callerIdentity(scope: IConstruct): DataAwsCallerIdentity {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild('current');
  if (existing instanceof DataAwsCallerIdentity) return existing;
  return new DataAwsCallerIdentity(stack, 'current');
}

/**
 * The region of the provider that resources in `scope` use: the given provider's, else the
 * stack's default (alias-less) AwsProvider's. Service principals and ARNs in key policies need it.
 */
export function regionOf(scope: IConstruct, provider?: AwsProvider): string {
  const candidates = provider ? [provider] : TerraformStack.of(scope).node.children.filter((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
  const region = candidates[0]?.region;
  if (region === undefined || region === '') {
    throw new StackPropError(`cannot tell the region of ${scope.node.path}: the stack needs an AwsProvider with a region (configure one before creating keys)`);
  }
  return region;
}

/** The partition of a region name: ARNs and service principals differ in China and GovCloud. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const SERVICE_PRINCIPAL_RE = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;
const ACCOUNT_RE = /^\d{12}$/;

/**
 * A grantee as a policy principal: a service principal (`logs.amazonaws.com`), an account id
 * (meaning its root, i.e. delegation to its IAM policies), or an IAM ARN (or Terraform reference).
 */
export function principalFor(grantee: string): PrincipalBlock {
  if (typeof grantee !== 'string' || grantee.trim() === '') {
    throw new StackPropError(`grantee must be an IAM principal ARN, an account id or a service principal, got ${show(grantee)}`);
  }
  if (SERVICE_PRINCIPAL_RE.test(grantee)) return { Service: grantee };
  if (ACCOUNT_RE.test(grantee)) return { AWS: `arn:aws:iam::${grantee}:root` };
  if (!Token.isUnresolved(grantee) && !grantee.startsWith('arn:')) {
    throw new StackPropError(`grantee must be an IAM principal ARN, an account id or a service principal, got ${show(grantee)}`);
  }
  return { AWS: grantee };
}

/** A statement's JSON, for de-duplication. */
export function statementKey(statement: PolicyStatement): string {
  return JSON.stringify(statement);
}

/** Makes `sid` unique among `taken` by appending 2, 3, ... (after a space when the Sid has spaces). */
export function uniqueSid(sid: string, taken: ReadonlySet<string>): string {
  if (!taken.has(sid)) return sid;
  const sep = sid.includes(' ') ? ' ' : '';
  for (let n = 2; ; n++) if (!taken.has(`${sid}${sep}${n}`)) return `${sid}${sep}${n}`;
}

/** A construct id from free text (construct ids cannot hold `/`). */
export function idFrom(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}
