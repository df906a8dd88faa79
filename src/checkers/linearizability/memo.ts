import type { Arena } from "./arena.ts";

/** What `add` found: a new configuration, one seen before, or no room left. */
export const NEW = 1;
export const SEEN = 0;
export const FULL = -1;

/** Entries live in chunks of at most this many bytes (and at most MAX_CHUNK_ENTRIES entries). */
const CHUNK_BYTES = 4 << 20;
const MAX_CHUNK_ENTRIES = 4096;
const MIN_CHUNK_ENTRIES = 64;
/** Configurations kept per (placed ops of known outcome, state) to compare by inclusion (see `optional`). */
const COVERS = 4;

/**
 * Parts of more bitset words than this keep a configuration as a window: its first word whose
 * ops are not all placed, then WINDOW_WORDS words from there. A search placed the ops before a
 * frontier and a few around it, none after, nearly always: every configuration of the largest
 * kv key of a 50-client history (10,055 ops, 315 words) lay within 2 words. Windows wider than
 * that go to a second store that keeps every word.
 */
const WINDOWED_ABOVE_WORDS = 8;
const WINDOW_WORDS = 4;
const ALL_PLACED = 0xffffffff;

/**
 * Lowe's memo of visited configurations: (set of linearized ops, model state) pairs, stored
 * exactly (the bitset words, not just a hash, so a collision can never prune a live path) in
 * Uint32Array chunks with an open-addressed index. The caller keeps two Zobrist hashes of the
 * bitset up to date in O(1) per op. Adding an entry allocates only when a chunk fills (entries
 * are never copied) or the index doubles. A large part's configurations are kept as windows
 * (WINDOWED_ABOVE_WORDS): for a part of 10,000 ops, a thirtieth of the bytes, so the same
 * ceiling holds thirty times as many.
 *
 * Ops of unknown outcome (`optional`, a bitmask) never block and may never happen, so a
 * configuration is as good as one with the same state and the same other ops placed but fewer
 * optional ones (leaving more paths open): such a configuration counts as seen too. For that,
 * a second index keeps, per (other ops, state), the COVERS configurations seen with the fewest
 * optional ops, found by a hash of the other ops only (`k`): bounded, so the check costs O(1).
 */
export class ConfigurationMemo {
  private readonly words: number;
  /** Windows, or, for a small part, every word of every configuration. */
  private readonly narrow: Entries;
  /** A windowed memo's configurations that do not fit a window, made when the first comes. */
  private wide: Entries | undefined;
  private readonly room: Room;

  constructor(words: number, maxBytes: number, optional: Uint32Array | undefined, private readonly arena: Arena) {
    this.words = words;
    const kept = optional?.some((w) => w !== 0) ? optional : undefined;
    this.room = { bytes: maxBytes };
    this.narrow = new Entries(words, words > WINDOWED_ABOVE_WORDS ? WINDOW_WORDS : words, kept, this.room, arena);
  }

  get count(): number {
    return this.narrow.count + (this.wide?.count ?? 0);
  }

  /**
   * Adds (bits, state) unless it or (with optional ops) a configuration covering it was seen:
   * NEW, SEEN, or FULL when the budget is spent. `k`: a hash of the bits of ops not optional.
   */
  add(bits: Uint32Array, state: number, h1: number, h2: number, k: number): number {
    const narrow = this.narrow;
    if (narrow.window === this.words) return narrow.add(bits, 0, state, h1, h2, k);
    let from = 0;
    while (from < this.words - narrow.window && bits[from] === ALL_PLACED) from++;
    let last = this.words - 1;
    while (last >= from + narrow.window && bits[last] === 0) last--;
    if (last < from + narrow.window) return narrow.add(bits, from, state, h1, h2, k);
    this.wide ??= new Entries(this.words, this.words, narrow.optional, this.room, this.arena);
    return this.wide.add(bits, 0, state, h1, h2, k);
  }
}

/** What entries may still take, in bytes, shared by a memo's stores. */
interface Room {
  bytes: number;
}

/**
 * One store of configurations, each kept as `window` words of its bitset from a first word
 * (all words before it all placed, all after it none); with `window` equal to the bitset's
 * words, the whole bitset.
 */
