/**
 * Fault injection per operation: make the next N calls (or a fraction of calls) fail with
 * ThrottlingException, KMSInternalException or DependencyTimeoutException, or answer late.
 */
import { KmsError } from './errors.js';

export type FaultError = 'ThrottlingException' | 'KMSInternalException' | 'DependencyTimeoutException';
export interface FaultSpec {
  /** An operation name (`Decrypt`) or `*` for all. */
  operation: string;
  error?: FaultError;
  latencyMs?: number;
  /** How many calls it applies to (default: unlimited when probability is set, else 1). */
  count?: number;
  /** Chance per call, 0–1 (default 1). */
  probability?: number;
}

const MESSAGES: Record<FaultError, string> = {
  ThrottlingException: 'Rate exceeded',
  KMSInternalException: 'An internal error occurred (injected by kmskit).',
  DependencyTimeoutException: 'The system timed out while trying to fulfill the request (injected by kmskit).',
};

interface Active extends FaultSpec {
  remaining: number;
}

export class Faults {
  private active: Active[] = [];
  constructor(private readonly random: () => number = Math.random) {}

  inject(spec: FaultSpec): void {
    if (!spec.operation) throw new TypeError('faults.inject needs an operation name (or "*")');
    if (spec.error && !(spec.error in MESSAGES)) throw new TypeError(`faults.inject: error must be one of ${Object.keys(MESSAGES).join(', ')}, got ${spec.error}`);
    if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) throw new TypeError(`faults.inject: probability must be 0–1, got ${spec.probability}`);
    if (!spec.error && !spec.latencyMs) throw new TypeError('faults.inject needs an error or a latencyMs');
    const remaining = spec.count ?? (spec.probability !== undefined ? Number.POSITIVE_INFINITY : 1);
    this.active.push({ ...spec, remaining });
  }

  clear(): void {
    this.active = [];
  }

  /** Whether any fault is armed (lets callers skip apply() entirely on the hot path). */
  get armed(): boolean {
    return this.active.length > 0;
  }

  list(): FaultSpec[] {
    return this.active.map(({ remaining, ...s }) => ({ ...s, count: remaining }));
  }

  /** Called before each operation: waits for injected latency, then throws an injected error. */
  async apply(operation: string): Promise<void> {
    if (this.active.length === 0) return;
    for (const f of this.active) {
      if (f.operation !== '*' && f.operation !== operation) continue;
      if (f.remaining <= 0) continue;
      if (f.probability !== undefined && this.random() >= f.probability) continue;
      f.remaining--;
      this.active = this.active.filter((a) => a.remaining > 0);
      if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
      if (f.error) throw new KmsError(f.error, MESSAGES[f.error]);
      return;
    }
  }
}
