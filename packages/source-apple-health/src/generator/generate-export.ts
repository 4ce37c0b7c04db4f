import { RECORD_KINDS, type RecordKind } from './record-types.js';

export interface GenerateOptions {
  /** Number of `<Record>` elements (correlations, workouts and summaries come on top). */
  records: number;
  /**
   * The record count whose time span is `months`; default `records`. A superset of an
   * export is the same call with more records and the base export's count here: every
   * record of the base comes out identical, the extra ones later in time.
   */
  baseRecords?: number;
  months?: number;
  /** First instant, default 2021-01-01T00:00:00Z. */
  start?: Date;
  /** Export date written in `<ExportDate>`; default the end of the span. */
  exportDate?: Date;
}

/** A deterministic number in [0, 1) from integers (a 32-bit mix, no state). */
function unit(a: number, b: number, c = 0): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35) ^ Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Apple's date text in the zone the person was in then: Los Angeles, then Berlin with trips. */
export function appleDate(ms: number): string {
  const d = new Date(ms);
  const month = d.getUTCMonth();
  const inEurope = d.getUTCFullYear() % 2 === 0 ? month !== 7 : month === 3;
  const summer = month >= 3 && month <= 9;
  const offsetMin = inEurope ? (summer ? 120 : 60) : summer ? -420 : -480;
  const l = new Date(ms + offsetMin * 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${l.getUTCFullYear()}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())} ${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

const DEVICES = {
  watch: ['Jane’s Apple Watch', '9.1', 'name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.1'],
  phone: ['Jane’s iPhone', '16.1', 'name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,2, software:16.1'],
  scale: ['Health Mate', '6020101', 'name:Body Cardio, manufacturer:Withings, model:WBS04, hardware:WBS04, software:1790'],
} as const;

function device(kind: RecordKind, u: number): string {
  const [, , text] = DEVICES[kind.device];
  return `&lt;&lt;HKDevice: 0x${Math.floor(u * 0xffffffff).toString(16).padStart(9, '2')}&gt;, ${text}&gt;`;
}

function recordXml(kind: RecordKind, k: number, j: number, at: number, indent = '  '): string {
  const u = unit(k, j);
  const [sourceName, sourceVersion] = DEVICES[kind.device];
  const start = appleDate(at);
  const end = appleDate(at + kind.duration * 1000);
  const created = appleDate(at + kind.duration * 1000 + Math.floor(u * 600) * 1000);
  const unitAttr = kind.unit ? ` unit="${kind.unit}"` : '';
  let xml = `${indent}<Record type="${kind.type}" sourceName="${sourceName}" sourceVersion="${sourceVersion}" device="${device(kind, unit(j, k, 7))}"${unitAttr} creationDate="${created}" startDate="${start}" endDate="${end}" value="${kind.value(u)}"`;
  const meta = kind.metadata?.(unit(k, j, 3)) ?? [];
  if (!meta.length && !kind.beats) return `${xml}/>\n`;
  xml += '>\n';
  for (const [key, value] of meta) xml += `${indent}  <MetadataEntry key="${key}" value="${value}"/>\n`;
  if (kind.beats) {
    xml += `${indent}  <HeartRateVariabilityMetadataList>\n`;
    for (let b = 0; b < kind.beats; b++) {
      const t = new Date(at + b * 1000);
      xml += `${indent}    <InstantaneousBeatsPerMinute bpm="${Math.floor(55 + unit(j, b, k) * 30)}" time="${t.getUTCHours() % 12 || 12}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${pad(Math.floor(unit(b, j) * 100))} ${t.getUTCHours() < 12 ? 'AM' : 'PM'}"/>\n`;
    }
    xml += `${indent}  </HeartRateVariabilityMetadataList>\n`;
  }
  return `${xml}${indent}</Record>\n`;
}

function workoutXml(w: number, at: number): string {
  const minutes = 20 + Math.floor(unit(w, 1) * 60);
  const end = at + minutes * 60_000;
  const [s, e] = [appleDate(at), appleDate(end)];
  const km = (minutes / 6) * (0.8 + unit(w, 2) * 0.4);
  return `  <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="${minutes}" durationUnit="min" sourceName="Jane’s Apple Watch" sourceVersion="9.1" device="&lt;&lt;HKDevice: 0x28${w.toString(16)}&gt;, name:Apple Watch&gt;" creationDate="${e}" startDate="${s}" endDate="${e}">
    <MetadataEntry key="HKIndoorWorkout" value="0"/>
    <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>
    <MetadataEntry key="HKWeatherTemperature" value="${(50 + unit(w, 3) * 30).toFixed(0)} degF"/>
    <WorkoutEvent type="HKWorkoutEventTypeSegment" date="${s}" duration="${(minutes / 2).toFixed(4)}" durationUnit="min"/>
    <WorkoutEvent type="HKWorkoutEventTypePause" date="${appleDate(at + 600_000)}"/>
    <WorkoutEvent type="HKWorkoutEventTypeResume" date="${appleDate(at + 660_000)}"/>
    <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="${s}" endDate="${e}" sum="${(minutes * 11).toFixed(2)}" unit="Cal"/>
    <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="${s}" endDate="${e}" sum="${km.toFixed(4)}" unit="km"/>
    <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="${s}" endDate="${e}" average="${(140 + unit(w, 4) * 20).toFixed(1)}" minimum="98" maximum="178" unit="count/min"/>
    <WorkoutRoute sourceName="Jane’s Apple Watch" sourceVersion="9.1" creationDate="${e}" startDate="${s}" endDate="${e}">
      <MetadataEntry key="HKMetadataKeySyncVersion" value="2"/>
      <FileReference path="/workout-routes/route_${s.slice(0, 10)}_${w}.gpx"/>
    </WorkoutRoute>
  </Workout>\n`;
}

function correlationXml(c: number, at: number): string {
  const s = appleDate(at);
  const attrs = `sourceName="Health Mate" sourceVersion="6020101" creationDate="${s}" startDate="${s}" endDate="${s}"`;
  const member = (type: string, v: number) => `    <Record type="${type}" ${attrs.replace('creationDate', 'unit="mmHg" creationDate')} value="${v}"/>\n`;
  return `  <Correlation type="HKCorrelationTypeIdentifierBloodPressure" ${attrs}>\n    <MetadataEntry key="HKWasUserEntered" value="0"/>\n${member('HKQuantityTypeIdentifierBloodPressureDiastolic', 70 + Math.floor(unit(c, 1) * 15))}${member('HKQuantityTypeIdentifierBloodPressureSystolic', 110 + Math.floor(unit(c, 2) * 25))}  </Correlation>\n`;
}

const DOCTYPE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
`;

/** How many elements of each stream an export of these options holds. */
export interface ExportCounts {
  records: number;
  workouts: number;
  correlations: number;
  activity_summaries: number;
  me: number;
  export_info: number;
}

function plan(o: GenerateOptions) {
  const base = o.baseRecords ?? o.records;
  const spanMs = (o.months ?? 36) * 30.44 * 86_400_000;
  const start = (o.start ?? new Date('2021-01-01T00:00:00Z')).getTime();
  const total = RECORD_KINDS.reduce((s, k) => s + k.share, 0);
  const kinds = RECORD_KINDS.map((kind) => {
    const baseCount = Math.max(1, Math.round((base * kind.share) / total));
    return { kind, count: Math.round((o.records * kind.share) / total), stepMs: spanMs / baseCount };
  });
  const records = kinds.reduce((s, k) => s + k.count, 0);
  const perBase = (every: number) => ({ count: Math.floor(o.records / every), stepMs: spanMs / Math.max(1, Math.floor(base / every)) });
  const days = Math.floor(((spanMs * o.records) / base) / 86_400_000);
  return { start, spanMs, kinds, records, workouts: perBase(1000), correlations: perBase(5000), days };
}

export function exportCounts(o: GenerateOptions): ExportCounts {
  const p = plan(o);
  return { records: p.records, workouts: p.workouts.count, correlations: p.correlations.count, activity_summaries: p.days, me: 1, export_info: 1 };
}

/**
 * A realistic synthetic export.xml, streamed as text chunks: DOCTYPE internal subset,
 * records grouped by type as Apple writes them (several devices, metadata entries, HRV
 * beat lists, two time zones with daylight saving), blood pressure correlations,
 * workouts with events, statistics and route references, one activity summary a day.
 * Deterministic: the same options give the same bytes.
 */
export async function* generateExport(o: GenerateOptions): AsyncIterable<string> {
  const p = plan(o);
  const exportDate = o.exportDate?.getTime() ?? p.start + (p.spanMs * o.records) / (o.baseRecords ?? o.records);
  let chunk = `${DOCTYPE}<HealthData locale="en_US">\n  <ExportDate value="${appleDate(exportDate)}"/>\n  <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-02-02" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>\n`;
  for (const [k, { kind, count, stepMs }] of p.kinds.entries()) {
    for (let j = 0; j < count; j++) {
      chunk += recordXml(kind, k, j, Math.floor(p.start + j * stepMs + unit(k, j, 9) * stepMs * 0.5));
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
  }
  for (let c = 0; c < p.correlations.count; c++) chunk += correlationXml(c, Math.floor(p.start + c * p.correlations.stepMs));
  for (let w = 0; w < p.workouts.count; w++) {
    chunk += workoutXml(w, Math.floor(p.start + w * p.workouts.stepMs));
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  for (let d = 0; d < p.days; d++) {
    const day = new Date(p.start + d * 86_400_000).toISOString().slice(0, 10);
    const u = unit(d, 11);
    chunk += `  <ActivitySummary dateComponents="${day}" activeEnergyBurned="${(200 + u * 600).toFixed(3)}" activeEnergyBurnedGoal="500" activeEnergyBurnedUnit="Cal" appleMoveTime="0" appleMoveTimeGoal="0" appleExerciseTime="${Math.floor(u * 90)}" appleExerciseTimeGoal="30" appleStandHours="${8 + Math.floor(u * 8)}" appleStandHoursGoal="12"/>\n`;
  }
  yield `${chunk}</HealthData>\n`;
}
