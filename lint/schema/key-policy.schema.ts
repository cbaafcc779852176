/**
 * JSON Schema (draft-07) of an AWS KMS key policy document: the grammar of the IAM policy language as
 * KMS accepts it ("IAM JSON policy element reference", "Key policies in AWS KMS"). It checks shape
 * and types only; the meaning of values (is this a real action, a valid ARN?) is the rules' job.
 *
 * `if`/`then`/`else` is used instead of `oneOf` for the "one value or a list" shapes so that a
 * violation is reported at the element that is wrong rather than as "matches no alternative".
 */
const scalar = { type: ['string', 'number', 'boolean'] };

const stringOrList = {
  if: { type: 'array' },
  then: { type: 'array', minItems: 1, items: { type: 'string' } },
  else: { type: 'string' },
};

const principal = {
  if: { type: 'string' },
  then: { const: '*' },
  else: {
    type: 'object',
    minProperties: 1,
    properties: {
      AWS: { $ref: '#/definitions/stringOrList' },
      Service: { $ref: '#/definitions/stringOrList' },
      Federated: { $ref: '#/definitions/stringOrList' },
      CanonicalUser: { $ref: '#/definitions/stringOrList' },
    },
    additionalProperties: false,
  },
};

const condition = {
  type: 'object',
  minProperties: 1,
  additionalProperties: {
    type: 'object',
    minProperties: 1,
    additionalProperties: {
      if: { type: 'array' },
      then: { type: 'array', minItems: 1, items: scalar },
      else: scalar,
    },
  },
};

const statement = {
  type: 'object',
  required: ['Effect'],
  properties: {
    Sid: { type: 'string' },
    Effect: { type: 'string', enum: ['Allow', 'Deny'] },
    Principal: { $ref: '#/definitions/principal' },
    NotPrincipal: { $ref: '#/definitions/principal' },
    Action: { $ref: '#/definitions/stringOrList' },
    NotAction: { $ref: '#/definitions/stringOrList' },
    Resource: { $ref: '#/definitions/stringOrList' },
    NotResource: { $ref: '#/definitions/stringOrList' },
    Condition: { $ref: '#/definitions/condition' },
  },
  additionalProperties: false,
};

export const KEY_POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://kmskit.dev/schemas/key-policy.json',
  title: 'AWS KMS key policy',
  type: 'object',
  required: ['Statement'],
  properties: {
    Version: { type: 'string', enum: ['2012-10-17', '2008-10-17'] },
    Id: { type: 'string' },
    Statement: {
      if: { type: 'array' },
      then: { type: 'array', minItems: 1, items: { $ref: '#/definitions/statement' } },
      else: { $ref: '#/definitions/statement' },
    },
  },
  additionalProperties: false,
  definitions: { stringOrList, principal, condition, statement },
} as const;
