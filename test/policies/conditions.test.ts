import { describe, expect, it } from 'vitest';
import type { ContextValue, NormalizedCondition } from '../../policies/model.js';
import {
  CONDITION_OPERATORS,
  arnMatch,
  buildConditionContext,
  evaluateCondition,
  evaluateConditions,
  foldConditionKey,
  ipInCidr,
  parseConditionOperator,
  parseDate,
} from '../../policies/conditions.js';
import { wildcardMatch } from '../../policies/wildcard.js';
import { classifyPrincipal, parseArn, parseServicePrincipal, servicePrincipalsMatch } from '../../policies/arn.js';
import { prng } from '../helpers/prng.js';

const KEY = 'aws:test';

/** A condition as parse.ts would hand it over, built by hand so these tests do not depend on the parser. */
function cond(operator: string, values: Array<string | number | boolean>, key = KEY): NormalizedCondition {
  const op = parseConditionOperator(operator);
  const c: NormalizedCondition = {
    operator,
    baseOperator: op.base,
    ifExists: op.ifExists,
    key,
    keyLower: foldConditionKey(key),
    values: values.map(String),
    pointer: `/Statement/0/Condition/${operator}/${key}`,
  };
  if (op.setOperator) c.setOperator = op.setOperator;
  return c;
}

interface Row {
  rule: string;
  operator: string;
  values: Array<string | number | boolean>;
  /** The request's value for the key; omitted = key absent. */
  request?: ContextValue;
  key?: string;
  /** Extra context keys (for policy variables). */
  extra?: Record<string, ContextValue>;
  /** Substitute policy variables (Version 2012-10-17). */
  variables?: boolean;
  expected: boolean;
}

function check(row: Row) {
  const key = row.key ?? KEY;
  const context: Record<string, ContextValue> = { ...row.extra };
  if ('request' in row && row.request !== undefined) context[key] = row.request;
  const result = evaluateCondition(cond(row.operator, row.values, key), buildConditionContext(context), { variables: row.variables ?? true });
  expect(result).toBe(row.expected);
}

const stringRows: Row[] = [
  { rule: 'StringEquals is an exact, case-sensitive match', operator: 'StringEquals', values: ['Finance'], request: 'Finance', expected: true },
  { rule: 'StringEquals does not ignore case', operator: 'StringEquals', values: ['Finance'], request: 'finance', expected: false },
  { rule: 'StringEquals does not treat * as a wildcard', operator: 'StringEquals', values: ['Fin*'], request: 'Finance', expected: false },
  { rule: 'several policy values are ORed', operator: 'StringEquals', values: ['HR', 'Finance'], request: 'Finance', expected: true },
  { rule: 'a positive operator on a missing key is false', operator: 'StringEquals', values: ['Finance'], expected: false },
  { rule: 'a multi-valued key without a set operator matches when any value does', operator: 'StringEquals', values: ['b'], request: ['a', 'b'], expected: true },
  { rule: 'StringNotEquals is true when the value differs', operator: 'StringNotEquals', values: ['HR'], request: 'Finance', expected: true },
  { rule: 'StringNotEquals with several values is true only when equal to none (NOR)', operator: 'StringNotEquals', values: ['HR', 'Finance'], request: 'Finance', expected: false },
  { rule: 'StringNotEquals with several values, none equal, is true', operator: 'StringNotEquals', values: ['HR', 'Legal'], request: 'Finance', expected: true },
  { rule: 'a negated operator on a missing key is true', operator: 'StringNotEquals', values: ['HR'], expected: true },
  { rule: 'StringNotEquals on a multi-valued key is false when any value is listed', operator: 'StringNotEquals', values: ['b'], request: ['a', 'b'], expected: false },
  { rule: 'StringEqualsIgnoreCase ignores case', operator: 'StringEqualsIgnoreCase', values: ['FINANCE'], request: 'finance', expected: true },
  { rule: 'StringEqualsIgnoreCase still needs the same text', operator: 'StringEqualsIgnoreCase', values: ['FINANCE'], request: 'finances', expected: false },
  { rule: 'StringNotEqualsIgnoreCase is false for a case-only difference', operator: 'StringNotEqualsIgnoreCase', values: ['FINANCE'], request: 'Finance', expected: false },
  { rule: 'StringNotEqualsIgnoreCase is true for different text', operator: 'StringNotEqualsIgnoreCase', values: ['FINANCE'], request: 'Legal', expected: true },
  { rule: 'StringLike * matches any run of characters', operator: 'StringLike', values: ['arn:aws:logs:*:111122223333:log-group:*'], request: 'arn:aws:logs:us-east-1:111122223333:log-group:app', expected: true },
  { rule: 'StringLike ? matches exactly one character', operator: 'StringLike', values: ['v?'], request: 'v1', expected: true },
  { rule: 'StringLike ? does not match zero characters', operator: 'StringLike', values: ['v?'], request: 'v', expected: false },
  { rule: 'StringLike * in the middle matches the empty string', operator: 'StringLike', values: ['a*b'], request: 'ab', expected: true },
  { rule: 'StringLike is case-sensitive', operator: 'StringLike', values: ['Fin*'], request: 'finance', expected: false },
  { rule: 'StringLike treats regex metacharacters literally', operator: 'StringLike', values: ['a.c'], request: 'abc', expected: false },
  { rule: 'StringLike with brackets and plus is literal too', operator: 'StringLike', values: ['[ab]+'], request: '[ab]+', expected: true },
  { rule: 'StringNotLike is false when the pattern matches', operator: 'StringNotLike', values: ['Fin*'], request: 'Finance', expected: false },
  { rule: 'StringNotLike with several patterns is true when none matches', operator: 'StringNotLike', values: ['HR*', 'Leg*'], request: 'Finance', expected: true },
  { rule: 'StringNotLike on a missing key is true', operator: 'StringNotLike', values: ['*'], expected: true },
];

