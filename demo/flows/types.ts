import type { KMSClient } from '@aws-sdk/client-kms';
import type { Emulator } from '../../emulator/emulator.js';

/** What every flow gets: clients for the principals the stacks declare, and the emulator itself. */
export interface FlowContext {
  emulator: Emulator;
  /** The application role the stacks grant use of the data key. */
  app: KMSClient;
  appRoleArn: string;
  /** A key administrator (rotation is an admin action, not an app one). */
  admin: KMSClient;
  adminArn: string;
  /** A principal the stacks do not grant. */
  outsiderArn: string;
  /**
   * The encryption context the stacks' grant to the app role requires (EncryptionContextSubset):
   * every request the app makes carries these pairs, plus its own.
   */
  appContext: Readonly<Record<string, string>>;
  /** The data key, by alias as the app would name it. */
  dataKeyAlias: string;
  /** A scratch folder under .kmskit/ for the files the flows write. */
  workDir: string;
  /** Plaintexts the flows used, so the audit flow can prove none reached the log. */
  secrets: string[];
  /** Envelope written by the envelope flow, reused by the rotation flow. */
  envelopeFile?: string;
}

export interface FlowResult {
  name: string;
  ok: boolean;
  ms: number;
  /** One line per check, each with its own verdict. */
  checks: Array<{ ok: boolean; text: string }>;
  /** Extra lines the report prints under the flow (tables, messages). */
  details?: string[][];
  detailHeaders?: string[];
}

export type Flow = (ctx: FlowContext) => Promise<Omit<FlowResult, 'ms' | 'ok'>>;
