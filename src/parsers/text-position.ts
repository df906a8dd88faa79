/**
 * Line and column (both 1-based) of offsets in streamed text, counting newlines once as reading
 * moves forward; `drop` forgets text that has been consumed. Offsets must not go backwards.
 */
export class TextPosition {
  private offset = 0;
  private line = 1;
  /** Offset (in the current text) where `line` starts; negative once its start was dropped. */
  private lineStart = 0;

  locate(text: string, offset: number): { line: number; column: number } {
    if (offset < this.offset) throw new RangeError(`TextPosition moved backwards (${offset} < ${this.offset})`);
    for (let newline = text.indexOf("\n", this.offset); newline !== -1 && newline < offset; newline = text.indexOf("\n", newline + 1)) {
      this.line++;
      this.lineStart = newline + 1;
    }
    this.offset = offset;
    return { line: this.line, column: offset - this.lineStart + 1 };
  }

  /** The first `consumed` characters of the text are gone; later offsets count from after them. */
  drop(text: string, consumed: number): void {
    this.locate(text, consumed);
    this.offset -= consumed;
    this.lineStart -= consumed;
  }
}
