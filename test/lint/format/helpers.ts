/** A lint run over the fixtures, shared by the format tests. */
import { runLint } from '../../../lint/run.js';

export const FIXTURE_POLICY = 'test/fixtures/lint/policies/public-decrypt.json';
export const FIXTURE_SYNTH = 'test/fixtures/lint/synth';

export function fixtureRun(): ReturnType<typeof runLint> {
  return runLint([FIXTURE_POLICY, FIXTURE_SYNTH]);
}
