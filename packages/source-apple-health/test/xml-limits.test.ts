import { describe, expect, it } from 'vitest';
import { readXmlElements, type XmlElement } from '../src/index.js';

async function read(xml: string, limits: { maxDepth?: number; maxElementChars?: number } = {}): Promise<XmlElement[]> {
  const out: XmlElement[] = [];
  // Several chunks, so the limits hold across slice boundaries.
  async function* chunks() {
    for (let at = 0; at < xml.length; at += 70_000) yield Buffer.from(xml.slice(at, at + 70_000));
  }
  for await (const el of readXmlElements(chunks(), 'test.xml', { containers: 1, ...limits })) out.push(el);
  return out;
}

describe('readXmlElements: depth and size limits', () => {
  it('a record nested 100,000 levels deep comes out with the levels down to the limit and the reason; the next record is whole', async () => {
    const deep = `${'<a x="1">'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
    const els = await read(`<HealthData><Record type="A"/>\n<Record type="deep">${deep}</Record>\n<Record type="B"><M k="1"/></Record></HealthData>`);
    expect(els.map((e) => e.value.type)).toEqual(['A', 'deep', 'B']);
    expect(els[1].problem).toMatch(/starts at line 2 is nested more than 256 levels deep/);
    expect(els[1].oversized).toBeUndefined();
    let depth = 0;
    for (let node = els[1].value; node.a; node = (node.a as (typeof node)[])[0]) depth++;
    expect(depth).toBe(256);
    expect(els[2]).toMatchObject({ value: { type: 'B', M: [{ k: '1' }] } });
    expect(els[2].problem).toBeUndefined();
  });

  it('a record spanning more characters than allowed keeps its attributes only, marked oversized; the records after it are whole', async () => {
    const points = '<trkpt lat="1" lon="2"><time>2020-01-01T00:00:00Z</time></trkpt>'.repeat(5_000);
    const els = await read(`<HealthData><Record type="big" value="7"><M>${'y'.repeat(50_000)}</M>${points}<N/></Record><Record type="C"><M k="2"/></Record></HealthData>`, {
      maxElementChars: 100_000,
    });
    expect(els.map((e) => e.value)).toEqual([{ type: 'big', value: '7' }, { type: 'C', M: [{ k: '2' }] }]);
    expect(els[0].oversized).toBe(true);
    expect(els[0].problem).toMatch(/spans more than 100,000 characters; only its attributes are stored/);
  });
});
