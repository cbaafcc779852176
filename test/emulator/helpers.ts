import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator.js';

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
export const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
export const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const EXT = `arn:aws:iam::${OTHER}:role/External`;

export const allowAll = (actions: string | string[] = 'kms:*', resource = '*') => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return createEmulator({ account: ACCOUNT, region: 'us-east-1', ...options });
}

/** Run a promise expected to fail; return the error (fails the test when it resolves). */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; code?: string; explain?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const keyPolicy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
export const rootStatement = (account = ACCOUNT) => ({ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' });

/**
 * A ListAliases page without the predefined alias/aws/<service> aliases that no key stands behind
 * yet (AWS lists those in every account; most tests are about the customer's own aliases).
 */
export const customerAliases = <T extends { AliasName?: string; TargetKeyId?: string }>(aliases: T[] | undefined): T[] =>
  (aliases ?? []).filter((a) => !(a.AliasName?.startsWith('alias/aws/') && a.TargetKeyId === undefined));
