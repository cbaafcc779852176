/**
 * Control routes for tests, under `/_kmskit/`. They bypass authorization by design (they drive the
 * emulator, not KMS), so the server serves them only on a loopback address unless told otherwise.
 *
 *   POST   /_kmskit/clock  {"advanceSeconds"?, "advanceDays"?}  → {"now": ISO-8601, "epochSeconds"}
 *   GET    /_kmskit/clock                                       → {"now", "epochSeconds"}
 *   GET    /_kmskit/audit                                       → {"events": [CloudTrail-shaped events]}
 *   POST   /_kmskit/faults {"operation","error"?,"latencyMs"?,"count"?,"probability"?} → {"ok": true}
 *   DELETE /_kmskit/faults  (or POST {"clear": true})           → {"ok": true}
 *   POST   /_kmskit/reset                                       → {"ok": true}
 *
 * Bad input is a 400 `{"__type":"ValidationException","message"}`, like the AWS routes.
 */
import { awsError, isPlainObject, type FaultSpec, type RouteResult, type WireEmulator } from '../wire.js';

/** Whether a path is one of the control routes. */
export function isControlPath(path: string): boolean {
  return path === '/_kmskit' || path.startsWith('/_kmskit/');
}

export async function handleControl(emulator: WireEmulator, method: string, path: string, rawBody: Buffer): Promise<RouteResult> {
  try {
    return await control(emulator, method, path, rawBody);
  } catch (e) {
    // The clock and fault injector reject bad arguments with TypeError/RangeError and a message
    // written for the caller; those are bad input here, not internal faults.
    if (e instanceof TypeError || e instanceof RangeError) return invalid(e.message);
    throw e;
  }
}

async function control(emulator: WireEmulator, method: string, path: string, rawBody: Buffer): Promise<RouteResult> {
  const route = path.slice('/_kmskit/'.length).replace(/\/+$/, '');
  let body: Record<string, unknown> = {};
  if (method === 'POST' && rawBody.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return awsError(400, 'SerializationException', 'Request body is not valid JSON');
    }
    if (!isPlainObject(parsed)) return awsError(400, 'SerializationException', 'Request body must be a JSON object');
    body = parsed;
  }

  if (route === 'clock' && (method === 'POST' || method === 'GET')) {
    if (method === 'POST') {
      const seconds = optionalNumber(body, 'advanceSeconds');
      const days = optionalNumber(body, 'advanceDays');
      if (typeof seconds === 'string') return invalid(seconds);
      if (typeof days === 'string') return invalid(days);
      if (seconds === undefined && days === undefined) return invalid('advanceSeconds or advanceDays is required');
      await emulator.clock.advance({ ...(seconds !== undefined ? { seconds } : {}), ...(days !== undefined ? { days } : {}) });
    }
    return { status: 200, body: clockBody(emulator.clock.now()) };
  }
  if (route === 'audit' && method === 'GET') {
    return { status: 200, body: { events: emulator.audit.events() } };
  }
  if (route === 'faults' && method === 'DELETE') {
    await emulator.faults.clear();
    return { status: 200, body: { ok: true } };
  }
  if (route === 'faults' && method === 'POST') {
    if (body.clear === true) {
      await emulator.faults.clear();
      return { status: 200, body: { ok: true } };
    }
    const spec = faultSpec(body);
    if (typeof spec === 'string') return invalid(spec);
    await emulator.faults.inject(spec);
    return { status: 200, body: { ok: true } };
  }
  if (route === 'reset' && method === 'POST') {
    await emulator.reset();
    return { status: 200, body: { ok: true } };
  }
  return awsError(404, 'UnknownOperationException', `No control route ${method} /_kmskit/${route.slice(0, 60)}`);
}

function faultSpec(body: Record<string, unknown>): FaultSpec | string {
  const { operation, error } = body;
  if (typeof operation !== 'string' || operation === '') return 'operation is required (an AWS operation name, or "*")';
  if (error !== undefined && typeof error !== 'string') return 'error must be an AWS exception name';
  const spec: FaultSpec = { operation, ...(typeof error === 'string' ? { error } : {}) };
  for (const field of ['latencyMs', 'count', 'probability'] as const) {
    const v = optionalNumber(body, field);
    if (typeof v === 'string') return v;
    if (v !== undefined) spec[field] = v;
  }
  if (spec.probability !== undefined && (spec.probability < 0 || spec.probability > 1)) return 'probability must be between 0 and 1';
  if (spec.latencyMs !== undefined && spec.latencyMs > 60_000) return 'latencyMs must be at most 60000';
  return spec;
}

/** The number, undefined when absent, or the message saying what is wrong. */
function optionalNumber(body: Record<string, unknown>, field: string): number | undefined | string {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `${field} must be a non-negative number`;
  return v;
}

function clockBody(now: Date | number): { now: string; epochSeconds: number } {
  const ms = typeof now === 'number' ? now : now.getTime();
  return { now: new Date(ms).toISOString(), epochSeconds: Math.floor(ms / 1000) };
}

function invalid(message: string): RouteResult {
  return awsError(400, 'ValidationException', message);
}