const numericRows: Row[] = [
  { rule: 'NumericEquals compares numbers, not text', operator: 'NumericEquals', values: ['10'], request: '10.0', expected: true },
  { rule: 'NumericEquals with a non-numeric request value is false', operator: 'NumericEquals', values: ['10'], request: 'ten', expected: false },
  { rule: 'NumericNotEquals is true for a different number', operator: 'NumericNotEquals', values: [10], request: 11, expected: true },
  { rule: 'NumericNotEquals is false for the same number', operator: 'NumericNotEquals', values: [10], request: '10', expected: false },
  { rule: 'NumericLessThan is strict', operator: 'NumericLessThan', values: ['10'], request: 10, expected: false },
  { rule: 'NumericLessThan holds below the bound', operator: 'NumericLessThan', values: ['10'], request: 9.5, expected: true },
  { rule: 'NumericLessThanEquals includes the bound', operator: 'NumericLessThanEquals', values: ['10'], request: 10, expected: true },
  { rule: 'NumericGreaterThan is strict', operator: 'NumericGreaterThan', values: ['10'], request: 10, expected: false },
  { rule: 'NumericGreaterThan compares numerically, not lexically', operator: 'NumericGreaterThan', values: ['9'], request: '10', expected: true },
  { rule: 'NumericGreaterThanEquals includes the bound', operator: 'NumericGreaterThanEquals', values: ['-1'], request: '-1', expected: true },
  { rule: 'NumericLessThan on a missing key is false', operator: 'NumericLessThan', values: ['10'], expected: false },
];

