/** One kind of `<Record>` in a synthetic export, with its share of all records. */
export interface RecordKind {
  type: string;
  unit?: string;
  /** Fraction of records of this kind (the shares add up to 1). */
  share: number;
  /** A value from a uniform number in [0, 1). */
  value(u: number): string;
  device: 'watch' | 'phone' | 'scale';
  /** Seconds between start and end. */
  duration: number;
  /** MetadataEntry key/value pairs from a uniform number. */
  metadata?(u: number): [string, string][];
  /** Beat-to-beat list (HRV records). */
  beats?: number;
}

const fixed = (digits: number) => (min: number, max: number) => (u: number) => (min + u * (max - min)).toFixed(digits);
const int = fixed(0);
const dec = fixed(3);
const motion = (u: number): [string, string][] => [['HKMetadataKeyHeartRateMotionContext', String(Math.floor(u * 3))]];

/** Roughly the mix of a real Apple Watch + iPhone export of a few years. */
export const RECORD_KINDS: RecordKind[] = [
  { type: 'HKQuantityTypeIdentifierHeartRate', unit: 'count/min', share: 0.32, value: int(48, 170), device: 'watch', duration: 0, metadata: motion },
  { type: 'HKQuantityTypeIdentifierActiveEnergyBurned', unit: 'Cal', share: 0.24, value: dec(0.01, 2), device: 'watch', duration: 60 },
  { type: 'HKQuantityTypeIdentifierBasalEnergyBurned', unit: 'Cal', share: 0.15, value: dec(0.5, 1.6), device: 'watch', duration: 600 },
  { type: 'HKQuantityTypeIdentifierStepCount', unit: 'count', share: 0.08, value: int(10, 1200), device: 'phone', duration: 420 },
  { type: 'HKQuantityTypeIdentifierDistanceWalkingRunning', unit: 'km', share: 0.08, value: dec(0.01, 0.9), device: 'phone', duration: 420 },
  { type: 'HKQuantityTypeIdentifierAppleStandTime', unit: 'min', share: 0.03, value: int(1, 6), device: 'watch', duration: 300 },
  { type: 'HKQuantityTypeIdentifierEnvironmentalAudioExposure', unit: 'dBASPL', share: 0.03, value: dec(35, 90), device: 'phone', duration: 1800 },
  { type: 'HKQuantityTypeIdentifierFlightsClimbed', unit: 'count', share: 0.015, value: int(1, 6), device: 'phone', duration: 120 },
  { type: 'HKQuantityTypeIdentifierAppleExerciseTime', unit: 'min', share: 0.015, value: int(1, 2), device: 'watch', duration: 60 },
  { type: 'HKQuantityTypeIdentifierRespiratoryRate', unit: 'count/min', share: 0.012, value: dec(12, 19), device: 'watch', duration: 900 },
  { type: 'HKQuantityTypeIdentifierOxygenSaturation', unit: '%', share: 0.006, value: dec(0.93, 1), device: 'watch', duration: 0 },
  {
    type: 'HKQuantityTypeIdentifierHeartRateVariabilitySDNN', unit: 'ms', share: 0.005, value: dec(20, 110), device: 'watch', duration: 60, beats: 60,
  },
  {
    type: 'HKCategoryTypeIdentifierSleepAnalysis', share: 0.01, device: 'watch', duration: 1800,
    value: (u) => ['HKCategoryValueSleepAnalysisAsleepCore', 'HKCategoryValueSleepAnalysisAsleepDeep', 'HKCategoryValueSleepAnalysisAsleepREM', 'HKCategoryValueSleepAnalysisAwake'][Math.floor(u * 4)],
    metadata: () => [['HKTimeZone', 'Europe/Berlin']],
  },
  {
    type: 'HKQuantityTypeIdentifierBodyMass', unit: 'kg', share: 0.002, value: dec(70, 80), device: 'scale', duration: 0,
    metadata: (u) => [['HKWasUserEntered', '0'], ['Withings User Identifier', '12345'], ['HKMetadataKeySyncIdentifier', `w-${Math.floor(u * 1e9)}`], ['HKMetadataKeySyncVersion', '1']],
  },
  { type: 'HKQuantityTypeIdentifierWalkingSpeed', unit: 'km/hr', share: 0.019, value: dec(3, 6), device: 'phone', duration: 20 },
  { type: 'HKQuantityTypeIdentifierWalkingStepLength', unit: 'cm', share: 0.019, value: int(60, 80), device: 'phone', duration: 20 },
  { type: 'HKQuantityTypeIdentifierHeadphoneAudioExposure', unit: 'dBASPL', share: 0.007, value: dec(50, 85), device: 'phone', duration: 600 },
];
