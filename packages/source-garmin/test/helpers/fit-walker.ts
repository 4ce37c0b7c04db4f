/**
 * An independent count of a FIT file's data messages, for checking the decoder: it reads only
 * record headers and definition sizes (FIT protocol, "Record Header" and "Definition
 * Message"), section by section, and never looks at field values.
 */
export function countFitMessages(buf: Buffer): { sections: { data: number; compressed: number }[] } {
  const sections: { data: number; compressed: number }[] = [];
  let start = 0;
  while (start + 12 <= buf.length && buf.toString('latin1', start + 8, start + 12) === '.FIT') {
    const end = start + buf[start] + buf.readUInt32LE(start + 4);
    const size = new Map<number, number>();
    let data = 0;
    let compressed = 0;
    let at = start + buf[start];
    while (at < end) {
      const h = buf[at];
      if (h & 0x80) {
        compressed++;
        data++;
        at += 1 + size.get((h >> 5) & 3)!;
      } else if (h & 0x40) {
        const fields = buf[at + 5];
        let n = 0;
        for (let i = 0; i < fields; i++) n += buf[at + 6 + i * 3 + 1];
        let next = at + 6 + fields * 3;
        if (h & 0x20) {
          const dev = buf[next];
          for (let i = 0; i < dev; i++) n += buf[next + 1 + i * 3 + 1];
          next += 1 + dev * 3;
        }
        size.set(h & 0x0f, n);
        at = next;
      } else {
        data++;
        at += 1 + size.get(h & 0x0f)!;
      }
    }
    sections.push({ data, compressed });
    start = end + 2;
  }
  return { sections };
}