const dateRows: Row[] = [
  { rule: 'DateEquals compares instants: ISO 8601 with zone offset', operator: 'DateEquals', values: ['2024-01-01T01:00:00+01:00'], request: '2024-01-01T00:00:00Z', expected: true },
  { rule: 'DateEquals accepts epoch seconds in the request', operator: 'DateEquals', values: ['2024-01-01T00:00:00Z'], request: 1704067200, expected: true },
  { rule: 'DateEquals accepts epoch seconds in the policy', operator: 'DateEquals', values: ['1704067200'], request: '2024-01-01T00:00:00.000Z', expected: true },
  { rule: 'a date-only value is midnight UTC', operator: 'DateEquals', values: ['2024-01-01'], request: '2024-01-01T00:00:00Z', expected: true },
  { rule: 'DateNotEquals is true for another instant', operator: 'DateNotEquals', values: ['2024-01-01T00:00:00Z'], request: '2024-01-01T00:00:01Z', expected: true },
  { rule: 'DateLessThan holds before the bound', operator: 'DateLessThan', values: ['2025-01-01T00:00:00Z'], request: '2024-12-31T23:59:59Z', expected: true },
  { rule: 'DateLessThan is strict', operator: 'DateLessThan', values: ['2025-01-01T00:00:00Z'], request: '2025-01-01T00:00:00Z', expected: false },
  { rule: 'DateLessThanEquals includes the bound', operator: 'DateLessThanEquals', values: ['2025-01-01T00:00:00Z'], request: '2025-01-01T00:00:00Z', expected: true },
  { rule: 'DateGreaterThan holds after the bound', operator: 'DateGreaterThan', values: ['2020-01-01T00:00:00Z'], request: '2024-06-01T12:00:00Z', expected: true },
  { rule: 'DateGreaterThanEquals is false before the bound', operator: 'DateGreaterThanEquals', values: ['2020-01-01T00:00:00Z'], request: '2019-12-31T23:59:59Z', expected: false },
  { rule: 'an unparseable date never matches', operator: 'DateGreaterThan', values: ['2020-01-01T00:00:00Z'], request: 'yesterday', expected: false },
];

const boolBinaryRows: Row[] = [
  { rule: 'Bool true matches a boolean true', operator: 'Bool', values: ['true'], request: true, expected: true },
  { rule: 'Bool true does not match false', operator: 'Bool', values: [true], request: 'false', expected: false },
  { rule: 'Bool compares case-insensitively', operator: 'Bool', values: ['TRUE'], request: 'true', expected: true },
  { rule: 'Bool on a missing key is false', operator: 'Bool', values: ['false'], expected: false },
  { rule: 'BinaryEquals compares the base64-decoded bytes', operator: 'BinaryEquals', values: ['QmluYXJ5VmFsdWU='], request: 'QmluYXJ5VmFsdWU=', expected: true },
  { rule: 'BinaryEquals is false for other bytes', operator: 'BinaryEquals', values: ['QmluYXJ5VmFsdWU='], request: 'T3RoZXI=', expected: false },
  { rule: 'BinaryEquals with a value that is not base64 is false', operator: 'BinaryEquals', values: ['QmluYXJ5VmFsdWU='], request: 'not base64!', expected: false },
];

const ipRows: Row[] = [
  { rule: 'IpAddress matches an IPv4 address inside the CIDR', operator: 'IpAddress', values: ['192.0.2.0/24'], request: '192.0.2.200', expected: true },
  { rule: 'IpAddress does not match outside the CIDR', operator: 'IpAddress', values: ['192.0.2.0/24'], request: '192.0.3.1', expected: false },
  { rule: 'IpAddress with a bare address means /32', operator: 'IpAddress', values: ['203.0.113.5'], request: '203.0.113.5', expected: true },
  { rule: 'IpAddress /0 matches every IPv4 address', operator: 'IpAddress', values: ['0.0.0.0/0'], request: '8.8.8.8', expected: true },
  { rule: 'IpAddress matches an IPv6 address inside the CIDR', operator: 'IpAddress', values: ['2001:db8::/32'], request: '2001:db8:1234::1', expected: true },
  { rule: 'IpAddress does not match an IPv6 address outside the CIDR', operator: 'IpAddress', values: ['2001:db8::/32'], request: '2001:db9::1', expected: false },
  { rule: 'an IPv4 CIDR never matches an IPv6 address', operator: 'IpAddress', values: ['0.0.0.0/0'], request: '2001:db8::1', expected: false },
  { rule: 'an IPv4-mapped IPv6 address is its IPv4 address', operator: 'IpAddress', values: ['192.0.2.0/24'], request: '::ffff:192.0.2.9', expected: true },
  { rule: 'several CIDR blocks are ORed', operator: 'IpAddress', values: ['10.0.0.0/8', '192.0.2.0/24'], request: '10.1.2.3', expected: true },
  { rule: 'NotIpAddress is true outside every block', operator: 'NotIpAddress', values: ['10.0.0.0/8', '192.0.2.0/24'], request: '198.51.100.1', expected: true },
  { rule: 'NotIpAddress is false inside one block', operator: 'NotIpAddress', values: ['10.0.0.0/8', '192.0.2.0/24'], request: '10.1.2.3', expected: false },
  { rule: 'NotIpAddress on a missing key is true', operator: 'NotIpAddress', values: ['10.0.0.0/8'], expected: true },
  { rule: 'an invalid address never matches', operator: 'IpAddress', values: ['10.0.0.0/8'], request: '10.0.0.256', expected: false },
];

