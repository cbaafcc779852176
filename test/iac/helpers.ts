/** Test helpers for sources: positions derived from the text itself, never typed in by hand. */
export function lineColAt(text: string, index: number): { line: number; column: number } {
  if (index < 0) throw new Error('needle not found');
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** Position of the first occurrence of `needle` at or after the first occurrence of `after`. */
export function positionOf(text: string, needle: string, after = ''): { line: number; column: number } {
  const from = after === '' ? 0 : text.indexOf(after);
  if (from < 0) throw new Error(`anchor ${after} not found`);
  return lineColAt(text, text.indexOf(needle, from));
}

import { readInputs, type ReadOptions } from '../../iac/load.js';
import { policySources } from '../../lint/documents.js';
import { lintSources, problemFinding } from '../../lint/run.js';

/** Reads paths through iac/ and returns the lint sources, the model and its notes. */
export async function read(paths: string[], options: ReadOptions = {}) {
  const model = await readInputs(paths, options);
  return { model, sources: policySources(model.units.flatMap((u) => u.resources)) };
}

/** Reads and lints paths, problems included, as `kmskit lint` does. */
export async function lint(paths: string[], options: ReadOptions = {}) {
  const { model, sources } = await read(paths, options);
  return { model, sources, findings: lintSources(sources, {}, model.problems.map(problemFinding)).findings };
}