class Entries {
  readonly window: number;
  readonly optional: Uint32Array | undefined;
  private readonly words: number;
  /** Words before an entry's window: its first word, when windowed. */
  private readonly head: number;
  private readonly stride: number;
  private readonly entryBytes: number;
  private readonly shift: number;
  private readonly chunkMask: number;
  private readonly chunks: Uint32Array[] = [];
  private index: Int32Array;
  private mask: number;
  count = 0;
  /** covers[b * COVERS + i]: entry + 1 of the i-th configuration of bucket b (0: none); coverKeys[2b], [2b + 1]: its k and state + 1. */
  private covers: Int32Array;
  private coverKeys: Int32Array;
  private buckets = 0;

  constructor(words: number, window: number, optional: Uint32Array | undefined, private readonly room: Room, private readonly arena: Arena) {
    this.words = words;
    this.window = window;
    this.optional = optional;
    this.head = window === words ? 0 : 1;
    // per entry: its first word (windowed), the window's words, state, second hash, first hash; plus ~2 index slots of 4 bytes (and, with optional ops, up to a bucket of covers)
    this.stride = this.head + window + 3;
    this.entryBytes = this.stride * 4 + 8 + (optional ? 8 * (COVERS + 2) : 0);
    this.covers = arena.int32(optional ? MIN_CHUNK_ENTRIES * COVERS : 0);
    this.coverKeys = arena.int32(optional ? MIN_CHUNK_ENTRIES * 2 : 0);
    // Small parts (most kv keys) meet few configurations: chunks in proportion to the ops, so a
    // part does not allocate and zero 100 kB it never uses.
    const wanted = Math.max(MIN_CHUNK_ENTRIES, 4 * words * 32);
    this.shift = Math.max(0, Math.min(Math.log2(MAX_CHUNK_ENTRIES), Math.ceil(Math.log2(wanted)), Math.floor(Math.log2(CHUNK_BYTES / (this.stride * 4)))));
    this.chunkMask = (1 << this.shift) - 1;
    this.index = arena.int32(MIN_CHUNK_ENTRIES * 2);
    this.mask = this.index.length - 1;
  }

