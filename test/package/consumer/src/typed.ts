// Type-checked under strict NodeNext (with exactOptionalPropertyTypes and the libraries' own .d.ts
// checked too): every entry point's types as a user meets them. Compiles to out/src/typed.js, which
// the test runs, so the values are checked as well as the types.
import type { ProvidedContext } from 'vitest';
import { type KeyPolicyChecksOptions, type KmsKeyProps, type SynthFinding, GRANT_OPERATIONS, KeyPolicyChecks, KmsKey, encryptQueue } from 'kmskit/constructs';
import { type Emulator, type EmulatorOptions, type RunningServer, KmsError, createEmulator, startServer } from 'kmskit/emulator';
import { type Finding, type LintReport, type Severity, FORMATS, LintInputError, formatReport, lintDocument, listRules } from 'kmskit/lint';
import { type EvaluationResult, type PolicyDocument, ADMIN_ACTIONS, evaluate, keyPolicy, parsePolicy } from 'kmskit/policies';
import { type InProcessEmulator, kmskitGlobalSetup, startInProcessEmulator } from 'kmskit/vitest';

const account = '111122223333';
const doc: PolicyDocument = keyPolicy({ account, admins: [`arn:aws:iam::${account}:role/Admin`], users: [`arn:aws:iam::${account}:role/App`] });
const parsed = parsePolicy(JSON.stringify(doc));
if (!parsed.policy) throw new Error('the built policy does not parse');
const decision: EvaluationResult['decision'] = evaluate({ principal: `arn:aws:iam::${account}:role/App`, action: 'kms:Decrypt', resource: '*' }, [parsed.policy]).decision;

const report: LintReport = lintDocument(doc, { ownAccount: account });
const exit: 0 | 1 = report.exitCode;
const worst: Severity | 'none' = report.findings[0]?.severity ?? 'none';
const first: Finding | undefined = report.findings[0];
const sarif = JSON.parse(formatReport(report, 'sarif')) as { version: string };

let inputError = '';
try {
  lintDocument(doc, { config: { rules: { 'no-such-rule': 'off' } } });
} catch (e) {
  if (e instanceof LintInputError) inputError = `${e.exitCode} ${e.message}`;
}

const options: EmulatorOptions = { account, region: 'eu-west-1' };
const emulator: Emulator = await createEmulator(options);
let kmsError = '';
try {
  await emulator.send('DescribeKey', { KeyId: 'alias/missing' });
} catch (e) {
  if (e instanceof KmsError) kmsError = e.code;
}
const server: RunningServer = await startServer({ emulator, port: 0 });
await server.close();
await emulator.close();

const inProcess: InProcessEmulator = await startInProcessEmulator();
const health = (await (await fetch(`${inProcess.url}/health`)).json()) as { status: string };
await inProcess.stop();

const endpoint: ProvidedContext['kmskitEndpoint'] = 'http://127.0.0.1:4599';
const setup: ReturnType<typeof kmskitGlobalSetup> = kmskitGlobalSetup({ account });
const checksOptions: KeyPolicyChecksOptions = { ownAccount: account };
const props: KmsKeyProps = { description: 'typed', users: [`arn:aws:iam::${account}:role/App`] };
const synthFindings: SynthFinding[] = new KeyPolicyChecks(checksOptions).findings;

// @ts-expect-error internal modules are not part of the package's exports
await import('kmskit/dist/emulator/core/store.js').catch(() => undefined);

console.log(
  JSON.stringify({
    decision,
    exit,
    worst,
    firstRule: first?.ruleId ?? null,
    sarif: sarif.version,
    inputError,
    kmsError,
    health: health.status,
    endpoint,
    setup: typeof setup,
    props: Object.keys(props),
    synthFindings: synthFindings.length,
    formats: FORMATS,
    rules: listRules().length > 30,
    admin: ADMIN_ACTIONS.some((a) => a.startsWith('kms:Put')),
    grantOps: GRANT_OPERATIONS.includes('Decrypt'),
    constructs: [typeof KmsKey, typeof encryptQueue, typeof KeyPolicyChecks.addTo],
  }),
);