const ROLE = 'arn:aws:iam::111122223333:role/App';
const arnRows: Row[] = [
  { rule: 'ArnEquals matches the same ARN', operator: 'ArnEquals', values: [ROLE], request: ROLE, expected: true },
  { rule: 'ArnEquals takes wildcards per segment too', operator: 'ArnEquals', values: ['arn:aws:iam::*:role/App'], request: ROLE, expected: true },
  { rule: 'ArnLike matches with * in the resource segment', operator: 'ArnLike', values: ['arn:aws:iam::111122223333:role/*'], request: ROLE, expected: true },
  { rule: 'ArnLike wildcards stay inside their own segment', operator: 'ArnLike', values: ['arn:aws:*:role/App'], request: ROLE, expected: false },
  { rule: 'ArnLike is case-sensitive', operator: 'ArnLike', values: ['arn:aws:iam::111122223333:role/app'], request: ROLE, expected: false },
  { rule: 'ArnLike does not match a value that is not an ARN', operator: 'ArnLike', values: ['arn:aws:iam::*:role/*'], request: 'App', expected: false },
  { rule: 'ArnLike lets the resource segment contain colons', operator: 'ArnLike', values: ['arn:aws:logs:us-east-1:111122223333:log-group:*'], request: 'arn:aws:logs:us-east-1:111122223333:log-group:app:*', expected: true },
  { rule: 'ArnNotEquals is true for another ARN', operator: 'ArnNotEquals', values: [ROLE], request: 'arn:aws:iam::111122223333:role/Other', expected: true },
  { rule: 'ArnNotLike is false when the pattern matches', operator: 'ArnNotLike', values: ['arn:aws:iam::111122223333:role/*'], request: ROLE, expected: false },
  { rule: 'ArnNotLike on a missing key is true', operator: 'ArnNotLike', values: ['arn:aws:iam::111122223333:role/*'], expected: true },
];

const nullRows: Row[] = [
  { rule: 'Null "true" holds when the key is absent', operator: 'Null', values: ['true'], expected: true },
  { rule: 'Null "true" fails when the key is present', operator: 'Null', values: ['true'], request: 'x', expected: false },
  { rule: 'Null "false" holds when the key is present', operator: 'Null', values: [false], request: 'x', expected: true },
  { rule: 'Null "false" fails when the key is absent', operator: 'Null', values: ['false'], expected: false },
  { rule: 'Null treats an empty multi-valued key as absent', operator: 'Null', values: ['true'], request: [], expected: true },
  { rule: 'Null has no IfExists form: NullIfExists is unknown and never matches', operator: 'NullIfExists', values: ['true'], expected: false },
];

