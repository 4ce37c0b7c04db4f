#!/usr/bin/env python3
"""Independent FIT walker, written from the FIT protocol document (not from any SDK): every data
message of each section with its raw fields (number, size, base type, bytes) and the file offset
of its record header ('at'), and where the walk stopped. `python3 fit-walk.py file.fit` prints it as JSON; the counts in the tests come from it."""
import json, struct, sys

BT = {0x00:('B',1,0xFF),0x01:('b',1,0x7F),0x02:('B',1,0xFF),0x83:('h',2,0x7FFF),0x84:('H',2,0xFFFF),
      0x85:('i',4,0x7FFFFFFF),0x86:('I',4,0xFFFFFFFF),0x07:('s',1,0),0x88:('f',4,None),0x89:('d',8,None),
      0x0A:('B',1,0),0x8B:('H',2,0),0x8C:('I',4,0),0x0D:('B',1,0xFF),0x8E:('q',8,0x7FFFFFFFFFFFFFFF),
      0x8F:('Q',8,0xFFFFFFFFFFFFFFFF),0x90:('Q',8,0)}

def walk(buf):
    off = 0; sections = []
    while off < len(buf):
        if off + 12 > len(buf) or buf[off] not in (12, 14) or buf[off+8:off+12] != b'.FIT':
            sections.append({'error': 'no header', 'offset': off}); break
        hs = buf[off]; ds = struct.unpack_from('<I', buf, off+4)[0]
        end = off + hs + ds
        p = off + hs; defs = {}; msgs = []; err = None; last_ts = None
        while p < min(end, len(buf)):
            h = buf[p]
            if h & 0x80 == 0 and h & 0x40:
                local = h & 0x0F; arch = buf[p+2]; le = arch == 0
                gnum = struct.unpack_from('<H' if le else '>H', buf, p+3)[0]; n = buf[p+5]; q = p+6
                fields = []
                for i in range(n):
                    fields.append((buf[q], buf[q+1], buf[q+2])); q += 3
                dev = []
                if h & 0x20:
                    nd = buf[q]; q += 1
                    for i in range(nd):
                        dev.append((buf[q], buf[q+1], buf[q+2])); q += 3
                defs[local] = (le, gnum, fields, dev); p = q; continue
            comp = h & 0x80 != 0
            local = (h >> 5) & 3 if comp else h & 0x0F
            if local not in defs: err = f'undefined local {local} at {p}'; break
            le, gnum, fields, dev = defs[local]
            size = sum(f[1] for f in fields) + sum(d[1] for d in dev)
            if p + 1 + size > min(end, len(buf)): err = f'truncated at {p}'; break
            q = p + 1; fo = []; do = []
            for num, sz, bt in fields:
                fo.append([num, sz, bt, buf[q:q+sz].hex()]); q += sz
            for num, sz, idx in dev:
                do.append([idx, num, sz, buf[q:q+sz].hex()]); q += sz
            m = {'at': p, 'g': gnum, 'le': le, 'f': fo, 'd': do}
            if comp: m['c'] = h & 0x1f
            msgs.append(m); p = q
        sections.append({'offset': off, 'headerSize': hs, 'dataSize': ds, 'messages': msgs, 'error': err, 'walkedTo': p - off})
        off = end + 2
    return sections

if __name__ == '__main__':
    buf = open(sys.argv[1], 'rb').read()
    print(json.dumps(walk(buf)))
