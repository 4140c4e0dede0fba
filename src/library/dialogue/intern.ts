/**
 * Reading words where the text writes them, for the dialogue layer's scanners: hashes of text
 * slices, fixed word lists found by those hashes (nothing is sliced to look a word up), and
 * detached copies for caches that outlive one story's text.
 */

/** A well-mixed slot for a raw polynomial hash (short words' raw hashes cluster). */
export function mixHash(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return h ^ (h >>> 16);
}

/**
 * A fixed list of words, found by the hashSlice of the text where it is written (nothing is
 * sliced): open addressing over a typed array of hashes, cheaper than a Map for the many lookups
 * that find nothing. Each slot lists the entries whose words share its hash, for the caller to
 * check char by char.
 */
export class HashedWords<V> {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly lists: (V[] | undefined)[];

  constructor(entries: Iterable<readonly [word: string, value: V]>) {
    const all = [...entries];
    let size = 16;
    while (size < all.length * 4) size *= 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.lists = new Array<V[] | undefined>(size).fill(undefined);
    for (const [word, value] of all) {
      const hash = hashSlice(word, 0, word.length);
      const slot = this.slotOf(hash);
      const list = this.lists[slot];
      if (list) list.push(value);
      else {
        this.hashes[slot] = hash;
        this.lists[slot] = [value];
      }
    }
  }

  /** The entries whose word's hashSlice is `hash`, or undefined. */
  get(hash: number): readonly V[] | undefined {
    return this.lists[this.slotOf(hash)];
  }

  private slotOf(hash: number): number {
    let slot = mixHash(hash) & this.mask;
    while (this.lists[slot] !== undefined && this.hashes[slot] !== hash) slot = (slot + 1) & this.mask;
    return slot;
  }
}

/** The polynomial hash of s[from, to) that HashedWords keys by, for callers that compute it while scanning. */
export function hashSlice(s: string, from: number, to: number): number {
  let hash = 0;
  for (let i = from; i < to; i++) hash = (Math.imul(hash, 31) + s.charCodeAt(i)) | 0;
  return hash;
}

/** V8 copies slices shorter than this; longer ones point into (and keep alive) the whole text. */
const SHARED_SLICE_MIN = 13;

/**
 * `s.slice(from, to)` as a string of its own: a long-lived cache must not hold a slice that keeps
 * a whole story's text alive after the story is gone.
 */
export function detachedSlice(s: string, from: number, to: number): string {
  if (to - from < SHARED_SLICE_MIN) return s.slice(from, to);
  const codes: number[] = [];
  for (let i = from; i < to; i++) codes.push(s.charCodeAt(i));
  return String.fromCharCode(...codes);
}

/** A string of its own with the same characters (see detachedSlice). */
export function detached(s: string): string {
  return s.length < SHARED_SLICE_MIN ? s : detachedSlice(s, 0, s.length);
}
