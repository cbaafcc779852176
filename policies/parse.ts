/**
 * JSON text or value → normalised key policy, structural problems and positions.
 *
 * Never throws: whatever the input, the caller gets a ParseResult. Structural problems are data
 * (code + JSON Pointer + position) so the linter can report them and the emulator can turn them into
 * MalformedPolicyDocumentException. Judging *values* (is this a valid action, a valid ARN, a known
 * operator?) is not done here: that is the linter's job, and the evaluator treats unknowns as
 * non-matching.
 */
import { parseJsonWithPositions, pointerJoin } from './json-positions.js';
import { replaceIntrinsics } from './unknowns.js';
import type {
  NamedValue,
  NormalizedCondition,
  NormalizedPolicy,
  NormalizedPrincipal,
  NormalizedStatement,
  ParseResult,
  PolicyProblem,
  SetOperator,
  SourcePosition,
} from './model.js';

export { escapePointerToken, pointerJoin } from './json-positions.js';

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

/**
 * Folds a condition key for matching. Condition key names are case-insensitive, the
 * encryption-context key name in `kms:EncryptionContext:<key>` included (KMS Developer Guide).
 */
export function foldConditionKey(key: string): string {
  return key.toLowerCase();
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts. */
export function splitConditionOperator(operator: string): {
  baseOperator: string;
  setOperator?: SetOperator;
  ifExists: boolean;
} {
  let rest = operator;
  let setOperator: SetOperator | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') setOperator = 'ForAllValues';
    else if (prefix === 'foranyvalue') setOperator = 'ForAnyValue';
    if (setOperator) rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.length > 'IfExists'.length && rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  return setOperator ? { baseOperator: rest, setOperator, ifExists } : { baseOperator: rest, ifExists };
}

const partsByOperator = new Map<string, ReturnType<typeof splitConditionOperator>>();

/** splitConditionOperator, memoised for the parser (which copies the parts, so sharing is safe). */
function operatorParts(operator: string): ReturnType<typeof splitConditionOperator> {
  let parts = partsByOperator.get(operator);
  if (parts === undefined) {
    parts = splitConditionOperator(operator);
    if (partsByOperator.size >= 4096) partsByOperator.clear();
    partsByOperator.set(operator, parts);
  }
  return parts;
}

/** The position of a pointer, or of its nearest ancestor that has one. */
export function positionOf<P = SourcePosition>(positions: ReadonlyMap<string, P>, pointer: string): P | undefined {
  let p = pointer;
  for (;;) {
    const hit = positions.get(p);
    if (hit) return hit;
    if (p === '') return undefined;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Collector {
  readonly problems: PolicyProblem[] = [];
  constructor(private readonly positions: Map<string, SourcePosition>) {}
  add(code: PolicyProblem['code'], pointer: string, message: string): void {
    const position = positionOf(this.positions, pointer);
    this.problems.push(position ? { code, message, pointer, position } : { code, message, pointer });
  }
}

/** A string or a list of strings → NamedValues; anything else is a problem. */
function stringList(value: unknown, pointer: string, element: string, out: Collector, fold: (s: string) => string): NamedValue[] {
  if (typeof value === 'string') return [{ text: value, lower: fold(value), pointer }];
  if (Array.isArray(value)) {
    if (value.length === 0) out.add('empty-element', pointer, `${element} is an empty list`);
    const result: NamedValue[] = [];
    value.forEach((item, idx) => {
      const p = pointerJoin(pointer, idx);
      if (typeof item === 'string') result.push({ text: item, lower: fold(item), pointer: p });
      else out.add('invalid-type', p, `${element} entries must be strings, found ${typeName(item)}`);
    });
    return result;
  }
  out.add('invalid-type', pointer, `${element} must be a string or a list of strings, found ${typeName(value)}`);
  return [];
}

const lower = (s: string) => s.toLowerCase();
const same = (s: string) => s;

function parsePrincipal(value: unknown, pointer: string, element: string, out: Collector): NormalizedPrincipal {
  const result: NormalizedPrincipal = { wildcard: false, aws: [], service: [], federated: [], canonicalUser: [], pointer };
  if (value === '*') {
    result.wildcard = true;
    return result;
  }
  if (typeof value === 'string') {
    out.add('invalid-type', pointer, `${element} must be "*" or an object such as {"AWS": "<arn>"}, found the string "${value}"`);
    return result;
  }
  if (Array.isArray(value)) {
    // IAM rejects a list here, but what it says is still read: a "*" among the entries is everyone,
    // so a linter and `kmskit explain` judge ["foo", "*"] as the public grant it reads as.
    out.add('invalid-type', pointer, `${element} must be "*" or an object such as {"AWS": ["<arn>", ...]}, found a list`);
    result.wildcard = value.includes('*');
    return result;
  }
  if (!isPlainObject(value)) {
    out.add('invalid-type', pointer, `${element} must be "*" or an object such as {"AWS": "<arn>"}, found ${typeName(value)}`);
    return result;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) out.add('empty-element', pointer, `${element} is an empty object`);
  for (const key of keys) {
    const p = pointerJoin(pointer, key);
    const type = PRINCIPAL_TYPES.find((t) => t === key);
    if (!type) {
      out.add('unknown-element', p, `Unknown principal type "${key}" in ${element}; expected one of ${PRINCIPAL_TYPES.join(', ')}`);
      continue;
    }
    const values = stringList(value[key], p, `${element}.${key}`, out, same).map((v) => v.text);
    if (type === 'AWS') result.aws.push(...values);
    else if (type === 'Service') result.service.push(...values);
    else if (type === 'Federated') result.federated.push(...values);
    else result.canonicalUser.push(...values);
  }
  return result;
}

function parseConditions(value: unknown, pointer: string, out: Collector): NormalizedCondition[] {
  if (!isPlainObject(value)) {
    out.add('invalid-type', pointer, `Condition must be an object of operators, found ${typeName(value)}`);
    return [];
  }
  const result: NormalizedCondition[] = [];
  for (const [operator, block] of Object.entries(value)) {
    const opPointer = pointerJoin(pointer, operator);
    if (!isPlainObject(block)) {
      out.add('invalid-type', opPointer, `Condition operator ${operator} must map condition keys to values, found ${typeName(block)}`);
      continue;
    }
    if (Object.keys(block).length === 0) out.add('empty-element', opPointer, `Condition operator ${operator} has no condition keys`);
    const parts = operatorParts(operator);
    for (const [key, raw] of Object.entries(block)) {
      const keyPointer = pointerJoin(opPointer, key);
      const values: string[] = [];
      const items = Array.isArray(raw) ? raw : [raw];
      if (Array.isArray(raw) && raw.length === 0) out.add('empty-element', keyPointer, `Condition ${operator} ${key} has an empty list of values`);
      items.forEach((item, idx) => {
        if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') values.push(String(item));
        else {
          const p = Array.isArray(raw) ? pointerJoin(keyPointer, idx) : keyPointer;
          out.add('invalid-type', p, `Condition values must be strings, numbers or booleans, found ${typeName(item)}`);
        }
      });
      result.push({ operator, ...parts, key, keyLower: foldConditionKey(key), values, pointer: keyPointer });
    }
  }
  return result;
}

function parseStatement(raw: unknown, index: number, pointer: string, out: Collector): NormalizedStatement | undefined {
  if (!isPlainObject(raw)) {
    out.add('invalid-type', pointer, `A statement must be an object, found ${typeName(raw)}`);
    return undefined;
  }
  const st: NormalizedStatement = { index, pointer, effect: '', conditions: [], raw };
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_ELEMENTS.has(key)) {
      const hint = [...STATEMENT_ELEMENTS].find((k) => k.toLowerCase() === key.toLowerCase());
      out.add('unknown-element', pointerJoin(pointer, key), hint ? `Unknown element "${key}"; element names are case-sensitive: did you mean "${hint}"?` : `Unknown statement element "${key}"`);
    }
  }
  const at = (k: string) => pointerJoin(pointer, k);
  if ('Sid' in raw) {
    if (typeof raw.Sid === 'string') st.sid = raw.Sid;
    else out.add('invalid-type', at('Sid'), `Sid must be a string, found ${typeName(raw.Sid)}`);
  }
  if (!('Effect' in raw)) out.add('missing-element', at('Effect'), 'Statement has no Effect');
  else if (typeof raw.Effect === 'string') st.effect = raw.Effect;
  else out.add('invalid-type', at('Effect'), `Effect must be the string "Allow" or "Deny", found ${typeName(raw.Effect)}`);

  if ('Principal' in raw && 'NotPrincipal' in raw) out.add('conflicting-elements', at('NotPrincipal'), 'A statement cannot have both Principal and NotPrincipal');
  if ('Principal' in raw) st.principal = parsePrincipal(raw.Principal, at('Principal'), 'Principal', out);
  if ('NotPrincipal' in raw) st.notPrincipal = parsePrincipal(raw.NotPrincipal, at('NotPrincipal'), 'NotPrincipal', out);

  if ('Action' in raw && 'NotAction' in raw) out.add('conflicting-elements', at('NotAction'), 'A statement cannot have both Action and NotAction');
  if (!('Action' in raw) && !('NotAction' in raw)) out.add('missing-element', at('Action'), 'Statement has no Action or NotAction');
  if ('Action' in raw) st.actions = stringList(raw.Action, at('Action'), 'Action', out, lower);
  if ('NotAction' in raw) st.notActions = stringList(raw.NotAction, at('NotAction'), 'NotAction', out, lower);

  if ('Resource' in raw && 'NotResource' in raw) out.add('conflicting-elements', at('NotResource'), 'A statement cannot have both Resource and NotResource');
  if (!('Resource' in raw) && !('NotResource' in raw)) out.add('missing-element', at('Resource'), 'Statement has no Resource or NotResource');
  if ('Resource' in raw) st.resources = stringList(raw.Resource, at('Resource'), 'Resource', out, same);
  if ('NotResource' in raw) st.notResources = stringList(raw.NotResource, at('NotResource'), 'NotResource', out, same);

  if ('Condition' in raw) st.conditions = parseConditions(raw.Condition, at('Condition'), out);
  return st;
}

function normalise(input: unknown, out: Collector, mayHoldIntrinsics = true): NormalizedPolicy | undefined {
  // CloudFormation intrinsics are unknown values, read as `${...}` strings like Terraform's (unknowns.ts).
  const value = mayHoldIntrinsics ? replaceIntrinsics(input) : input;
  if (!isPlainObject(value)) {
    out.add('invalid-type', '', `A policy document must be a JSON object, found ${typeName(value)}`);
    return undefined;
  }
  const policy: NormalizedPolicy = { statements: [], raw: value };
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL.has(key)) {
      const hint = [...TOP_LEVEL, ...STATEMENT_ELEMENTS].find((k) => k.toLowerCase() === key.toLowerCase());
      out.add('unknown-element', pointerJoin('', key), hint ? `Unknown element "${key}"; element names are case-sensitive: did you mean "${hint}"?` : `Unknown top-level element "${key}"; a policy has Version, Id and Statement`);
    }
  }
  if ('Version' in value) {
    if (typeof value.Version === 'string') policy.version = value.Version;
    else out.add('invalid-type', '/Version', `Version must be a string such as "2012-10-17", found ${typeName(value.Version)}`);
  }
  if ('Id' in value) {
    if (typeof value.Id === 'string') policy.id = value.Id;
    else out.add('invalid-type', '/Id', `Id must be a string, found ${typeName(value.Id)}`);
  }
  if (!('Statement' in value)) {
    out.add('missing-element', '/Statement', 'Policy has no Statement');
    return policy;
  }
  const statements = value.Statement;
  if (Array.isArray(statements)) {
    statements.forEach((raw, idx) => {
      const st = parseStatement(raw, idx, `/Statement/${idx}`, out);
      if (st) policy.statements.push(st);
    });
  } else if (isPlainObject(statements)) {
    const st = parseStatement(statements, 0, '/Statement', out);
    if (st) policy.statements.push(st);
  } else {
    out.add('invalid-type', '/Statement', `Statement must be an object or a list of objects, found ${typeName(statements)}`);
  }
  return policy;
}

