/**
 * Counts per key given as 32 hex digits (the occurrence counts' keys: sha256 prefixes, so
 * uniformly spread), held in one typed array: 16 bytes per slot (the key's first 96 bits, its
 * count), at most 3/4 full, no object per key. Two of a file's ids share a slot only if their
 * sha256 agree on 96 bits: for the 393,216 ids it holds, a chance of ~10⁻¹⁸. It
 * grows by doubling up to `maxKeys` keys; past that, a new key is refused and the caller
 * counts it elsewhere. A JavaScript Map of the same keys took ~220 bytes each (measured:
 * +65 MB of RSS for 301,459 ids).
 */
export class KeyCounts {
  /** Per slot: three key words, then the count. */
  private slots!: Uint32Array;
  private mask = 0;
  private used = 0;
  /** The all-zero key marks an empty slot: its count is kept aside. */
  private zeroCount = 0;

  constructor(readonly maxKeys: number) {
    this.allocate(1024);
  }

  get size(): number {
    return this.used + (this.zeroCount ? 1 : 0);
  }

  /** How often the key was added (0: never). */
  get(hex: string): number {
    const a = word(hex, 0), b = word(hex, 8), c = word(hex, 16);
    if ((a | b | c) === 0) return this.zeroCount;
    const at = this.slotOf(a, b, c);
    return at < 0 ? 0 : this.slots[at * 4 + 3];
  }

  /** Adds n to the key's count; returns the count before, or undefined (nothing added) for a new key when full. */
  add(hex: string, n: number): number | undefined {
    const a = word(hex, 0), b = word(hex, 8), c = word(hex, 16);
    if ((a | b | c) === 0) {
      if (!this.zeroCount && this.size >= this.maxKeys) return undefined;
      const before = this.zeroCount;
      this.zeroCount += n;
      return before;
    }
    let at = this.slotOf(a, b, c);
    if (at >= 0) {
      const before = this.slots[at * 4 + 3];
      this.slots[at * 4 + 3] = before + n;
      return before;
    }
    if (this.size >= this.maxKeys) return undefined;
    if ((this.used + 1) * 4 > (this.mask + 1) * 3) this.allocate((this.mask + 1) * 2);
    at = this.emptySlot(a) * 4;
    const s = this.slots;
    s[at] = a;
    s[at + 1] = b;
    s[at + 2] = c;
    s[at + 3] = n;
    this.used++;
    return 0;
  }

  clear(): void {
    const had = this.used;
    this.used = 0;
    this.zeroCount = 0;
    if (had) this.allocate(1024);
  }

  /** The slot holding the key, or -1. Linear probing from the key's low bits. */
  private slotOf(a: number, b: number, c: number): number {
    const s = this.slots;
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const at = i * 4;
      if ((s[at] | s[at + 1] | s[at + 2]) === 0) return -1;
      if (s[at] === a && s[at + 1] === b && s[at + 2] === c) return i;
    }
  }

  private emptySlot(a: number): number {
    const s = this.slots;
    let i = a & this.mask;
    while ((s[i * 4] | s[i * 4 + 1] | s[i * 4 + 2]) !== 0) i = (i + 1) & this.mask;
    return i;
  }

  /** A new array of `count` slots, holding the keys and counts the old one held. */
  private allocate(count: number): void {
    const old = this.slots;
    this.slots = new Uint32Array(count * 4);
    this.mask = count - 1;
    if (!old || !this.used) return;
    for (let at = 0; at < old.length; at += 4) {
      if ((old[at] | old[at + 1] | old[at + 2]) === 0) continue;
      this.slots.set(old.subarray(at, at + 4), this.emptySlot(old[at]) * 4);
    }
  }
}

function word(hex: string, from: number): number {
  if (hex.length !== 32) throw new Error(`KeyCounts: not a 128-bit hex key: ${hex}`);
  return parseInt(hex.slice(from, from + 8), 16) >>> 0;
}