  /** memo.add for a configuration whose window starts at word `from`. */
  add(bits: Uint32Array, from: number, state: number, h1: number, h2: number, k: number): number {
    const { stride, head, window, index } = this;
    let slot = (h1 ^ Math.imul(state + 1, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = index[slot]!;
      if (at === 0) break;
      const chunk = this.chunks[(at - 1) >>> this.shift]!;
      const base = ((at - 1) & this.chunkMask) * stride;
      if (chunk[base + head + window] === state && chunk[base + head + window + 1] === h2 >>> 0 && (head === 0 || chunk[base] === from) && sameWords(bits, from, chunk, base + head, window)) return SEEN;
      slot = (slot + 1) & this.mask;
    }
    const bucket = this.optional ? this.bucketOf(k, state) : -1;
    if (bucket >= 0 && this.covered(bucket, bits)) return SEEN;
    // At least one entry, whatever the budget.
    if (this.room.bytes < this.entryBytes && this.count > 0) return FULL;
    if (2 * (this.count + 1) > index.length) {
      this.growIndex();
      return this.add(bits, from, state, h1, h2, k);
    }
    const e = this.count;
    if ((e & this.chunkMask) === 0) this.chunks.push(this.arena.uint32((this.chunkMask + 1) * stride));
    const chunk = this.chunks[e >>> this.shift]!;
    const base = (e & this.chunkMask) * stride;
    if (head === 1) chunk[base] = from;
    for (let w = 0; w < window; w++) chunk[base + head + w] = bits[from + w]!;
    chunk[base + head + window] = state;
    chunk[base + head + window + 1] = h2 >>> 0;
    chunk[base + head + window + 2] = h1 >>> 0;
    this.count++;
    this.room.bytes -= this.entryBytes;
    index[slot] = this.count;
    if (bucket >= 0) this.cover(bucket);
    return NEW;
  }

  /** Word `w` of the bitset of entry `entry` (1-based). */
  private wordOf(entry: number, w: number): number {
    const chunk = this.chunks[(entry - 1) >>> this.shift]!;
    const base = ((entry - 1) & this.chunkMask) * this.stride;
    const from = this.head === 0 ? 0 : chunk[base]!;
    return w < from ? ALL_PLACED : w < from + this.window ? chunk[base + this.head + w - from]! : 0;
  }

  /** The bucket of (k, state) in the covers' index, claimed if new (growing the index first when half full). */
  private bucketOf(k: number, state: number): number {
    if (2 * (this.buckets + 1) > this.coverKeys.length / 2) this.growCovers();
    const mask = this.coverKeys.length / 2 - 1;
    // As an Int32Array holds it (state + 1 may pass 2^31 - 1), never 0: states are ≥ 0.
    const tag = (state + 1) | 0;
    for (let b = (k ^ Math.imul(tag, 0x85ebca6b)) & mask; ; b = (b + 1) & mask) {
      if (this.coverKeys[2 * b + 1] === 0) {
        this.coverKeys[2 * b] = k;
        this.coverKeys[2 * b + 1] = tag;
        this.buckets++;
        return b;
      }
      if (this.coverKeys[2 * b] === k && this.coverKeys[2 * b + 1] === tag) return b;
    }
  }

  /** Whether a configuration of the bucket places the same ops as `bits` but for optional ones, of which it places no more. */
  private covered(bucket: number, bits: Uint32Array): boolean {
    const optional = this.optional!;
    for (let i = 0; i < COVERS; i++) {
      const at = this.covers[bucket * COVERS + i]!;
      if (at === 0) return false;
      let covers = true;
      for (let w = 0; w < this.words && covers; w++) {
        const seen = this.wordOf(at, w);
        covers = ((seen ^ bits[w]!) & ~optional[w]!) === 0 && (seen & ~bits[w]!) === 0;
      }
      if (covers) return true;
    }
    return false;
  }

  /** Keeps the entry just added in its bucket if the bucket has room or holds one with more optional ops placed. */
  private cover(bucket: number): void {
    const weight = (entry: number): number => {
      let ones = 0;
      for (let w = 0; w < this.words; w++) ones += popcount(this.wordOf(entry, w) & this.optional![w]!);
      return ones;
    };
    let heaviest = 0;
    for (let i = 0; i < COVERS; i++) {
      const at = this.covers[bucket * COVERS + i]!;
      if (at === 0) {
        this.covers[bucket * COVERS + i] = this.count;
        return;
      }
      if (weight(at) > weight(this.covers[bucket * COVERS + heaviest]!)) heaviest = i;
    }
    if (weight(this.count) < weight(this.covers[bucket * COVERS + heaviest]!)) this.covers[bucket * COVERS + heaviest] = this.count;
  }

  /** Doubles the covers' index and re-inserts every bucket from its key. */
  private growCovers(): void {
    const oldKeys = this.coverKeys;
    const oldCovers = this.covers;
    this.coverKeys = this.arena.int32(oldKeys.length * 2);
    this.covers = this.arena.int32(oldCovers.length * 2);
    const mask = this.coverKeys.length / 2 - 1;
    for (let old = 0; old < oldKeys.length / 2; old++) {
      if (oldKeys[2 * old + 1] === 0) continue;
      let b = (oldKeys[2 * old]! ^ Math.imul(oldKeys[2 * old + 1]!, 0x85ebca6b)) & mask;
      while (this.coverKeys[2 * b + 1] !== 0) b = (b + 1) & mask;
      this.coverKeys[2 * b] = oldKeys[2 * old]!;
      this.coverKeys[2 * b + 1] = oldKeys[2 * old + 1]!;
      this.covers.set(oldCovers.subarray(old * COVERS, old * COVERS + COVERS), b * COVERS);
    }
  }

  /** Doubles the index (load factor ≤ 1/2) and re-inserts every entry from its stored hash. */
  private growIndex(): void {
    this.index = this.arena.int32(this.index.length * 2);
    this.mask = this.index.length - 1;
    const after = this.head + this.window;
    for (let e = 0; e < this.count; e++) {
      const chunk = this.chunks[e >>> this.shift]!;
      const base = (e & this.chunkMask) * this.stride;
      let slot = (chunk[base + after + 2]! ^ Math.imul(chunk[base + after]! + 1, 0x9e3779b1)) & this.mask;
      while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
      this.index[slot] = e + 1;
    }
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Whether words `from`… of `bits` are the `count` words of `chunk` at `base`. */
function sameWords(bits: Uint32Array, from: number, chunk: Uint32Array, base: number, count: number): boolean {
  for (let w = 0; w < count; w++) if (chunk[base + w] !== bits[from + w]) return false;
  return true;
}
