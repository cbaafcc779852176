/**
 * Where a value sits in the file a user wrote. Every reader records offsets as it parses; this module
 * turns them into the 1-based line and column an editor shows, and maps positions inside a text that
 * was assembled from pieces (a heredoc with interpolations, a template file) back to the pieces.
 */

/** A 1-based position in a named file. */
export interface Location {
  file: string;
  line: number;
  column: number;
}

/** Offsets → 1-based line/column, in O(log lines). Columns count UTF-16 code units, as editors and SARIF do. */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    for (let nl = this.text.indexOf('\n'); nl >= 0; nl = this.text.indexOf('\n', nl + 1)) starts.push(nl + 1);
    this.starts = starts;
    return starts;
  }

  at(offset: number): Location {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The offset of a 1-based line/column. */
  offsetOf(line: number, column: number): number {
    const starts = this.lineStarts();
    return (starts[Math.min(Math.max(line, 1), starts.length) - 1] ?? 0) + column - 1;
  }
}

/** The position of `text`'s `offset`, when `text` starts at `start` and is copied verbatim from its file. */
export function advance(start: Location, text: string, offset: number): Location {
  let line = start.line;
  let column = start.column;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else column++;
  }
  return { file: start.file, line, column };
}

/** One piece of an assembled text: where it starts in the text and where it came from. */
export interface TextPiece {
  /** Offset of the piece in the assembled text. */
  offset: number;
  /** The piece as it stands in the assembled text. */
  text: string;
  /** Where the piece starts in its file. */
  from: Location;
  /**
   * True when the piece is a copy of its file's text (so an offset inside it maps character by
   * character); false when it stands for something else (an interpolation, a string of a JSON file),
   * and every offset in it maps to `from`.
   */
  verbatim: boolean;
}

/** A text assembled from pieces, with the way back from an offset in it to a file position. */
export class AssembledText {
  readonly pieces: TextPiece[] = [];
  private length = 0;
  text = '';

  add(text: string, from: Location, verbatim: boolean): void {
    if (text === '') return;
    this.pieces.push({ offset: this.length, text, from, verbatim });
    this.text += text;
    this.length += text.length;
  }

  /** The file position of `offset` in the assembled text. */
  locate(offset: number): Location | undefined {
    const pieces = this.pieces;
    if (pieces.length === 0) return undefined;
    let lo = 0;
    let hi = pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pieces[mid]!.offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    const piece = pieces[lo]!;
    return piece.verbatim ? advance(piece.from, piece.text, offset - piece.offset) : piece.from;
  }
}
