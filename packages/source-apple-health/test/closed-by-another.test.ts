import { describe, expect, it } from 'vitest';
import { readXmlElements, type XmlElement } from '../src/index.js';
import { XmlDamage } from '../src/xml/damage.js';
import { SLICE_BYTES } from '../src/xml/elements.js';

/**
 * A Correlation never closed, then `</HealthData>` (the hand-cut excerpt of real-exports.test.ts):
 * saxes closes the Correlation at that tag. The tag's bytes must not count as the element's,
 * wherever the reader's slices cut the file, or they would be in no row.
 */
function excerpt(padding: number): string {
  return (
    `<?xml version="1.0"?>\n<HealthData locale="en_US">\n <ExportDate value="x"/>\n <Record type="A" v="${'p'.repeat(padding)}"/>\n` +
    ` <Correlation type="Food">\n  <Record type="B"/>\n </Correlation>\n <Correlation type="Food">\n  <Record type="C"/>\n` +
    ' <Workout type="Run"/>\n</HealthData>\n'
  );
}

async function read(text: string, chunk: number): Promise<{ elements: XmlElement[]; damage?: XmlDamage }> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  const elements: XmlElement[] = [];
  try {
    for await (const el of readXmlElements(chunks, 'export.xml', { containers: 1, yieldContainers: true })) elements.push(el);
  } catch (err) {
    if (err instanceof XmlDamage) return { elements, damage: err };
    throw err;
  }
  return { elements };
}

describe('readXmlElements: an element closed by a closing tag not its own', () => {
  const base = excerpt(0);
  const closeAt = base.indexOf('</HealthData>');
  // The tag starts at, straddles and ends at a slice boundary (the slices are SLICE_BYTES of text).
  const paddings = [0, 1, 6, 12, 13].map((k) => SLICE_BYTES - closeAt - k).concat([0]);

  for (const padding of paddings) {
    it(`keeps the element with a warning, and its bytes end where </HealthData> starts (padding ${padding})`, async () => {
      const text = excerpt(padding);
      for (const chunk of [7, 1 << 16]) {
        const { elements, damage } = await read(text, chunk);
        const correlations = elements.filter((e) => e.name === 'Correlation');
        expect(correlations).toHaveLength(2);
        expect(correlations[0].warning).toBeUndefined();
        const open = correlations[1];
        expect(open.value.Workout).toEqual([{ type: 'Run' }]);
        expect(open.warning).toBe('no closing tag of its own: </HealthData> at line 11 ended it, so it holds everything from its start up to there');
        expect(damage?.message).toContain('unexpected close tag');
        expect(damage!.damage.unreadFrom).toBe(Buffer.byteLength(text.slice(0, text.indexOf('</HealthData>'))));
      }
    });
  }

  it('a stray closing tag between elements is not an element of its own: nothing is warned, its bytes are unread', async () => {
    const text = excerpt(0).replace(' <Correlation type="Food">\n  <Record type="C"/>\n', ' </Record>\n');
    const { elements, damage } = await read(text, 1 << 16);
    expect(elements.every((e) => e.warning === undefined)).toBe(true);
    expect(damage!.damage.unreadFrom).toBe(text.indexOf(' </Record>') - 1);
  });
});
