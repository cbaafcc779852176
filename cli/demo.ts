/**
 * `kmskit demo` (what `npm start` runs): synth → lint → apply → flows on the embedded emulator.
 *
 * The demo writes `cdktf.out/` and `.kmskit/` into its project folder. In kmskit's own checkout that
 * folder is the checkout (as `npm start` always did). Anywhere else — a project that installed
 * kmskit — it is a folder of the demo's own, `kmskit-demo/` unless `--root` names another, and the
 * demo only ever writes into a folder that is new, empty, or one it made before: it never touches a
 * project's own cdktf.out/ or .kmskit/.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegisterCommand } from './commands.js';
import { CliError, EXIT_USAGE } from './errors.js';

/** The default folder outside kmskit's checkout, under the current folder. */
export const DEMO_FOLDER = 'kmskit-demo';
/** The file that marks a folder as the demo's own. */
export const DEMO_MARKER = '.kmskit-demo';

/** kmskit's own checkout (the package root with the stack sources), when this CLI runs from one. */
export function ownCheckout(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 3; i++) {
    if (existsSync(join(dir, 'package.json'))) return existsSync(join(dir, 'stacks', 'app.ts')) ? dir : undefined;
    dir = dirname(dir);
  }
  return undefined;
}

/**
 * The folder the demo may write into: the checkout itself, or a folder that does not exist yet, is
 * empty, or carries the demo's marker. Anything else is refused with a CliError naming the folder.
 */
export function demoRoot(given: string | undefined, cwd: string, checkout: string | undefined): { root: string; inCheckout: boolean } {
  const root = resolve(cwd, given ?? (checkout !== undefined && resolve(cwd) === checkout ? '.' : DEMO_FOLDER));
  if (checkout !== undefined && root === checkout) return { root, inCheckout: true };
  if (existsSync(root)) {
    const entries = readdirSync(root);
    if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
      const shown = relative(cwd, root) || '.';
      throw new CliError(
        `the demo writes cdktf.out/ and .kmskit/ into a folder of its own, and ${shown} already holds files the demo did not make; ` +
          `nothing was changed. Run it with --root <a new or empty folder> (default: ./${DEMO_FOLDER}).`,
        EXIT_USAGE,
      );
    }
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, DEMO_MARKER), 'This folder belongs to `kmskit demo`, which rewrites its cdktf.out/ and .kmskit/.\n');
  return { root, inCheckout: false };
}

/** A missing peer dependency (cdktf, @cdktf/provider-aws, constructs), which the demo's stacks need. */
function missingPeer(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  return /'(cdktf|constructs|@cdktf\/provider-aws)[/']/.exec(err.message)?.[1];
}

export const register: RegisterCommand = (program, ctx) =>
  program
    .command('demo')
    .description('synthesize the stacks, lint them, apply them to an in-process emulator and run the KMS flows (what `npm start` runs)')
    .option('--reset', 'delete the .kmskit/ state first')
    .option('--root <dir>', `project folder for cdktf.out/ and .kmskit/ (default: the kmskit checkout, elsewhere ./${DEMO_FOLDER})`)
    .action(async (opts: { reset?: boolean; root?: string }) => {
      const cwd = process.cwd();
      const { root, inCheckout } = demoRoot(opts.root, cwd, ownCheckout());
      const rootFlag = opts.root !== undefined ? ` --root ${opts.root}` : '';
      try {
        const { runDemo } = await import('../demo/run.js');
        ctx.setExitCode(
          await runDemo({
            io: ctx.io,
            root,
            ...(opts.reset ? { reset: true } : {}),
            // Outside the checkout, the project's own cdktf.json is not the demo's configuration.
            ...(inCheckout ? {} : { context: {} }),
            resetCommand: `npx kmskit demo${rootFlag} --reset`,
          }),
        );
      } catch (e) {
        const peer = missingPeer(e);
        if (peer === undefined) throw e;
        throw new CliError(`kmskit demo synthesizes CDKTF stacks and needs ${peer}: npm i -D cdktf@0.21 @cdktf/provider-aws@21 constructs@10`, EXIT_USAGE);
      }
    });