const modifierRows: Row[] = [
  { rule: 'IfExists with a missing key is true', operator: 'StringEqualsIfExists', values: ['x'], expected: true },
  { rule: 'IfExists with a present key evaluates the operator', operator: 'StringEqualsIfExists', values: ['x'], request: 'y', expected: false },
  { rule: 'IfExists with a present, matching key is true', operator: 'NumericLessThanIfExists', values: ['5'], request: 3, expected: true },
  { rule: 'negated IfExists with a missing key is true', operator: 'StringNotEqualsIfExists', values: ['x'], expected: true },
  { rule: 'BoolIfExists with a missing key is true', operator: 'BoolIfExists', values: ['true'], expected: true },
  { rule: 'ForAllValues on a missing key is true', operator: 'ForAllValues:StringEquals', values: ['a'], expected: true },
  { rule: 'ForAllValues on an empty set is true', operator: 'ForAllValues:StringEquals', values: ['a'], request: [], expected: true },
  { rule: 'ForAllValues holds when every request value is listed', operator: 'ForAllValues:StringEquals', values: ['a', 'b', 'c'], request: ['a', 'c'], expected: true },
  { rule: 'ForAllValues fails when one request value is not listed', operator: 'ForAllValues:StringEquals', values: ['a', 'b'], request: ['a', 'z'], expected: false },
  { rule: 'ForAnyValue on a missing key is false', operator: 'ForAnyValue:StringEquals', values: ['a'], expected: false },
  { rule: 'ForAnyValue on an empty set is false', operator: 'ForAnyValue:StringEquals', values: ['a'], request: [], expected: false },
  { rule: 'ForAnyValue holds when one request value is listed', operator: 'ForAnyValue:StringEquals', values: ['a'], request: ['z', 'a'], expected: true },
  { rule: 'ForAnyValue fails when no request value is listed', operator: 'ForAnyValue:StringLike', values: ['a*'], request: ['z', 'y'], expected: false },
  { rule: 'ForAllValues:StringNotEquals: no request value may be listed', operator: 'ForAllValues:StringNotEquals', values: ['secret'], request: ['a', 'secret'], expected: false },
  { rule: 'ForAnyValue:StringNotEquals: some request value is not listed', operator: 'ForAnyValue:StringNotEquals', values: ['secret'], request: ['a', 'secret'], expected: true },
  { rule: 'ForAnyValue with IfExists and a missing key is true', operator: 'ForAnyValue:StringEqualsIfExists', values: ['a'], expected: true },
  { rule: 'set operator prefixes match case-insensitively', operator: 'forallvalues:stringequals', values: ['a'], request: ['a'], expected: true },
  { rule: 'ForAllValues applies to numeric operators too', operator: 'ForAllValues:NumericLessThan', values: ['10'], request: [1, 2, 3], expected: true },
];

const variableRows: Row[] = [
  { rule: '${key} in a condition value is the request value of that key', operator: 'StringEquals', values: ['${aws:username}'], request: 'alice', extra: { 'aws:username': 'alice' }, expected: true },
  { rule: 'policy variable names are case-insensitive', operator: 'StringEquals', values: ['${AWS:UserName}'], request: 'alice', extra: { 'aws:username': 'alice' }, expected: true },
  { rule: 'a policy variable can be part of a larger value', operator: 'StringLike', values: ['home/${aws:username}/*'], request: 'home/alice/notes', extra: { 'aws:username': 'alice' }, expected: true },
  { rule: 'a substituted value is literal even in StringLike (no wildcard injection)', operator: 'StringLike', values: ['${aws:username}'], request: 'alice', extra: { 'aws:username': '*' }, expected: false },
  { rule: '${*} is a literal star in StringLike', operator: 'StringLike', values: ['a${*}b'], request: 'aXb', expected: false },
  { rule: '${*} matches a literal star', operator: 'StringLike', values: ['a${*}b'], request: 'a*b', expected: true },
  { rule: '${?} is a literal question mark', operator: 'StringLike', values: ['why${?}'], request: 'why?', expected: true },
  { rule: '${$} is a literal dollar', operator: 'StringEquals', values: ['${$}{x}'], request: '${x}', expected: true },
  { rule: 'a variable named like an object property (${constructor}) is just an absent key', operator: 'StringEquals', values: ['a${constructor}'], request: 'a', expected: false },
  { rule: 'a variable whose key is absent makes that value not match', operator: 'StringEquals', values: ['${aws:username}'], request: 'alice', expected: false },
  { rule: 'a value with an absent variable does not stop another value from matching', operator: 'StringEquals', values: ['${aws:username}', 'alice'], request: 'alice', expected: true },
  { rule: 'a negated operator with an absent variable does not hold', operator: 'StringNotEquals', values: ['${aws:username}'], request: 'alice', expected: false },
  { rule: 'a multi-valued key cannot be a policy variable', operator: 'StringEquals', values: ['${aws:TagKeys}'], request: 'a', extra: { 'aws:TagKeys': ['a', 'b'] }, expected: false },
  { rule: 'a tag key variable (${aws:PrincipalTag/<key>}) is substituted, spaces in the tag key included', operator: 'StringEquals', values: ['${aws:PrincipalTag/cost center}'], request: 'cc-1', extra: { 'aws:PrincipalTag/cost center': 'cc-1' }, expected: true },
  { rule: "a '' in a variable default is one quote", operator: 'StringEquals', values: ["${aws:username, 'o''brien'}"], request: "o'brien", expected: true },
  { rule: "${key, 'default'} uses the default when the key is absent", operator: 'StringEquals', values: ["${aws:username, 'anonymous'}"], request: 'anonymous', expected: true },
  { rule: 'variables are substituted in Arn operators', operator: 'ArnLike', values: ['arn:aws:iam::${aws:PrincipalAccount}:role/*'], request: ROLE, extra: { 'aws:PrincipalAccount': '111122223333' }, expected: true },
  { rule: 'without variable support (2008-10-17) ${...} is literal text', operator: 'StringEquals', values: ['${aws:username}'], request: '${aws:username}', extra: { 'aws:username': 'alice' }, variables: false, expected: true },
  { rule: 'Numeric operators do not take policy variables', operator: 'NumericEquals', values: ['${aws:MultiFactorAuthAge}'], request: 5, extra: { 'aws:MultiFactorAuthAge': 5 }, expected: false },
];

