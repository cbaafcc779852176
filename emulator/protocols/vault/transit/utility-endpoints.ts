/**
 * The keyless endpoints: random bytes, hashing, and the mount's keys configuration (upsert on or off).
 */
import { randomBytes } from 'node:crypto';
import { userError } from '../errors.js';
import type { LogicalResponse } from '../envelope.js';
import type { Endpoint, HandlerContext } from '../endpoint.js';
import { decodeStdBase64 } from '../params.js';
import { HASHES, digest } from './crypto.js';
import { mountOf } from './request.js';

function random(ctx: HandlerContext): LogicalResponse {
  const d = ctx.data;
  let bytes = d.int('bytes');
  const urlBytes = d.string('urlbytes');
  if (urlBytes) {
    if (!/^\d+$/.test(urlBytes)) throw userError(`error parsing URL-provided byte count: strconv.Atoi: parsing ${JSON.stringify(urlBytes)}: invalid syntax`);
    bytes = Number(urlBytes);
  }
  const format = d.string('format');
  const source = d.string('source');
  if (source !== 'platform' && source !== 'seal' && source !== 'all') throw userError(`unsupported entropy source ${JSON.stringify(source)}; must be "platform" or "seal", or "all"`);
  if (bytes < 1) throw userError('bytes cannot be negative');
  if (bytes > 128 * 1024) throw userError('bytes cannot be more than 131072');
  if (format !== 'base64' && format !== 'hex') throw userError(`unsupported encoding format ${format}; must be "hex" or "base64"`);
  const out = randomBytes(bytes);
  return { data: { random_bytes: format === 'hex' ? out.toString('hex') : out.toString('base64') } };
}

function hash(ctx: HandlerContext): LogicalResponse {
  const d = ctx.data;
  if (!d.has('input')) throw userError('input missing');
  const input = decodeStdBase64(d.string('input'));
  if (typeof input === 'string') throw userError(`unable to decode input as base64: ${input}`);
  const format = d.string('format');
  if (format !== 'hex' && format !== 'base64') throw userError(`unsupported encoding format ${format}; must be "hex" or "base64"`);
  const algName = d.string('urlalgorithm') || d.string('algorithm');
  const alg = HASHES[algName];
  if (!alg) throw userError(`unsupported algorithm ${algName}`);
  const sum = digest(alg, input);
  return { data: { sum: format === 'hex' ? sum.toString('hex') : sum.toString('base64') } };
}

function readConfigKeys(ctx: HandlerContext): LogicalResponse {
  return { data: { disable_upsert: mountOf(ctx).disableUpsert } };
}

function writeConfigKeys(ctx: HandlerContext): LogicalResponse {
  const m = mountOf(ctx);
  const disableUpsert = ctx.data.has('disable_upsert') ? ctx.data.bool('disable_upsert') : m.disableUpsert;
  if (disableUpsert !== m.disableUpsert) ctx.commit([{ kind: 'transit-config', mount: m.record.path, disableUpsert }]);
  return { data: { disable_upsert: disableUpsert } };
}

export const UTILITY_ENDPOINTS: Endpoint[] = [
  {
    event: 'transit/random',
    pattern: /^random(?:\/(?<source>platform|seal|all))?(?:\/(?<urlbytes>[^/]+))?$/,
    fields: { urlbytes: 'string', bytes: { type: 'int', default: 32 }, format: { type: 'string', default: 'base64' }, source: { type: 'string', default: 'platform' } },
    ops: { update: random },
  },
  {
    event: 'transit/hash',
    pattern: /^hash(?:\/(?<urlalgorithm>[^/]+))?$/,
    fields: { input: 'string', algorithm: { type: 'string', default: 'sha2-256' }, urlalgorithm: 'string', format: { type: 'string', default: 'hex' } },
    ops: { update: hash },
  },
  { event: 'transit/config/keys', pattern: /^config\/keys$/, fields: { disable_upsert: 'bool' }, ops: { read: readConfigKeys, update: writeConfigKeys } },
];
