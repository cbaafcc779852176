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