const keyRows: Row[] = [
  { rule: 'condition key names match case-insensitively', operator: 'StringEquals', key: 'AWS:SourceVpc', values: ['vpc-1'], request: 'vpc-1', expected: true },
  { rule: 'the encryption-context key name is not case-sensitive (KMS Developer Guide)', operator: 'StringEquals', key: 'kms:EncryptionContext:Dept', values: ['IT'], extra: { 'kms:EncryptionContext:dept': 'IT' }, expected: true },
  { rule: 'the kms:EncryptionContext: prefix is case-insensitive', operator: 'StringEquals', key: 'KMS:ENCRYPTIONCONTEXT:Dept', values: ['IT'], extra: { 'kms:EncryptionContext:Dept': 'IT' }, expected: true },
  { rule: 'kms:EncryptionContextKeys is a separate, case-insensitive key', operator: 'ForAnyValue:StringEquals', key: 'kms:encryptioncontextkeys', values: ['Dept'], extra: { 'kms:EncryptionContextKeys': ['Dept'] }, expected: true },
];

const unknownRows: Row[] = [
  { rule: 'an unknown operator never matches', operator: 'StringSortOf', values: ['x'], request: 'x', expected: false },
  { rule: 'an unknown operator never matches, even on a missing key with IfExists', operator: 'StringSortOfIfExists', values: ['x'], expected: false },
  { rule: 'an unknown set prefix is an unknown operator', operator: 'ForSomeValues:StringEquals', values: ['x'], request: 'x', expected: false },
  { rule: 'Null with a set operator is not an IAM operator', operator: 'ForAllValues:Null', values: ['true'], expected: false },
];

describe('conditions: String operators', () => it.each(stringRows)('$rule', check));
describe('conditions: Numeric operators', () => it.each(numericRows)('$rule', check));
describe('conditions: Date operators', () => it.each(dateRows)('$rule', check));
describe('conditions: Bool and BinaryEquals', () => it.each(boolBinaryRows)('$rule', check));
describe('conditions: IpAddress and NotIpAddress', () => it.each(ipRows)('$rule', check));
describe('conditions: Arn operators', () => it.each(arnRows)('$rule', check));
describe('conditions: Null', () => it.each(nullRows)('$rule', check));
describe('conditions: IfExists, ForAllValues, ForAnyValue', () => it.each(modifierRows)('$rule', check));
describe('conditions: policy variables', () => it.each(variableRows)('$rule', check));
describe('conditions: condition key names', () => it.each(keyRows)('$rule', check));
describe('conditions: unknown operators', () => it.each(unknownRows)('$rule', check));

describe('conditions: combining', () => {
  const ctx = buildConditionContext({ 'aws:a': 'x', 'aws:b': 'y' });
  it('several conditions AND together', () => {
    expect(evaluateConditions([cond('StringEquals', ['x'], 'aws:a'), cond('StringEquals', ['y'], 'aws:b')], ctx)).toBe(true);
    expect(evaluateConditions([cond('StringEquals', ['x'], 'aws:a'), cond('StringEquals', ['nope'], 'aws:b')], ctx)).toBe(false);
  });
  it('no conditions is true', () => {
    expect(evaluateConditions([], ctx)).toBe(true);
  });
  it('garbage conditions are false, not a crash', () => {
    expect(evaluateConditions([null as unknown as NormalizedCondition], ctx)).toBe(false);
    expect(evaluateCondition({ operator: 'StringEquals', key: 42, values: 'x' } as unknown as NormalizedCondition, ctx)).toBe(false);
  });
});

