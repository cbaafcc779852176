/**
 * `npm start` (`kmskit demo`): the whole mission on a newcomer's machine, with no AWS account.
 *
 *   1. synthesize the stacks (in-process, the same app `cdktf synth` runs)
 *   2. lint cdktf.out; any error-level finding stops the run, with the findings printed
 *   3. start the emulator in-process with a state file under .kmskit/
 *   4. apply the stacks' keys, aliases, key policies and grants to it
 *   5. run the flows users care about, as the principals the stacks declare
 *
 * The exit code is 0 only if every step held. The run doubles as the product's smoke test.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Io } from '../cli/io.js';
import { accessControl } from './flows/access-control.js';
import { audit } from './flows/audit.js';
import { configFile } from './flows/config-file.js';
import { envelope } from './flows/envelope.js';
import { passwordStorage } from './flows/password-storage.js';
import { rotation } from './flows/rotation.js';
import { vaultTransit } from './flows/vault-transit.js';
import type { Flow, FlowContext } from './flows/types.js';
import { Report, formatMs, timed } from './report.js';

export interface DemoOptions {
  io: Io;
  /** Project root: cdktf.out and .kmskit/ are written under it. */
  root: string;
  /** Delete .kmskit/ first (the way out of a corrupt state file). */
  reset?: boolean;
  /** cdktf context for the stacks. @default cdktf.json's `context` in the current folder */
  context?: Record<string, unknown>;
  /** How the user runs this demo again with `--reset`, for the message about an unusable state file. @default "npx kmskit demo --reset" */
  resetCommand?: string;
}

/** The flows, in order: rotation reuses the envelope, audit reads what all the others did. */
const FLOWS: Array<[string, string, Flow]> = [
  ['5a', 'Password storage', passwordStorage],
  ['5b', 'Config file', configFile],
  ['5c', 'Envelope encryption', envelope],
  ['5d', 'Rotation', rotation],
  ['5e', 'Access control', accessControl],
  ['5f', 'Vault Transit', vaultTransit],
  ['5g', 'Audit trail', audit],
];

/** A principal the stacks do not grant: same account, no identity policy, not in the key policy. */
export const OUTSIDER_ARN_SUFFIX = 'role/kmskit-intruder';

