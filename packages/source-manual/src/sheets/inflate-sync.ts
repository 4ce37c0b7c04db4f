/**
 * A synchronous raw-deflate decoder (RFC 1951) that hands its output over a piece at a time,
 * keeping only the 32 KiB window back-references need. streams() must list an .ods file's
 * sheets synchronously, and only content.xml (of any size) names them; Node's zlib inflates
 * synchronously only a whole buffer at once, which would hold the whole part in memory. This
 * is the plain bit-by-bit decoder of zlib's puff.c: slower than zlib, fast enough for one pass.
 */

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const WINDOW = 1 << 15;
const OUT = 1 << 17;

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function huffman(lengths: ArrayLike<number>, n: number): Huffman {
  const counts = new Uint16Array(16);
  for (let i = 0; i < n; i++) counts[lengths[i]]++;
  counts[0] = 0;
  const offsets = new Uint16Array(16);
  for (let len = 1; len < 16; len++) offsets[len] = offsets[len - 1] + counts[len - 1];
  const symbols = new Uint16Array(n);
  for (let i = 0; i < n; i++) if (lengths[i]) symbols[offsets[lengths[i]]++] = i;
  return { counts, symbols };
}

const FIXED_LITERALS = huffman(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)), 288);
const FIXED_DISTANCES = huffman(new Array<number>(30).fill(5), 30);

/**
 * Inflates raw deflate data read through `read` (fills the buffer, returns bytes read, 0 at
 * the end) and gives the output to `onBytes` in pieces of up to 96 KiB. Throws on damage or
 * when the output passes `maxBytes`.
 */
export function inflateRawPieces(read: (buf: Buffer) => number, onBytes: (bytes: Buffer) => void, maxBytes: number): void {
  const input = Buffer.alloc(1 << 16);
  let inLength = 0;
  let inPos = 0;
  let bitBuf = 0;
  let bitCount = 0;
  const byte = () => {
    if (inPos === inLength) {
      inLength = read(input);
      inPos = 0;
      if (inLength <= 0) throw new Error('deflate data ends early');
    }
    return input[inPos++];
  };
  const bits = (need: number) => {
    while (bitCount < need) {
      bitBuf |= byte() << bitCount;
      bitCount += 8;
    }
    const v = bitBuf & ((1 << need) - 1);
    bitBuf >>>= need;
    bitCount -= need;
    return v;
  };
  const decode = (h: Huffman) => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      const count = h.counts[len];
      if (code - first < count) return h.symbols[index + code - first];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Error('invalid Huffman code');
  };

  const out = Buffer.alloc(OUT);
  let pos = 0;
  let start = 0;
  let total = 0;
  const flush = () => {
    if (pos > start) onBytes(Buffer.from(out.subarray(start, pos)));
    total += pos - start;
    if (total > maxBytes) throw new Error(`inflates past ${maxBytes} bytes`);
    out.copyWithin(0, pos - WINDOW, pos);
    pos = start = WINDOW;
  };
  const put = (b: number) => {
    out[pos++] = b;
    if (pos === OUT) flush();
  };

  for (let last = 0; !last; ) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      bitBuf = bitCount = 0; // to a byte boundary
      const len = byte() | (byte() << 8);
      const nlen = byte() | (byte() << 8);
      if (len !== (~nlen & 0xffff)) throw new Error('stored block length is damaged');
      for (let i = 0; i < len; i++) put(byte());
      continue;
    }
    let literals = FIXED_LITERALS;
    let distances = FIXED_DISTANCES;
    if (type === 2) {
      const nlen = bits(5) + 257;
      const ndist = bits(5) + 1;
      const ncode = bits(4) + 4;
      const lengths = new Uint8Array(320);
      for (let i = 0; i < ncode; i++) lengths[CODE_LENGTH_ORDER[i]] = bits(3);
      const codes = huffman(lengths, 19);
      lengths.fill(0);
      for (let i = 0; i < nlen + ndist; ) {
        const sym = decode(codes);
        if (sym < 16) lengths[i++] = sym;
        else {
          const repeat = sym === 16 ? 3 + bits(2) : sym === 17 ? 3 + bits(3) : 11 + bits(7);
          if (sym === 16 && i === 0) throw new Error('repeat of no length');
          const value = sym === 16 ? lengths[i - 1] : 0;
          if (i + repeat > nlen + ndist) throw new Error('too many lengths');
          for (let k = 0; k < repeat; k++) lengths[i++] = value;
        }
      }
      literals = huffman(lengths.subarray(0, nlen), nlen);
      distances = huffman(lengths.subarray(nlen, nlen + ndist), ndist);
    } else if (type !== 1) throw new Error('invalid block type');
    for (;;) {
      const sym = decode(literals);
      if (sym < 256) put(sym);
      else if (sym === 256) break;
      else {
        const l = sym - 257;
        if (l >= 29) throw new Error('invalid length code');
        const len = LENGTH_BASE[l] + bits(LENGTH_EXTRA[l]);
        const d = decode(distances);
        if (d >= 30) throw new Error('invalid distance code');
        const dist = DIST_BASE[d] + bits(DIST_EXTRA[d]);
        if (dist > pos) throw new Error('distance too far back');
        for (let k = 0; k < len; k++) put(out[pos - dist]);
      }
    }
  }
  if (pos > start) onBytes(Buffer.from(out.subarray(start, pos)));
}
