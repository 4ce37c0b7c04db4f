/**
 * Deterministic Takeout records: record i is the same in every generated export, so a
 * later export (more records) overlaps an earlier one exactly, as a real account's does.
 */

const T0 = Date.UTC(2021, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
/** A small deterministic hash of i, for values that should look varied. */
const mix = (i: number, salt = 0) => {
  let x = (i + 1) * 2654435761 + salt * 40503;
  x = (x ^ (x >>> 15)) * 2246822519;
  return (x ^ (x >>> 13)) >>> 0;
};
const ACTIVITIES = ['STILL', 'WALKING', 'IN_VEHICLE', 'ON_BICYCLE', 'ON_FOOT', 'TILTING', 'UNKNOWN'];

/** Records.json's element i, indented as Google writes it; every 10th uses the old `timestampMs` form. */
export function locationText(i: number): string {
  const ms = T0 + i * 60_000 + (mix(i) % 1000);
  const lat = 523000000 + (mix(i, 1) % 2000000);
  const lng = 133000000 + (mix(i, 2) % 3000000);
  const time = i % 10 === 0 ? `"timestampMs": "${ms}"` : `"timestamp": "${iso(ms)}"`;
  const activity = i % 3 === 0
    ? `,\n    "activity": [{\n      "activity": [{\n        "type": "${ACTIVITIES[mix(i, 3) % ACTIVITIES.length]}",\n        "confidence": ${50 + (mix(i, 4) % 51)}\n      }, {\n        "type": "UNKNOWN",\n        "confidence": ${mix(i, 5) % 30}\n      }],\n      "timestamp": "${iso(ms - 4000)}"\n    }]`
    : '';
  return `{\n    "latitudeE7": ${lat},\n    "longitudeE7": ${lng},\n    "accuracy": ${5 + (mix(i, 6) % 60)},\n    "altitude": ${30 + (mix(i, 7) % 40)},\n    "verticalAccuracy": ${2 + (mix(i, 8) % 10)}${activity},\n    "source": "${i % 4 ? 'WIFI' : 'GPS'}",\n    "deviceTag": ${1978796627 + (i % 2)},\n    "platformType": "ANDROID",\n    "formFactor": "PHONE",\n    ${time}\n  }`;
}

/** Semantic Location History's timelineObject i: a place visit or the activity segment after it. */
export function timelineObject(i: number): object {
  const start = T0 + i * 3_600_000;
  const duration = { startTimestamp: iso(start), endTimestamp: iso(start + 3_000_000) };
  const latitudeE7 = 523000000 + (mix(i, 1) % 2000000);
  const longitudeE7 = 133000000 + (mix(i, 2) % 3000000);
  if (i % 2 === 0) {
    return { placeVisit: { location: { latitudeE7, longitudeE7, placeId: `ChIJ${mix(i).toString(36)}`, address: `Straße ${i % 90}, Berlin`, name: `Place ${i % 50}`, locationConfidence: 60.45 }, duration, placeConfidence: 'HIGH_CONFIDENCE', visitConfidence: 90, editConfirmationStatus: 'NOT_CONFIRMED' } };
  }
  return { activitySegment: { startLocation: { latitudeE7, longitudeE7 }, endLocation: { latitudeE7: latitudeE7 + 1000, longitudeE7: longitudeE7 + 1000 }, duration, distance: mix(i) % 20000, activityType: ACTIVITIES[mix(i, 3) % 4], confidence: 'HIGH', activities: [{ activityType: 'WALKING', probability: 80.5 }] } };
}

/** An activity entry i of a product (My Activity, watch or search history), newest first in the file like Google's. */
export function activity(i: number, product: string, verb = 'Searched for'): object {
  const entry: Record<string, unknown> = {
    header: product,
    title: `${verb} thing ${i}`,
    titleUrl: `https://www.google.com/search?q=thing+${i}`,
    time: iso(T0 + i * 90_000 + (mix(i) % 1000)),
    products: [product],
    activityControls: [`${product} history`],
  };
  if (i % 5 === 0) entry.subtitles = [{ name: `Channel ${i % 40}`, url: `https://www.youtube.com/channel/UC${mix(i).toString(36)}` }];
  return entry;
}

/** YouTube subscriptions.csv row i. */
export const subscriptionRow = (i: number) => `UC${mix(i).toString(36).padStart(8, '0')}${i},http://www.youtube.com/channel/UC${mix(i).toString(36)}${i},Channel ${i}`;

/** Fit daily activity metrics: day d's file name and its 15-minute rows. */
export function fitDay(d: number): { name: string; text: string } {
  const day = iso(T0 + d * 86_400_000).slice(0, 10);
  const rows = Array.from({ length: 96 }, (_, q) => {
    const h = String(Math.floor(q / 4)).padStart(2, '0');
    const m = String((q % 4) * 15).padStart(2, '0');
    const m2 = String(((q % 4) * 15 + 15) % 60).padStart(2, '0');
    const h2 = String(Math.floor((q + 1) / 4) % 24).padStart(2, '0');
    return `${h}:${m}:00.000+01:00,${h2}:${m2}:00.000+01:00,${mix(d * 96 + q) % 15},${(mix(d * 96 + q, 1) % 2000) / 100},${mix(d * 96 + q, 2) % 1500}`;
  });
  return { name: `${day}.csv`, text: `Start time,End time,Move Minutes count,Calories (kcal),Step count\n${rows.join('\n')}\n` };
}

/** Fit All sessions: session s as its file name and document. */
export function fitSession(s: number): { name: string; doc: object } {
  const start = T0 + s * 86_400_000 + 7 * 3_600_000;
  return {
    name: `${iso(start).replace(/:/g, '_')}_WALKING.json`,
    doc: { fitnessActivity: 'walking', startTime: iso(start), endTime: iso(start + 1_800_000), duration: '1800s', segment: [{ fitnessActivity: 'walking', startTime: iso(start), endTime: iso(start + 1_800_000) }], aggregate: [{ metricName: 'com.google.step_count.delta', intValue: 2000 + (s % 500) }] },
  };
}