describe('conditions: operator names', () => {
  it('knows every IAM condition operator', () => {
    const expected = [
      'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
      'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
      'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
      'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
    ];
    expect([...CONDITION_OPERATORS].sort()).toEqual([...expected].sort());
  });
  it('splits a set prefix and IfExists suffix', () => {
    expect(parseConditionOperator('ForAnyValue:StringLikeIfExists')).toEqual({ base: 'StringLike', setOperator: 'ForAnyValue', ifExists: true, known: true });
    expect(parseConditionOperator('stringequals').base).toBe('StringEquals');
    expect(parseConditionOperator('Whatever').known).toBe(false);
  });
});

describe('wildcardMatch', () => {
  const cases: Array<[string, string, boolean, boolean?]> = [
    ['*', '', true],
    ['*', 'anything at all', true],
    ['?', '', false],
    ['??', 'ab', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['*a', 'bbbba', true],
    ['a**b', 'ab', true],
    ['kms:*', 'KMS:Decrypt', true, true],
    ['kms:*', 'KMS:Decrypt', false, false],
    ['a.b', 'axb', false],
    ['é?', 'éx', true],
  ];
  it.each(cases)('%s vs %s → %s', (pattern, value, expected, ci) => {
    expect(wildcardMatch(pattern, value, { caseInsensitive: ci ?? false })).toBe(expected);
  });
  it('handles a long value against a star-heavy pattern without blowing up', () => {
    const value = 'a'.repeat(5000);
    expect(wildcardMatch('*a*a*a*a*a*b', value)).toBe(false);
    expect(wildcardMatch(`${'*a'.repeat(50)}*`, value)).toBe(true);
  });
});

describe('ARN and principal helpers', () => {
  it('parses an ARN whose resource contains colons', () => {
    expect(parseArn('arn:aws:logs:us-east-1:111122223333:log-group:app:*')).toEqual({
      partition: 'aws', service: 'logs', region: 'us-east-1', account: '111122223333', resource: 'log-group:app:*',
    });
    expect(parseArn('not-an-arn')).toBeUndefined();
    expect(parseArn('arn:aws:iam')).toBeUndefined();
  });
  it('classifies callers', () => {
    expect(classifyPrincipal('111122223333')).toMatchObject({ kind: 'root', account: '111122223333' });
    expect(classifyPrincipal('arn:aws:iam::111122223333:root').kind).toBe('root');
    expect(classifyPrincipal('arn:aws:iam::111122223333:user/a/b/carol')).toMatchObject({ kind: 'user', name: 'carol' });
    expect(classifyPrincipal('arn:aws:iam::111122223333:role/svc/App')).toMatchObject({ kind: 'role', roleName: 'App' });
    expect(classifyPrincipal('arn:aws:sts::111122223333:assumed-role/App/s')).toMatchObject({ kind: 'assumed-role', roleName: 'App', sessionName: 's' });
    expect(classifyPrincipal('arn:aws:sts::111122223333:federated-user/bob').kind).toBe('federated-user');
    expect(classifyPrincipal('sns.amazonaws.com').kind).toBe('service');
    expect(classifyPrincipal(undefined).kind).toBe('unknown');
  });
  it('reads regional service principals', () => {
    expect(parseServicePrincipal('logs.us-gov-west-1.amazonaws.com')).toEqual({ name: 'logs', region: 'us-gov-west-1', suffix: 'amazonaws.com' });
    expect(parseServicePrincipal('delivery.logs.amazonaws.com')).toEqual({ name: 'delivery.logs', suffix: 'amazonaws.com' });
    expect(servicePrincipalsMatch('logs.cn-north-1.amazonaws.com.cn', 'logs.amazonaws.com.cn')).toBe(true);
    expect(servicePrincipalsMatch('logs.amazonaws.com', 'sns.amazonaws.com')).toBe(false);
  });
  it('parses dates and CIDRs defensively', () => {
    expect(parseDate('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDate('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseDate('2024-13-01')).toBeUndefined();
    expect(parseDate('2024-01-01T00:00:00')).toBe(Date.UTC(2024, 0, 1));
    expect(ipInCidr('10.0.0.1', '10.0.0.0/33')).toBe(false);
    expect(ipInCidr('::1', '::1/128')).toBe(true);
    expect(ipInCidr('1:2:3:4:5:6:7:8', '1:2:3:4::/64')).toBe(true);
    expect(ipInCidr('1:2:3:4:5:6:7:8:9', '::/0')).toBe(false);
    expect(arnMatch('*', 'arn:aws:kms:us-east-1:111122223333:key/x')).toBe(true);
  });
});


describe('randomised checks against independent oracles', () => {
  it('wildcardMatch agrees with a regular-expression translation of the same glob', () => {
    const rand = prng(42);
    const alphabet = ['a', 'b', 'A', ':', '/', '.', '*', '?', '+', '(', 'é'];
    const pick = (n: number) => Array.from({ length: Math.floor(rand() * n) }, () => alphabet[Math.floor(rand() * alphabet.length)]!).join('');
    const oracle = (pattern: string, value: string, ci: boolean) => {
      const body = Array.from(pattern)
        .map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
        .join('');
      return new RegExp(`^${body}$`, ci ? 'iu' : 'u').test(value);
    };
    let agreed = 0;
    for (let i = 0; i < 3000; i++) {
      const pattern = pick(8);
      const value = pick(10).replace(/[*?]/g, 'b');
      const ci = rand() < 0.5;
      expect(wildcardMatch(pattern, value, { caseInsensitive: ci }), `${pattern} vs ${value} ci=${ci}`).toBe(oracle(pattern, value, ci));
      agreed++;
    }
    expect(agreed).toBe(3000);
  });

  it('ipInCidr agrees with node:net BlockList for random IPv4 and IPv6 blocks', async () => {
    const { BlockList } = await import('node:net');
    const rand = prng(7);
    const octet = () => Math.floor(rand() * 256);
    const group = () => Math.floor(rand() * 65536).toString(16);
    for (let i = 0; i < 1000; i++) {
      const v6 = rand() < 0.5;
      // Keep addresses close to the network so both outcomes occur often.
      const base = v6 ? Array.from({ length: 8 }, group) : Array.from({ length: 4 }, octet);
      const other = [...base];
      const idx = Math.floor(rand() * other.length);
      other[idx] = v6 ? group() : octet();
      const net = v6 ? base.join(':') : base.join('.');
      const address = v6 ? other.join(':') : other.join('.');
      const prefix = Math.floor(rand() * ((v6 ? 128 : 32) + 1));
      const list = new BlockList();
      list.addSubnet(net, prefix, v6 ? 'ipv6' : 'ipv4');
      expect(ipInCidr(address, `${net}/${prefix}`), `${address} in ${net}/${prefix}`).toBe(list.check(address, v6 ? 'ipv6' : 'ipv4'));
    }
  });

  it('evaluateCondition never throws and always answers a boolean on random input', () => {
    const rand = prng(99);
    const ops = [...CONDITION_OPERATORS, 'Bogus', 'ForAllValues:StringLike', 'ForAnyValue:IpAddressIfExists', 'NullIfExists', 'DateEqualsIfExists'];
    const values = ['', '*', '${aws:username}', '${', '${}', '${aws:x', '10.0.0.0/8', '::/0', 'true', '2024-01-01', '1e400', 'arn:aws:iam::1:role/x', '=='];
    const pickValue = () => values[Math.floor(rand() * values.length)]!;
    for (let i = 0; i < 2000; i++) {
      const operator = ops[Math.floor(rand() * ops.length)]!;
      const request = rand() < 0.3 ? undefined : rand() < 0.5 ? pickValue() : [pickValue(), pickValue()];
      const ctx = buildConditionContext({ [KEY]: request, 'aws:username': rand() < 0.5 ? pickValue() : undefined });
      const result = evaluateCondition(cond(operator, [pickValue(), pickValue()]), ctx, { variables: rand() < 0.5 });
      expect(typeof result).toBe('boolean');
    }
  });
});
