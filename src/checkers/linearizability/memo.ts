/** What `add` found: a new configuration, one seen before, or no room left. */
export const NEW = 1;
export const SEEN = 0;
export const FULL = -1;

/**
 * Lowe's memo of visited configurations: (set of linearized ops, model state) pairs, stored
 * exactly (the bitset words, not just a hash, so a collision can never prune a live path) in one
 * flat Uint32Array arena with an open-addressed index. The caller keeps two Zobrist hashes of
 * the bitset up to date in O(1) per op; adding an entry allocates only when the arena doubles.
 */
export class ConfigurationMemo {
  /** Entries that fit within the byte budget; `add` reports FULL past it. */
  readonly capacity: number;
  private readonly words: number;
  private readonly stride: number;
  private arena: Uint32Array;
  private index: Int32Array;
  private mask: number;
  count = 0;

  constructor(words: number, maxBytes: number) {
    this.words = words;
    // per entry: bitset words, state, second hash, first hash; plus ~2 index slots of 4 bytes
    this.stride = words + 3;
    this.capacity = Math.max(1, Math.floor(maxBytes / (this.stride * 4 + 8)));
    const initial = Math.min(4096, this.capacity);
    this.arena = new Uint32Array(initial * this.stride);
    this.index = new Int32Array(2 ** Math.ceil(Math.log2(initial * 2)));
    this.mask = this.index.length - 1;
  }

  /** Adds (bits, state) unless present: NEW, SEEN, or FULL when the budget is spent. */
  add(bits: Uint32Array, state: number, h1: number, h2: number): number {
    const stride = this.stride;
    const words = this.words;
    const arena = this.arena;
    const index = this.index;
    let slot = (h1 ^ Math.imul(state + 1, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = index[slot]!;
      if (at === 0) break;
      const base = (at - 1) * stride;
      if (arena[base + words] === state && arena[base + words + 1] === h2 >>> 0 && this.sameBits(bits, base)) return SEEN;
      slot = (slot + 1) & this.mask;
    }
    if (this.count >= this.capacity) return FULL;
    if ((this.count + 1) * stride > arena.length) {
      this.grow();
      return this.add(bits, state, h1, h2);
    }
    const base = this.count * stride;
    for (let w = 0; w < words; w++) arena[base + w] = bits[w]!;
    arena[base + words] = state;
    arena[base + words + 1] = h2 >>> 0;
    arena[base + words + 2] = h1 >>> 0;
    this.count++;
    index[slot] = this.count;
    return NEW;
  }

  private sameBits(bits: Uint32Array, base: number): boolean {
    const arena = this.arena;
    for (let w = 0; w < this.words; w++) if (arena[base + w] !== bits[w]) return false;
    return true;
  }

  /** Doubles the arena and rebuilds the index at load factor ≤ 1/2. */
  private grow(): void {
    const entries = Math.min(this.capacity, Math.max(4096, (this.arena.length / this.stride) * 2));
    const arena = new Uint32Array(entries * this.stride);
    arena.set(this.arena);
    this.arena = arena;
    this.index = new Int32Array(2 ** Math.ceil(Math.log2(entries * 2)));
    this.mask = this.index.length - 1;
    for (let e = 0; e < this.count; e++) {
      const base = e * this.stride;
      const state = arena[base + this.words]!;
      let slot = (arena[base + this.words + 2]! ^ Math.imul(state + 1, 0x9e3779b1)) & this.mask;
      while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
      this.index[slot] = e + 1;
    }
  }
}
