/** Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z). */
const FIT_EPOCH_S = 631065600;
/** FIT date_time values below this are seconds since device power-on, not instants. */
const FIT_MIN_ABSOLUTE = 0x10000000;

/** A raw FIT date_time (seconds since the FIT epoch) as a Date, when it is an absolute instant. */
export function fitDateTime(value: unknown): Date | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < FIT_MIN_ABSOLUTE || value === 0xffffffff) return undefined;
  return new Date((value + FIT_EPOCH_S) * 1000);
}
