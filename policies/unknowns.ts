/**
 * Values a policy holds that are known only when it is deployed: Terraform interpolations
 * (`${var.admin_arn}`, `${data.aws_caller_identity.current.account_id}`) and CloudFormation
 * intrinsic functions (`{"Ref": "AWS::AccountId"}`, `{"Fn::Sub": "arn:${AWS::Partition}:iam::..."}`,
 * `{"Fn::GetAtt": [...]}`, ...). Nothing judges an unknown value: it is neither valid nor invalid,
 * neither own nor foreign, and a rule that would need it stays silent.
 *
 * One convention covers both: an unknown value is a string containing `${`. `parse.ts` turns every
 * intrinsic-function object into such a string ({@link replaceIntrinsics}), keeping what is known of
 * it (`Fn::Sub`'s template, `Fn::Join`'s literal parts), so an ARN built by `Fn::Join` still reads as
 * an account root with an unknown account.
 */

/** A string that holds a deploy-time reference. */
export function isUnknownText(value: string): boolean {
  return value.includes('${');
}

/**
 * References that stand for the account the policy is deployed in: CloudFormation's
 * `${AWS::AccountId}` and Terraform's `${data.aws_caller_identity.<name>.account_id}`. An account
 * field made only of one of these is the own account, with its id unknown.
 */
const OWN_ACCOUNT_REFERENCE = /^\$\{(?:AWS::AccountId|data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id)\}$/;

export function isOwnAccountReference(text: string): boolean {
  return OWN_ACCOUNT_REFERENCE.test(text);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{"Ref": ...}` or `{"Fn::<name>": ...}`: an object with exactly one key that names an intrinsic. */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

/** The string an intrinsic stands for, with `${...}` where its value is unknown. */
function intrinsicText(value: Record<string, unknown>): string {
  const [name, arg] = Object.entries(value)[0]!;
  if (name === 'Ref') return typeof arg === 'string' ? '${' + arg + '}' : '${Ref}';
  if (name === 'Fn::Sub') {
    const template = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined;
    // A template without variables is a literal, known now.
    if (template !== undefined) return template;
  }
  if (name === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
    const parts = arg[1].map((p) => (typeof p === 'string' ? p : isIntrinsic(p) ? intrinsicText(p) : undefined));
    if (parts.every((p): p is string => p !== undefined)) return parts.join(arg[0]);
  }
  if (name === 'Fn::GetAtt') {
    const target = Array.isArray(arg) ? arg.filter((p) => typeof p === 'string').join('.') : typeof arg === 'string' ? arg : '';
    return '${' + `Fn::GetAtt ${target}`.trim() + '}';
  }
  return '${' + name + '}';
}

/**
 * The document with every CloudFormation intrinsic-function object replaced by the unknown string it
 * stands for. Returns the input itself when it holds none (the common case), so a policy without
 * intrinsics is never copied.
 */
export function replaceIntrinsics(value: unknown): unknown {
  if (isIntrinsic(value)) return intrinsicText(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = replaceIntrinsics(value[i]);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (isPlainObject(value)) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const r = replaceIntrinsics(v);
      if (r !== v) (out ??= { ...value })[k] = r;
    }
    return out ?? value;
  }
  return value;
}
