import { describe, expect, it } from 'vitest';
import { pointerOf, positionOf, scanPositions } from '../../../iac/json-locate.js';
import { lineColAt } from './helpers.js';

describe('scanPositions', () => {
  const text = '{\n  "a": {"b/c": [1, "x",\n    {"d~e": true}]},\n  "s": "q\\"uote",  "n": null\n}';

  it('gives the 1-based position of every value, by JSON Pointer', () => {
    const { values } = scanPositions(text);
    expect(values.get('')).toEqual({ line: 1, column: 1 });
    expect(values.get('/a')).toEqual(lineColAt(text, text.indexOf('{"b/c"')));
    expect(values.get('/a/b~1c/1')).toEqual(lineColAt(text, text.indexOf('"x"')));
    expect(values.get('/a/b~1c/2/d~0e')).toEqual(lineColAt(text, text.indexOf('true')));
    expect(values.get('/n')).toEqual(lineColAt(text, text.indexOf('null')));
  });

  it('gives the position of member keys separately', () => {
    const { keys } = scanPositions(text);
    expect(keys.get('/s')).toEqual(lineColAt(text, text.indexOf('"s"')));
  });

  it('keeps its place after strings with escaped quotes', () => {
    const { values } = scanPositions(text);
    expect(values.get('/n')).toEqual(lineColAt(text, text.indexOf('null')));
  });

  it('does not count a byte-order mark as a column', () => {
    const { values } = scanPositions('\ufeff{"a": 1}');
    expect(values.get('/a')).toEqual({ line: 1, column: 7 });
  });

  it('names the place where the JSON breaks', () => {
    expect(() => scanPositions('{\n  "a": }')).toThrow(/line 2, column 8/);
  });

  it('falls back to the nearest ancestor with a position', () => {
    const positions = scanPositions(text);
    expect(positionOf(positions, '/a/missing/deeper')).toEqual(positions.values.get('/a'));
  });

  it('escapes pointer tokens as RFC 6901 says', () => {
    expect(pointerOf(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
  });
});
