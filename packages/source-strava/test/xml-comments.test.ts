import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describeOneEngine } from '@bronze/testkit';
import { describe, expect, it } from 'vitest';
import { parseXmlDocument, type XmlNote, type XmlObject } from '../src/xml-document.js';
import { fixture, run, tempDir } from './helpers/export-zip.js';

/** gpxpy's real Ultra GPS Logger track: each point's accuracy, speed and bearing in a comment after it. */
const LOGGER = fixture('gpxpy_gpx-with-node-with-comments.gpx');
/** The comments counted in the file's text, independently of the parser: `<!--` … `-->`. */
const COMMENTS = [...LOGGER.toString('utf8').matchAll(/<!--([\s\S]*?)-->/g)].map((m) => m[1]);

const seg = (gpx: XmlObject) => ((gpx.trk as XmlObject[])[0].trkseg as XmlObject[])[0];

describe('GPX/TCX as JSON: comments and processing instructions', () => {
  it('a comment after a track point is kept with the point it followed', () => {
    expect(COMMENTS).toHaveLength(1);
    const trkseg = seg(parseXmlDocument(LOGGER).value);
    expect(trkseg['#comments']).toEqual([{ comment: COMMENTS[0], after: { tag: 'trkpt', index: 0 } }]);
    expect((trkseg.trkpt as XmlObject[])[0]).toMatchObject({ lat: '51.519402', lon: '-0.134462' });
  });

  it('before any child, between children of other tags, around the root: each where it stood, as written', () => {
    const xml = '<?xml version="1.0"?><!-- made by hand --><?xml-stylesheet href="s.xsl"?>\n<gpx><!--first--><wpt/><trk><?app x=1?></trk><wpt/><!-- last --></gpx><!--end-->';
    const gpx = parseXmlDocument(Buffer.from(xml)).value;
    const notes: XmlNote[] = [
      { comment: 'first' },
      { comment: ' last ', after: { tag: 'wpt', index: 1 } },
      { comment: ' made by hand ', outside: 'before' },
      { instruction: { target: 'xml-stylesheet', body: 'href="s.xsl"' }, outside: 'before' },
      { comment: 'end', outside: 'after' },
    ];
    expect(gpx['#comments']).toEqual(notes);
    expect((gpx.trk as XmlObject[])[0]['#comments']).toEqual([{ instruction: { target: 'app', body: 'x=1' } }]);
  });
});

describeOneEngine('Strava: a GPX file with comments', (db) => {
  it('the real logger file given alone: one gpx_files row holding its comment', async () => {
    const path = join(tempDir(), 'ultra-gps-logger.gpx');
    writeFileSync(path, LOGGER);
    const r = await run(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const [row] = await db().withSession((s) => s.query<{ raw_data: { gpx: XmlObject } }>(`SELECT raw_data FROM bronze_strava WHERE stream = 'gpx_files' AND raw_data->>'file' LIKE '%ultra-gps-logger%' OR (stream = 'gpx_files' AND raw_id LIKE 'file:ultra-gps-logger%')`));
    expect(seg(row.raw_data.gpx)['#comments']).toEqual([{ comment: COMMENTS[0], after: { tag: 'trkpt', index: 0 } }]);
  });
});
