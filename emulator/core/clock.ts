/**
 * The emulator's controllable clock. Tests move it forward with `advance({ days })`; rotation and
 * deletion are applied lazily on the next request that reads it, so there are no timers to await.
 */
export interface ClockAdvance {
  days?: number;
  hours?: number;
  seconds?: number;
  ms?: number;
}

/** The emulator's controllable clock: `advance` moves it forward, and rotations and deletions fall due on the next request. */
export class Clock {
  private offsetMs = 0;
  private fixed: number | undefined;
  private listeners: Array<() => void> = [];

  constructor(private readonly source: () => number = Date.now) {}

  /** Current emulator time. */
  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return (this.fixed ?? this.source()) + this.offsetMs;
  }

  /** Move time forward (never backward: AWS's clock does not run back). */
  advance(by: ClockAdvance): Date {
    const ms = (by.days ?? 0) * 86_400_000 + (by.hours ?? 0) * 3_600_000 + (by.seconds ?? 0) * 1000 + (by.ms ?? 0);
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative, finite amount, got ${JSON.stringify(by)}`);
    this.offsetMs += ms;
    for (const l of this.listeners) l();
    return this.now();
  }

  /** Stop the clock at a given time (tests that need exact timestamps). */
  set(at: Date): void {
    this.fixed = at.getTime();
    this.offsetMs = 0;
    for (const l of this.listeners) l();
  }

  onChange(l: () => void): void {
    this.listeners.push(l);
  }
}
