/**
 * Access control: a principal the stacks do not grant asks to decrypt the app's data. The emulator
 * refuses it as AWS would, with AWS's AccessDeniedException wording, and its explain trace names
 * what decided. The same request from the app role succeeds.
 */
import { DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { KmsError, type ExplainTrace } from '../../emulator/core/errors.js';
import type { Flow } from './types.js';

/** The explain trace as lines: the rule of AWS's order that decided, then each statement that matched. */
export function explainLines(explain: ExplainTrace | undefined): string[] {
  if (!explain) return [];
  return [
    explain.reason,
    ...explain.statements.map((st) => `${st.effect} ${st.sid ? `"${st.sid}"` : '(no Sid)'} in the ${st.source === 'key-policy' ? 'key policy' : `identity policy ${st.documentIndex}`} at ${st.pointer} (principal matched as ${st.principalMatch})`),
    ...(explain.grantId ? [`grant ${explain.grantId}`] : []),
  ];
}

export const accessControl: Flow = async (ctx) => {
  const secret = 'quarterly numbers, not public yet';
  ctx.secrets.push(secret);
  const blob = (await ctx.app.send(new EncryptCommand({ KeyId: ctx.dataKeyAlias, Plaintext: Buffer.from(secret), EncryptionContext: { ...ctx.appContext, team: 'finance' } }))).CiphertextBlob!;

  let denial: KmsError | undefined;
  try {
    await ctx.emulator.send('Decrypt', { CiphertextBlob: Buffer.from(blob).toString('base64'), EncryptionContext: { ...ctx.appContext, team: 'finance' } }, { principal: ctx.outsiderArn });
  } catch (e) {
    if (e instanceof KmsError) denial = e;
    else throw e;
  }
  const appPlain = await ctx.app.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { ...ctx.appContext, team: 'finance' } }));
  const lines = denial ? explainLines(denial.explain) : [];
  return {
    name: 'Access control',
    checks: [
      { ok: denial?.code === 'AccessDeniedException', text: `${ctx.outsiderArn} is refused: ${denial?.code ?? 'it was NOT refused'}` },
      { ok: Boolean(denial?.message.startsWith(`User: ${ctx.outsiderArn} is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:`)), text: 'with AWS\'s denial message' },
      { ok: Buffer.from(appPlain.Plaintext!).toString() === secret, text: `${ctx.appRoleArn} decrypts the same ciphertext` },
    ],
    detailHeaders: ['denial'],
    details: [[denial?.message ?? ''], ...lines.map((l, i) => [`  ${i === 0 ? 'why' : 'statement'}: ${l}`])],
  };
};
