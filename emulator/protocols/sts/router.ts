/**
 * STS on the emulator's port, in the AWS query protocol that STS speaks to every current SDK,
 * botocore, the aws CLI and the Terraform AWS provider (botocore's `sts/2011-06-15` model:
 * `"protocol": "query"`): `POST /` with a form body `Action=GetCallerIdentity&Version=2011-06-15`
 * (or the same as a GET query string), SigV4-signed for the service `sts`, answered in XML.
 *
 * - GetCallerIdentity: the caller the credentials name in the identities (or an assumed-role
 *   session), the emulator account's root user for any other key, as the KMS side sees it.
 * - AssumeRole: temporary credentials for a role of the identities, when the caller's identity
 *   policies allow `sts:AssumeRole` on it (the identities file has no trust policies; the account
 *   root may not assume roles, as in AWS). The session's calls carry the role's policies.
 * - Every other STS action answers InvalidAction in AWS's error shape, saying kmskit does not emulate it.
 */
import type { IncomingMessage } from 'node:http';
import { evaluate } from '../../../policies/evaluate.js';
import { parsePolicy } from '../../../policies/parse.js';
import type { NormalizedPolicy } from '../../../policies/model.js';
import { uniqueIdOf } from '../../core/sessions.js';
import { authenticate, type Credentials } from '../caller.js';
import { SignatureError } from '../sigv4.js';
import { firstHeader, type RouteResult, type WireEmulator } from '../wire.js';
import { xmlError, xmlResult } from './xml.js';

export const STS_API_VERSION = '2011-06-15';

/** Every action of the STS API (botocore's model), for telling "not emulated" from "no such action". */
export const STS_API_ACTIONS: ReadonlySet<string> = new Set(
  'AssumeRole AssumeRoleWithSAML AssumeRoleWithWebIdentity AssumeRoot DecodeAuthorizationMessage GetAccessKeyInfo GetCallerIdentity GetDelegatedAccessToken GetFederationToken GetSessionToken GetWebIdentityToken'.split(' '),
);

/** The query protocol's names for the signature problems the JSON protocols call *Exception. */
const SIGNATURE_ERRORS: Record<SignatureError['code'], { code: string; status: number }> = {
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', status: 403 },
  IncompleteSignatureException: { code: 'IncompleteSignature', status: 400 },
  MissingAuthenticationTokenException: { code: 'MissingAuthenticationToken', status: 403 },
  ExpiredTokenException: { code: 'ExpiredToken', status: 400 },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403 },
};

const FORM = 'application/x-www-form-urlencoded';

/**
 * Whether a request is for STS: no X-Amz-Target (that is KMS's AWS JSON), and signed for the service
 * `sts`, or (unsigned) shaped like a query protocol call to `/`: a form body or an `Action=` query.
 */
export function isStsRequest(req: IncomingMessage, path: string, query: string, credentials: Credentials): boolean {
  if (req.headers['x-amz-target'] !== undefined) return false;
  if (credentials.auth) return credentials.auth.service === 'sts';
  if (path !== '/') return false;
  if (req.method === 'GET') return /(^|&)Action=/.test(query);
  return req.method === 'POST' && (firstHeader(req.headers['content-type']) ?? '').toLowerCase().startsWith(FORM);
}

export interface StsRouter {
  handle(req: IncomingMessage, query: string, body: Buffer, credentials: Credentials, requestId: string): RouteResult;
}

