import { describe, expect, it } from 'vitest';
import { renderPolicyDocument } from '../../../iac/terraform/policy-document.js';

const none = (): undefined => undefined;

describe('renderPolicyDocument', () => {
  it('renders statement, principals and condition blocks the way Terraform does', () => {
    const block = {
      statement: [
        {
          sid: 'Users',
          actions: ['kms:Decrypt', 'kms:Encrypt'],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/A'] }, { type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/B'] }],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.us-east-1.amazonaws.com'] }],
        },
        { effect: 'Deny', not_actions: ['kms:Decrypt'], resources: ['*'], principals: [{ type: '*', identifiers: ['*'] }] },
      ],
    };
    const out = renderPolicyDocument('doc', block, none);
    expect(out).toEqual({
      ok: true,
      value: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Users',
            Effect: 'Allow',
            Principal: { AWS: ['arn:aws:iam::111122223333:role/A', 'arn:aws:iam::111122223333:role/B'] },
            Action: ['kms:Decrypt', 'kms:Encrypt'],
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
          },
          { Effect: 'Deny', Principal: '*', NotAction: 'kms:Decrypt', Resource: '*' },
        ],
      },
    });
  });

  it('keeps a typed "*" principal as an object', () => {
    const out = renderPolicyDocument('d', { statement: [{ actions: ['kms:*'], principals: [{ type: 'AWS', identifiers: ['*'] }] }] }, none);
    expect(out.ok && (out.value.Statement as Array<Record<string, unknown>>)[0]!.Principal).toEqual({ AWS: '*' });
  });

  it('puts source documents first and lets statements with the same Sid replace theirs', () => {
    const docs: Record<string, unknown> = {
      base: { statement: [{ sid: 'Root', actions: ['kms:*'] }, { sid: 'Old', actions: ['kms:Decrypt'] }] },
    };
    const block = {
      source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
      statement: [{ sid: 'Old', actions: ['kms:Encrypt'] }],
      override_policy_documents: ['{"Statement":[{"Sid":"Extra","Effect":"Deny","Action":"kms:*"}]}'],
    };
    const out = renderPolicyDocument('top', block, (n) => docs[n]);
    expect(out.ok && (out.value.Statement as Array<{ Sid: string; Action?: unknown }>).map((s) => [s.Sid, s.Action])).toEqual([
      ['Root', 'kms:*'],
      ['Old', 'kms:Encrypt'],
      ['Extra', 'kms:*'],
    ]);
  });

  it('keeps ${...} references in values for the rules to treat as unknown', () => {
    const out = renderPolicyDocument('d', { statement: [{ actions: ['kms:*'], principals: [{ type: 'AWS', identifiers: ['${aws_iam_role.app.arn}'] }] }] }, none);
    expect(out.ok && (out.value.Statement as Array<Record<string, unknown>>)[0]!.Principal).toEqual({ AWS: '${aws_iam_role.app.arn}' });
  });

  it('gives up on parts it cannot know: dynamic blocks, referenced lists, self-references', () => {
    expect(renderPolicyDocument('d', { dynamic: { statement: {} } }, none).ok).toBe(false);
    expect(renderPolicyDocument('d', { statement: [{ actions: '${var.actions}' }] }, none).ok).toBe(false);
    const loop = { source_policy_documents: ['${data.aws_iam_policy_document.d.json}'] };
    const out = renderPolicyDocument('d', loop, () => loop);
    expect(out).toMatchObject({ ok: false, reason: expect.stringMatching(/refers back/) });
  });
});
