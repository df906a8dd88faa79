/**
 * Typed arrays for one search, carved from a buffer that the next search carves again. A kv
 * history is hundreds of small parts, and a search makes ~30 arrays: made fresh, each one
 * outside the heap (past 64 bytes) costs more than searching a small part does. What does not
 * fit is made fresh, so a large search holds nothing here after it ends.
 */
export class Arena {
  /** Made at the first search, not with the module, and released before a start-up snapshot is taken (it would carry it otherwise). */
  private buffer: ArrayBuffer | undefined;
  /** The whole buffer as bytes, to zero what the last search used in one call (a fill per array cost more than the arrays' contents). */
  private zeroes: Uint8Array | undefined;
  private used = 0;
  /** Where the last carve starts. */
  private at = 0;

  constructor(private readonly bytes: number) {}

  /** Starts over: every array carved before must be out of use. What they held is zeroed, so every array carved is zeroed, like a fresh one. */
  reset(): this {
    if (this.used > 0) this.zeroes!.fill(0, 0, this.used);
    this.used = 0;
    return this;
  }

  /** Drops the buffer (the next carve makes a new one): for a process about to be snapshotted, which would carry it otherwise. */
  release(): void {
    this.buffer = undefined;
    this.zeroes = undefined;
    this.used = 0;
  }

  int32(length: number): Int32Array {
    const buffer = this.carve(length * 4);
    return buffer === undefined ? new Int32Array(length) : new Int32Array(buffer, this.at, length);
  }

  uint32(length: number): Uint32Array {
    const buffer = this.carve(length * 4);
    return buffer === undefined ? new Uint32Array(length) : new Uint32Array(buffer, this.at, length);
  }

  uint8(length: number): Uint8Array {
    const buffer = this.carve(length);
    return buffer === undefined ? new Uint8Array(length) : new Uint8Array(buffer, this.at, length);
  }

  float64(length: number): Float64Array {
    const buffer = this.carve(length * 8);
    return buffer === undefined ? new Float64Array(length) : new Float64Array(buffer, this.at, length);
  }

  /** The buffer, with `at` the offset of `bytes` more (8-aligned, which suits every element size); undefined when they do not fit. */
  private carve(bytes: number): ArrayBuffer | undefined {
    const at = (this.used + 7) & ~7;
    if (at + bytes > this.bytes) return undefined;
    this.used = at + bytes;
    this.at = at;
    if (this.buffer === undefined) {
      this.buffer = new ArrayBuffer(this.bytes);
      this.zeroes = new Uint8Array(this.buffer);
    }
    return this.buffer;
  }
}

/** The search's arena (one per thread: each worker loads its own copy of this module). */
export const searchArena = new Arena(1 << 20);