export async function runDemo(options: DemoOptions): Promise<number> {
  const report = new Report(options.io);
  const stateDir = join(options.root, '.kmskit');
  const stateFile = join(stateDir, 'state.json');
  const outdir = join(options.root, 'cdktf.out');
  const shown = (p: string) => relative(process.cwd(), p) || '.';
  if (options.reset) rmSync(stateDir, { recursive: true, force: true });

  report.line(report.paint('kmskit demo', 'bold') + report.paint('  stacks → lint → emulator → flows, offline', 'dim'));

  // 1. Synthesize.
  report.heading('1', 'Synthesize the stacks');
  const { buildApp } = await import('../stacks/app.js');
  const synth = await timed(async () => {
    const built = buildApp({ outdir, skipLint: true, ...(options.context !== undefined ? { context: options.context } : {}) });
    built.app.synth();
    return built;
  });
  const config = synth.value.config;
  const { listStackResources } = await import('./stack-summary.js');
  const stacks = listStackResources(outdir);
  report.table(
    ['stack', 'KMS resources', 'other resources', 'file'],
    stacks.map((s) => [s.name, String(s.kms), String(s.other), shown(s.file)]),
  );
  report.result(stacks.length > 0, `synthesized ${stacks.length} stacks to ${shown(outdir)}`, synth.ms);

  // 2. Lint.
  report.heading('2', 'Lint the key policies');
  const { runLint } = await import('../lint/run.js');
  const lint = await timed(() => runLint([outdir], { cwd: options.root }));
  const { summary, findings } = lint.value;
  for (const f of findings) {
    const tone = f.severity === 'error' ? 'fail' : f.severity === 'warning' ? 'warn' : 'dim';
    report.line(`  ${shown(f.file)}:${f.line}:${f.column}  ${report.paint(f.severity, tone)}  ${f.message}  ${report.paint(f.ruleId, 'dim')}${f.resource ? report.paint(`  (${f.resource})`, 'dim') : ''}`);
  }
  const lintOk = summary.errors === 0;
  report.result(lintOk, `${summary.policiesScanned} key policies: ${summary.errors} errors, ${summary.warnings} warnings, ${summary.infos} infos`, lint.ms);
  if (!lintOk) {
    report.line(report.paint('\nStopped: fix the lint errors above before the keys are created.', 'fail'));
    return 1;
  }

  // 3. Emulator.
  report.heading('3', 'Start the emulator');
  mkdirSync(stateDir, { recursive: true });
  const { createEmulator, StateFileError } = await import('../emulator/emulator.js');
  const outsiderArn = `arn:aws:iam::${config.account}:${OUTSIDER_ARN_SUFFIX}`;
  const adminArn = config.adminArns[0]!;
  let emulator;
  try {
    const started = await timed(() =>
      createEmulator({
        account: config.account,
        region: config.primaryRegion,
        stateFile,
        principals: [{ arn: config.appRoleArn }, { arn: adminArn }, { arn: outsiderArn }],
      }),
    );
    emulator = started.value;
    report.result(true, `in-process, account ${emulator.account}, ${emulator.region}, state in ${shown(stateFile)}`, started.ms);
  } catch (e) {
    if (e instanceof StateFileError) {
      report.result(false, `the state file is unusable: ${e.message}`);
      report.line(`\n  Reset it and run again:  ${options.resetCommand ?? 'npx kmskit demo --reset'}   (or delete ${shown(stateDir)})`);
      return 1;
    }
    throw e;
  }

  // Ctrl-C: close the emulator (its writes are atomic, so the state file stays loadable), then exit.
  const onSignal = () => {
    void emulator.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // 4. Apply.
    report.heading('4', 'Apply the stacks to the emulator');
    const { applyStacks } = await import('../apply/apply.js');
    const applied = await timed(() => applyStacks({ paths: [outdir], emulator }));
    report.table(
      ['resource', 'action', 'region', 'key ARN / alias / grant'],
      applied.value.resources.map((r) => [`${r.stack}/${r.address}`, r.action, r.region, r.id]),
    );
    report.result(applied.value.resources.length > 0, `${applied.value.created.length} created, ${applied.value.updated.length} updated, ${applied.value.unchanged.length} unchanged`, applied.ms);

    // 5. Flows.
    const { APP_ENCRYPTION_CONTEXT, KEY_ALIASES } = await import('../stacks/config.js');
    const workDir = join(stateDir, 'demo');
    mkdirSync(workDir, { recursive: true });
    const ctx: FlowContext = {
      emulator,
      app: emulator.client({ principal: config.appRoleArn }),
      appRoleArn: config.appRoleArn,
      admin: emulator.client({ principal: adminArn }),
      adminArn,
      outsiderArn,
      appContext: APP_ENCRYPTION_CONTEXT,
      dataKeyAlias: KEY_ALIASES.data,
      workDir,
      secrets: [],
    };
    let allOk = true;
    for (const [step, name, flow] of FLOWS) {
      let result;
      try {
        const run = await timed(() => flow(ctx));
        result = { ...run.value, ms: run.ms, ok: run.value.checks.every((c) => c.ok) };
      } catch (e) {
        const err = e as Error;
        result = { name, ms: 0, ok: false, checks: [{ ok: false, text: `failed: ${err.name}: ${err.message}` }] };
      }
      allOk &&= result.ok;
      report.heading(step, `${result.name}  ${report.paint(formatMs(result.ms), 'dim')}`);
      for (const c of result.checks) report.result(c.ok, c.text);
      if ('details' in result && result.details?.length) {
        report.line();
        report.table(result.detailHeaders ?? [], result.details, 4);
      }
    }

    report.line();
    if (allOk) report.line(report.paint('Every step held.', 'ok') + ` State kept in ${shown(stateFile)}; \`npx kmskit serve --state ${shown(stateFile)}\` serves it over HTTP.`);
    else report.line(report.paint('Some steps did not hold: see the ✗ lines above.', 'fail'));
    return allOk ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await emulator.close();
  }
}
