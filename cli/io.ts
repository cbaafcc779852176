/** Where a command writes. Tests pass a capturing Io; the bin shim uses the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal: colour and live output are allowed. */
  readonly isTty: boolean;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  get isTty() {
    return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  },
};

/** An Io that records everything, for tests and for commands that embed other commands. */
export function captureIo(): Io & { stdout: () => string; stderr: () => string } {
  let o = '';
  let e = '';
  return {
    out: (t) => void (o += t),
    err: (t) => void (e += t),
    isTty: false,
    stdout: () => o,
    stderr: () => e,
  };
}