export function createStsRouter(emulator: WireEmulator): StsRouter {
  return {
    handle(req, query, body, credentials, requestId) {
      let caller;
      try {
        caller = authenticate(emulator, req, body, credentials, 'sts');
      } catch (e) {
        if (!(e instanceof SignatureError)) throw e;
        const mapped = SIGNATURE_ERRORS[e.code];
        return xmlError(mapped.status, mapped.code, e.message, requestId);
      }
      const params = new URLSearchParams(query);
      if (req.method === 'POST' && body.length > 0) for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
      const action = params.get('Action');
      if (!action) return xmlError(400, 'MissingAction', 'The request is missing an Action parameter.', requestId);
      const version = params.get('Version');
      if (version !== STS_API_VERSION) return xmlError(400, 'InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`, requestId);
      const arn = caller.principal ?? `arn:aws:iam::${emulator.account}:root`;
      if (action === 'GetCallerIdentity') {
        return xmlResult('GetCallerIdentity', { Arn: arn, UserId: uniqueIdOf(arn), Account: accountOf(arn) ?? emulator.account }, requestId);
      }
      if (action === 'AssumeRole') return assumeRole(emulator, arn, caller.accessKeyId, params, requestId);
      if (STS_API_ACTIONS.has(action)) {
        return xmlError(400, 'InvalidAction', `kmskit does not emulate the STS action ${action}; it answers GetCallerIdentity and AssumeRole.`, requestId);
      }
      return xmlError(400, 'InvalidAction', `Could not find operation ${action} for version ${STS_API_VERSION}`, requestId);
    },
  };
}

const accountOf = (arn: string): string | undefined => /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];

function validation(member: string, value: string | null, constraint: string, requestId: string): RouteResult {
  const shown = value === null ? 'null' : `'${value}'`;
  return xmlError(400, 'ValidationError', `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: Member must ${constraint}`, requestId);
}

function assumeRole(emulator: WireEmulator, callerArn: string, accessKeyId: string | undefined, params: URLSearchParams, requestId: string): RouteResult {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  const durationText = params.get('DurationSeconds');
  if (roleArn === null) return validation('roleArn', null, 'not be null', requestId);
  if (sessionName === null) return validation('roleSessionName', null, 'not be null', requestId);
  if (roleArn.length < 20 || roleArn.length > 2048) return validation('roleArn', roleArn, `have length ${roleArn.length < 20 ? 'greater than or equal to 20' : 'less than or equal to 2048'}`, requestId);
  if (sessionName.length < 2 || sessionName.length > 64) return validation('roleSessionName', sessionName, `have length ${sessionName.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 64'}`, requestId);
  if (!/^[\w+=,.@-]*$/.test(sessionName)) return validation('roleSessionName', sessionName, 'satisfy regular expression pattern: [\\w+=,.@-]*', requestId);
  const duration = durationText === null ? 3600 : Number(durationText);
  if (!Number.isInteger(duration)) return xmlError(400, 'ValidationError', `Value '${durationText}' for DurationSeconds is not an integer.`, requestId);
  if (duration < 900) return validation('durationSeconds', String(duration), 'have value greater than or equal to 900', requestId);
  if (duration > 43200) return validation('durationSeconds', String(duration), 'have value less than or equal to 43200', requestId);

  const denied = xmlError(403, 'AccessDenied', `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, requestId);
  if (/^arn:[^:]+:iam::\d{12}:root$/.test(callerArn)) return xmlError(403, 'AccessDenied', 'Roles may not be assumed by root accounts.', requestId);
  if (!emulator.startSession) return denied;
  const callerPolicies = accessKeyId ? callerPoliciesOf(emulator, accessKeyId) : [];
  if (evaluate({ principal: callerArn, action: 'sts:AssumeRole', resource: roleArn }, callerPolicies).decision !== 'allow') return denied;
  const session = emulator.startSession(roleArn, sessionName, duration);
  if (!session) return denied;
  return xmlResult(
    'AssumeRole',
    {
      AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.arn },
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: new Date(session.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    },
    requestId,
  );
}

/** The caller's identity policies, found through its access key (a session's are its role's). */
function callerPoliciesOf(emulator: WireEmulator, accessKeyId: string): NormalizedPolicy[] {
  const principal = emulator.principalForAccessKey(accessKeyId);
  const out: NormalizedPolicy[] = [];
  for (const doc of principal?.policies ?? []) {
    const parsed = parsePolicy(doc).policy;
    if (parsed) out.push(parsed);
  }
  return out;
}