/**
 * Parses a key policy given as JSON text or as an already-parsed value. Never throws.
 * With text, `positions` maps every JSON Pointer to its 1-based line and column.
 */
export function parsePolicy(input: string | unknown): ParseResult {
  try {
    if (typeof input === 'string') {
      const parsed = parseJsonWithPositions(input);
      const out = new Collector(parsed.positions);
      if (parsed.error) {
        const { message, position } = parsed.error;
        out.problems.push({
          code: 'invalid-json',
          message: `Malformed JSON at line ${position.line}, column ${position.column}: ${message}`,
          pointer: '',
          position,
        });
        return { problems: out.problems, positions: parsed.positions, source: input };
      }
      for (const d of parsed.duplicateKeys) {
        out.problems.push({ code: 'duplicate-key', message: `Duplicate key "${d.pointer.split('/').pop()}": only the last one takes effect`, pointer: d.pointer, position: d.position });
      }
      // Text without "Ref" or "Fn:: holds no intrinsic: the walk that looks for them is skipped.
      const policy = normalise(parsed.value, out, input.includes('"Ref"') || input.includes('"Fn::'));
      return policy ? { policy, problems: out.problems, positions: parsed.positions, source: input } : { problems: out.problems, positions: parsed.positions, source: input };
    }
    const positions = new Map<string, SourcePosition>();
    const out = new Collector(positions);
    const policy = normalise(input, out);
    return policy ? { policy, problems: out.problems, positions } : { problems: out.problems, positions };
  } catch (e) {
    // Defence in depth: nothing may escape policies/. A bug here becomes a problem, not a crash.
    const message = e instanceof Error ? e.message : String(e);
    return { problems: [{ code: 'invalid-type', message: `Could not read the policy: ${message}`, pointer: '' }], positions: new Map() };
  }
}
