/**
 * Rotation: rotate the data key on demand (an admin action), then advance the emulator's clock past
 * the rotation period so automatic rotation happens. The envelope sealed before both rotations still
 * opens, and ReEncrypt moves its data key to the newest key material.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DescribeKeyCommand, GetKeyRotationStatusCommand, ListKeyRotationsCommand, ReEncryptCommand, RotateKeyOnDemandCommand } from '@aws-sdk/client-kms';
import { envelopeContext, openFile, readEnvelope, withEncryptedKey } from './envelope.js';
import type { Flow } from './types.js';

export const rotation: Flow = async (ctx) => {
  if (!ctx.envelopeFile) throw new Error('the envelope flow must run first');
  const keyId = (await ctx.admin.send(new DescribeKeyCommand({ KeyId: ctx.dataKeyAlias }))).KeyMetadata!.KeyId!;
  const status = await ctx.admin.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
  const before = readFileSync(ctx.envelopeFile);
  const context = envelopeContext(ctx.appContext);

  // Counted from what is there: the state file keeps earlier runs' rotations.
  const listRotations = async () => (await ctx.admin.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations ?? [];
  const initial = await listRotations();
  await ctx.admin.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
  const afterOnDemand = await listRotations();

  const periodDays = status.RotationPeriodInDays ?? 365;
  // Advance to a day past the next scheduled rotation (a period from now on a fresh key; sooner when
  // the state file carries an earlier run's schedule).
  const next = status.NextRotationDate?.getTime() ?? ctx.emulator.clock.now().getTime() + periodDays * 86_400_000;
  const advanceDays = Math.max(1, Math.ceil((next - ctx.emulator.clock.now().getTime()) / 86_400_000) + 1);
  ctx.emulator.clock.advance({ days: advanceDays });
  const afterClock = await listRotations();

  const original = await openFile(ctx.app, before, context);
  const oldOpens = original.length > 0;
  const re = await ctx.app.send(
    new ReEncryptCommand({ CiphertextBlob: readEnvelope(before).encryptedKey, SourceEncryptionContext: context, DestinationKeyId: ctx.dataKeyAlias, DestinationEncryptionContext: context }),
  );
  const moved = withEncryptedKey(before, re.CiphertextBlob!);
  writeFileSync(ctx.envelopeFile, moved);
  const movedOpens = (await openFile(ctx.app, moved, context)).equals(original);
  return {
    name: 'Rotation',
    checks: [
      { ok: status.KeyRotationEnabled === true, text: `automatic rotation is on, every ${periodDays} days (from the stack)` },
      { ok: afterOnDemand.length === initial.length + 1 && afterOnDemand.at(-1)?.RotationType === 'ON_DEMAND', text: 'RotateKeyOnDemand added new key material' },
      { ok: afterClock.length === afterOnDemand.length + 1 && afterClock.at(-1)?.RotationType === 'AUTOMATIC', text: `clock advanced ${advanceDays} days, past the next scheduled rotation: automatic rotation happened` },
      { ok: oldOpens, text: 'the envelope sealed before both rotations still decrypts' },
      { ok: movedOpens && !Buffer.from(re.CiphertextBlob!).equals(readEnvelope(before).encryptedKey), text: 'ReEncrypt moved its data key to the newest key material' },
    ],
  };
};
