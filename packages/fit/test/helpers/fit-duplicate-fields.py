#!/usr/bin/env python3
"""Independent count of values a decoder keyed by field number loses: a definition naming a field number more than
once; the last occurrence that is not the type's invalid value is kept, every other valid occurrence with other bytes is lost."""
import struct, sys, collections
INV = {0:b'\xff',1:b'\x7f',2:b'\xff',3:0x7FFF,4:0xFFFF,5:0x7FFFFFFF,6:0xFFFFFFFF,8:0xFFFFFFFF,9:0xFFFFFFFFFFFFFFFF,10:0,11:0,12:0,13:0xFF,14:0x7FFFFFFFFFFFFFFF,15:0xFFFFFFFFFFFFFFFF,16:0}
SIZE = [1,1,1,2,2,4,4,1,4,8,1,2,4,1,8,8,8]
def invalid(raw, bt, le):
    t = bt & 0x1f
    if t == 7: return raw.strip(b'\0') == b''
    if t >= len(SIZE): return False
    s = SIZE[t]
    if len(raw) % s: t, s = 13, 1
    inv = INV[t]; inv = inv[0] if isinstance(inv, bytes) else inv
    vals = [int.from_bytes(raw[i:i+s], 'little' if le else 'big') for i in range(0, len(raw), s)]
    return all(v == inv for v in vals)
buf = open(sys.argv[1], 'rb').read(); off = 0; total = collections.Counter(); msgs = collections.Counter(); by_type = collections.Counter()
while off + 12 <= len(buf):
    hs = buf[off]; ds = struct.unpack_from('<I', buf, off + 4)[0]; p = off + hs; end = p + ds; defs = {}
    while p < end:
        h = buf[p]
        if h & 0xC0 == 0x40:
            le = buf[p+2] == 0; g = struct.unpack_from('<H' if le else '>H', buf, p+3)[0]; n = buf[p+5]
            f = [tuple(buf[p+6+3*i:p+9+3*i]) for i in range(n)]; q = p + 6 + 3*n; d = []
            if h & 0x20: nd = buf[q]; q += 1; d = [tuple(buf[q+3*i:q+3*i+3]) for i in range(nd)]; q += 3*nd
            defs[h & 15] = (le, g, f, d); p = q; continue
        le, g, f, d = defs[(h >> 5) & 3 if h & 0x80 else h & 15]
        q = p + 1; occ = collections.defaultdict(list)
        for num, sz, bt in f:
            raw = buf[q:q+sz]; q += sz
            if not invalid(raw, bt, le): occ[num].append(raw)
        lost = sum(sum(1 for r in rs if r != rs[-1]) for rs in occ.values())
        if lost: total[g] += lost; msgs[g] += 1
        p = q + sum(x[1] for x in d)
    off = end + 2
print('lost values by message type:', dict(total), 'messages:', dict(msgs), 'total', sum(total.values()))
