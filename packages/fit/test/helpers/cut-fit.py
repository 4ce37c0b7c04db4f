#!/usr/bin/env python3
"""Cut a real single-section FIT file down to a small valid one: per global message number the
data messages chosen by `keep(global, index_of_that_type, bytes)`, each after the definition it
was written with, in file order; header data size and both CRCs recomputed. Every kept record
(definition or data) is byte for byte the file's. Usage: cut-fit.py in.fit out.fit '{"20": 3, "*": 1000}'
(at most 3 messages 20, `record`, and 1000 of every other type)."""
import struct, sys, json

def crc16(data):
    t = [0x0000,0xCC01,0xD801,0x1400,0xF001,0x3C00,0x2800,0xE401,0xA001,0x6C00,0x7800,0xB401,0x5000,0x9C01,0x8801,0x4400]
    c = 0
    for b in data:
        tmp = t[c & 0xF]; c = (c >> 4) & 0x0FFF; c = c ^ tmp ^ t[b & 0xF]
        tmp = t[c & 0xF]; c = (c >> 4) & 0x0FFF; c = c ^ tmp ^ t[(b >> 4) & 0xF]
    return c

def reduce(buf, keep):
    hs = buf[0]; ds = struct.unpack_from('<I', buf, 4)[0]; end = hs + ds
    p = hs; defs = {}; out = []; seen = {}; pending = {}
    while p < end:
        h = buf[p]
        if h & 0x80 == 0 and h & 0x40:
            le = buf[p+2] == 0; g = struct.unpack_from('<H' if le else '>H', buf, p+3)[0]; n = buf[p+5]
            q = p + 6 + 3*n; size = sum(buf[p+6+3*i+1] for i in range(n))
            if h & 0x20:
                nd = buf[q]; size += sum(buf[q+1+3*i+1] for i in range(nd)); q += 1 + 3*nd
            defs[h & 0x0F] = (g, size)
            pending[h & 0x0F] = buf[p:q]  # written only before a kept message that uses it
            p = q; continue
        assert h & 0x80 == 0, 'compressed headers not handled'
        g, size = defs[h & 0x0F]
        rec = buf[p:p+1+size]; i = seen.get(g, 0); seen[g] = i + 1
        if keep(g, i, rec):
            if h & 0x0F in pending: out.append(pending.pop(h & 0x0F))
            out.append(rec)
        p += 1 + size
    data = b''.join(out)
    header = bytearray(buf[:hs]); struct.pack_into('<I', header, 4, len(data))
    if hs == 14: struct.pack_into('<H', header, 12, crc16(header[:12]))
    body = bytes(header) + data
    return body + struct.pack('<H', crc16(body))

if __name__ == '__main__':
    src, dst, rule = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    # rule: {"<global>": max count to keep, "*": default}
    keep = lambda g, i, rec: i < rule.get(str(g), rule.get('*', 0))
    open(dst, 'wb').write(reduce(open(src, 'rb').read(), keep))
