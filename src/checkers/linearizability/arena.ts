/**
 * Typed arrays for one search, carved from a buffer that the next search carves again. A kv
 * history is hundreds of small parts, and a search makes ~30 arrays: made fresh, each one
 * outside the heap (past 64 bytes) costs more than searching a small part does. What does not
 * fit is made fresh, so a large search holds nothing here after it ends.
 */
export class Arena {
  private readonly buffer: ArrayBuffer;
  private used = 0;

  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(bytes);
  }

  /** Starts over: every array carved before must be out of use. */
  reset(): this {
    this.used = 0;
    return this;
  }

  /** Zeroed, like a fresh array. */
  int32(length: number): Int32Array {
    const at = this.carve(length * 4);
    return at === -1 ? new Int32Array(length) : new Int32Array(this.buffer, at, length).fill(0);
  }

  uint32(length: number): Uint32Array {
    const at = this.carve(length * 4);
    return at === -1 ? new Uint32Array(length) : new Uint32Array(this.buffer, at, length).fill(0);
  }

  uint8(length: number): Uint8Array {
    const at = this.carve(length);
    return at === -1 ? new Uint8Array(length) : new Uint8Array(this.buffer, at, length).fill(0);
  }

  float64(length: number): Float64Array {
    const at = this.carve(length * 8);
    return at === -1 ? new Float64Array(length) : new Float64Array(this.buffer, at, length).fill(0);
  }

  /** The offset of `bytes` more (8-aligned, which suits every element size), or -1 when they do not fit. */
  private carve(bytes: number): number {
    const at = (this.used + 7) & ~7;
    if (at + bytes > this.buffer.byteLength) return -1;
    this.used = at + bytes;
    return at;
  }
}

/** The search's arena (one per thread: each worker loads its own copy of this module). */
export const searchArena = new Arena(1 << 20);
