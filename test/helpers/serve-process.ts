/**
 * Starts `kmskit serve` as a child process on a free port and resolves once it has printed its
 * "listening" line (which it prints only after answering a request).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The command that runs kmskit from source: node with the tsx loader. */
export function kmskitDevCommand(args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', 'tsx', join(REPO_ROOT, 'test', 'helpers', 'kmskit-dev.ts'), ...args] };
}

/**
 * True when dist/ holds an up-to-date build of the CLI, emulator and policies sources, so the real
 * `bin/kmskit.js` can be run (it starts much faster than tsx compiling from source).
 */
/** Sources tsconfig.build.json leaves out of dist/ (the docs generator runs from source only). */
const NOT_BUILT = new Set(['cli/readme.ts']);

export function distIsFresh(): boolean {
  const stale = (dir: string): boolean => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (stale(full)) return true;
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !NOT_BUILT.has(relative(REPO_ROOT, full))) {
        const built = join(REPO_ROOT, 'dist', relative(REPO_ROOT, full).replace(/\.ts$/, '.js'));
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(full).mtimeMs) return true;
      }
    }
    return false;
  };
  try {
    return ['cli', 'emulator', 'policies'].every((d) => !stale(join(REPO_ROOT, d)));
  } catch {
    return false;
  }
}

/** `node bin/kmskit.js` when dist/ is fresh, else kmskit from source through tsx. */
export function kmskitCommand(args: string[]): { command: string; args: string[]; compiled: boolean } {
  if (distIsFresh()) return { command: process.execPath, args: [join(REPO_ROOT, 'bin', 'kmskit.js'), ...args], compiled: true };
  return { ...kmskitDevCommand(args), compiled: false };
}

export function startServeProcess(args: string[] = [], options: { command?: { command: string; args: string[] }; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const cmd = options.command ?? kmskitCommand(['serve', '--port', '0', ...args]);
  const child = spawn(cmd.command, cmd.args, {
    cwd: REPO_ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kmskit serve did not start within ${options.timeoutMs ?? 20_000} ms\nstdout: ${out}\nstderr: ${err}`));
    }, options.timeoutMs ?? 20_000);
    const onData = () => {
      const m = /kmskit emulator listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        url: m[1]!,
        child,
        stdout: () => out,
        stderr: () => err,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kmskit serve exited with ${code} before listening\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}
