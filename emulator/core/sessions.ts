/**
 * Assumed-role sessions: the temporary credentials STS AssumeRole hands out for a role of the
 * identities. A session's access key id (ASIA…) names the session ARN
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`), which carries its role's identity
 * policies, and its secret is checked like any identity's. Sessions live in memory only (a
 * restarted emulator forgets them, and clients assume the role again), and expire on the wall
 * clock, which is what the SDKs compare `Expiration` with.
 */
import { createHash, randomBytes } from 'node:crypto';
import { classifyPrincipal } from '../../policies/arn.js';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  arn: string;
  /** `AROA…:<session>`, what GetCallerIdentity answers as UserId. */
  assumedRoleId: string;
  roleArn: string;
  /** Wall-clock ms. */
  expiresAt: number;
}

const EXPIRED_KEPT_MS = 12 * 3600_000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` + 16 characters of AWS's unique-id alphabet, from `bytes` (random or a digest). */
function awsId(prefix: string, bytes: Buffer): string {
  let out = prefix;
  for (let i = 0; i < 16; i++) out += ALPHABET[bytes[i]! % 32];
  return out;
}

/**
 * The unique id AWS shows as `aws:userid` / GetCallerIdentity's UserId: the account id for the root
 * user, AIDA… for an IAM user, AROA… for a role, AROA…:session for an assumed-role session. AWS
 * assigns these at creation; kmskit derives them from the ARN so they are stable across restarts.
 */
export function uniqueIdOf(arn: string): string {
  const p = classifyPrincipal(arn);
  const digest = (s: string) => createHash('sha256').update(s).digest();
  if (p.kind === 'root') return p.account!;
  if (p.kind === 'user') return awsId('AIDA', digest(arn));
  if (p.kind === 'role') return awsId('AROA', digest(arn));
  if (p.kind === 'assumed-role') return `${awsId('AROA', digest(`arn:aws:iam::${p.account}:role/${p.roleName}`))}:${p.sessionName}`;
  if (p.kind === 'federated-user') return `${p.account}:${p.name}`;
  return arn;
}

export class Sessions {
  private readonly byAccessKey = new Map<string, Session>();

  /** New credentials for `roleArn` (an IAM role ARN), valid for `durationSeconds` from `nowMs`. */
  start(roleArn: string, sessionName: string, durationSeconds: number, nowMs = Date.now()): Session {
    const role = classifyPrincipal(roleArn);
    const arn = `arn:${role.partition ?? 'aws'}:sts::${role.account}:assumed-role/${role.roleName}/${sessionName}`;
    const session: Session = {
      accessKeyId: awsId('ASIA', randomBytes(16)),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(192).toString('base64'),
      arn,
      assumedRoleId: uniqueIdOf(arn),
      roleArn,
      expiresAt: nowMs + durationSeconds * 1000,
    };
    // Long-expired sessions are dropped as new ones start, so the map stays small; a recently expired
    // one is kept so that its use is answered ExpiredToken rather than as an unknown key.
    for (const [k, s] of this.byAccessKey) if (s.expiresAt + EXPIRED_KEPT_MS < nowMs) this.byAccessKey.delete(k);
    this.byAccessKey.set(session.accessKeyId, session);
    return session;
  }

  get(accessKeyId: string): Session | undefined {
    return this.byAccessKey.get(accessKeyId);
  }

  clear(): void {
    this.byAccessKey.clear();
  }
}
