/** What `add` found: a new configuration, one seen before, or no room left. */
export const NEW = 1;
export const SEEN = 0;
export const FULL = -1;

/** Entries live in chunks of at most this many bytes (and at most MAX_CHUNK_ENTRIES entries). */
const CHUNK_BYTES = 4 << 20;
const MAX_CHUNK_ENTRIES = 4096;
const MIN_CHUNK_ENTRIES = 64;

/**
 * Lowe's memo of visited configurations: (set of linearized ops, model state) pairs, stored
 * exactly (the bitset words, not just a hash, so a collision can never prune a live path) in
 * Uint32Array chunks with an open-addressed index. The caller keeps two Zobrist hashes of the
 * bitset up to date in O(1) per op. Adding an entry allocates only when a chunk fills (entries
 * are never copied) or the index doubles.
 */
export class ConfigurationMemo {
  /** Entries that fit within the byte budget; `add` reports FULL past it. */
  readonly capacity: number;
  private readonly words: number;
  private readonly stride: number;
  private readonly shift: number;
  private readonly chunkMask: number;
  private readonly chunks: Uint32Array[] = [];
  private index: Int32Array;
  private mask: number;
  count = 0;

  constructor(words: number, maxBytes: number) {
    this.words = words;
    // per entry: bitset words, state, second hash, first hash; plus ~2 index slots of 4 bytes
    this.stride = words + 3;
    this.capacity = Math.max(1, Math.floor(maxBytes / (this.stride * 4 + 8)));
    // Small parts (most kv keys) meet few configurations: chunks in proportion to the ops, so a
    // part does not allocate and zero 100 kB it never uses.
    const wanted = Math.max(MIN_CHUNK_ENTRIES, 4 * words * 32);
    this.shift = Math.max(0, Math.min(Math.log2(MAX_CHUNK_ENTRIES), Math.ceil(Math.log2(wanted)), Math.floor(Math.log2(CHUNK_BYTES / (this.stride * 4)))));
    this.chunkMask = (1 << this.shift) - 1;
    this.index = new Int32Array(MIN_CHUNK_ENTRIES * 2);
    this.mask = this.index.length - 1;
  }

  /** Adds (bits, state) unless present: NEW, SEEN, or FULL when the budget is spent. */
  add(bits: Uint32Array, state: number, h1: number, h2: number): number {
    const stride = this.stride;
    const words = this.words;
    const index = this.index;
    let slot = (h1 ^ Math.imul(state + 1, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = index[slot]!;
      if (at === 0) break;
      const chunk = this.chunks[(at - 1) >>> this.shift]!;
      const base = ((at - 1) & this.chunkMask) * stride;
      if (chunk[base + words] === state && chunk[base + words + 1] === h2 >>> 0 && sameBits(bits, chunk, base, words)) return SEEN;
      slot = (slot + 1) & this.mask;
    }
    if (this.count >= this.capacity) return FULL;
    if (2 * (this.count + 1) > index.length) {
      this.growIndex();
      return this.add(bits, state, h1, h2);
    }
    const e = this.count;
    if ((e & this.chunkMask) === 0) this.chunks.push(new Uint32Array((this.chunkMask + 1) * stride));
    const chunk = this.chunks[e >>> this.shift]!;
    const base = (e & this.chunkMask) * stride;
    for (let w = 0; w < words; w++) chunk[base + w] = bits[w]!;
    chunk[base + words] = state;
    chunk[base + words + 1] = h2 >>> 0;
    chunk[base + words + 2] = h1 >>> 0;
    this.count++;
    index[slot] = this.count;
    return NEW;
  }

  /** Doubles the index (load factor ≤ 1/2) and re-inserts every entry from its stored hash. */
  private growIndex(): void {
    this.index = new Int32Array(this.index.length * 2);
    this.mask = this.index.length - 1;
    for (let e = 0; e < this.count; e++) {
      const chunk = this.chunks[e >>> this.shift]!;
      const base = (e & this.chunkMask) * this.stride;
      let slot = (chunk[base + this.words + 2]! ^ Math.imul(chunk[base + this.words]! + 1, 0x9e3779b1)) & this.mask;
      while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
      this.index[slot] = e + 1;
    }
  }
}

function sameBits(bits: Uint32Array, chunk: Uint32Array, base: number, words: number): boolean {
  for (let w = 0; w < words; w++) if (chunk[base + w] !== bits[w]) return false;
  return true;
}
