/**
 * An export.xml shaped like a real one with food logging: MyNetDiary writes several
 * `<Record>`s with identical attributes that differ only in their `HKFoodType` metadata;
 * Nutrino writes `HKCorrelationTypeIdentifierFood` meals whose type, source and dates are
 * shared by several meals of one day, told apart by their nested records and metadata.
 */
const device = (n: number) => `&lt;&lt;HKDevice: 0x28${(0x1a2b3c4 + n).toString(16)}&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone10,6, software:13.3&gt;`;

const FOODS = ['Banana', 'Oatmeal, cooked', 'Greek yogurt', 'Apple', 'Espresso', 'Whole wheat bread', 'Cheddar cheese', 'Orange juice', 'Almonds', 'Chicken breast'];

function foodRecord(food: string, kcal: string, at: string, created: string, indent: string, n: number): string {
  return [
    `${indent}<Record type="HKQuantityTypeIdentifierDietaryEnergyConsumed" sourceName="MyNetDiary" sourceVersion="7.26" device="${device(n)}" unit="kcal" creationDate="${created}" startDate="${at}" endDate="${at}" value="${kcal}">`,
    `${indent} <MetadataEntry key="HKFoodType" value="${food}"/>`,
    `${indent}</Record>`,
  ].join('\n');
}

/**
 * 12 top-level food records (6 attribute sets × 2 foods), 34 Nutrino meals on 19 distinct
 * (type, source, creationDate, startDate, endDate), a blood pressure correlation and a plain
 * step count. `shift` moves every device address, as a re-export does.
 */
export function foodExport(shift = 0): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE HealthData [',
    '<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram)*)>',
    ']>',
    '<HealthData locale="en_US">',
    '  <ExportDate value="2020-01-20 09:00:00 -0800"/>',
    '  <Me HKCharacteristicTypeIdentifierDateOfBirth="1980-05-04" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>',
  ];
  let n = shift;
  for (let set = 0; set < 6; set++) {
    const at = `2020-01-1${set} 12:00:00 -0800`;
    const created = `2020-01-1${set} 20:11:3${set} -0800`;
    for (let k = 0; k < 2; k++) out.push(foodRecord(FOODS[set + k], '120', at, created, '  ', n++));
  }
  out.push(
    '  <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Jane’s iPhone" sourceVersion="13.3" unit="count" creationDate="2020-01-12 10:00:00 -0800" startDate="2020-01-12 09:00:00 -0800" endDate="2020-01-12 09:10:00 -0800" value="812"/>',
  );
  let meals = 0;
  for (let slot = 0; slot < 19; slot++) {
    const day = 10 + Math.floor(slot / 4);
    const hour = 7 + (slot % 4) * 4;
    const at = `2020-01-${day} ${String(hour).padStart(2, '0')}:00:00 -0800`;
    const created = `2020-01-${day} 21:00:00 -0800`;
    for (let k = 0; k < (slot < 15 ? 2 : 1); k++) {
      const food = FOODS[(slot + k * 3) % FOODS.length];
      const kcal = String(90 + slot * 7 + k * 40);
      out.push(
        `  <Correlation type="HKCorrelationTypeIdentifierFood" sourceName="Nutrino" sourceVersion="4.2" creationDate="${created}" startDate="${at}" endDate="${at}">`,
        `   <MetadataEntry key="HKFoodType" value="${food}"/>`,
        `   <MetadataEntry key="HKFoodMeal" value="${['Breakfast', 'Lunch', 'Snack', 'Dinner'][slot % 4]}"/>`,
        `   <Record type="HKQuantityTypeIdentifierDietaryEnergyConsumed" sourceName="Nutrino" sourceVersion="4.2" device="${device(n++)}" unit="kcal" creationDate="${created}" startDate="${at}" endDate="${at}" value="${kcal}"/>`,
        `   <Record type="HKQuantityTypeIdentifierDietaryProtein" sourceName="Nutrino" sourceVersion="4.2" unit="g" creationDate="${created}" startDate="${at}" endDate="${at}" value="${(slot + k) % 9}.5"/>`,
        '  </Correlation>',
      );
      meals++;
    }
  }
  if (meals !== 34) throw new Error(`the fixture must hold 34 meals, not ${meals}`);
  out.push(
    '  <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Health Mate" sourceVersion="6020101" creationDate="2020-01-15 08:01:00 -0800" startDate="2020-01-15 08:00:00 -0800" endDate="2020-01-15 08:00:00 -0800">',
    '   <Record type="HKQuantityTypeIdentifierBloodPressureSystolic" sourceName="Health Mate" sourceVersion="6020101" unit="mmHg" creationDate="2020-01-15 08:01:00 -0800" startDate="2020-01-15 08:00:00 -0800" endDate="2020-01-15 08:00:00 -0800" value="121"/>',
    '   <Record type="HKQuantityTypeIdentifierBloodPressureDiastolic" sourceName="Health Mate" sourceVersion="6020101" unit="mmHg" creationDate="2020-01-15 08:01:00 -0800" startDate="2020-01-15 08:00:00 -0800" endDate="2020-01-15 08:00:00 -0800" value="79"/>',
    '  </Correlation>',
    '</HealthData>',
    '',
  );
  return out.join('\n');
}
