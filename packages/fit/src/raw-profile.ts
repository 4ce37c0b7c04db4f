/**
 * Two changes to @garmin/fitsdk's profile, made once when the SDK loads, so its decoder keeps
 * every value the file holds. Both only concern behaviour bronze's DECODER_OPTIONS do not use.
 *
 * - `isAccumulated` off. The SDK tracks accumulated fields (distance, total_cycles,
 *   accumulated_power…) only to expand components, which bronze turns off (`expandComponents:
 *   false`). Its tracking code throws a TypeError ("Cannot read properties of undefined
 *   (reading '0')") on any message holding both a component field and the accumulated field it
 *   expands into, e.g. a `record` with `cycles` (18) and `total_cycles` (19): a real Garmin
 *   triathlon file (jimmykane/fit-parser examples/triathlon_summary_first.fit) decoded 50 of its
 *   4,177 messages; the rest was kept only as bytes.
 * - `array: false` unset, so the file's field size decides (one value, or all of them). The SDK
 *   reads a field the profile calls scalar as its first value only, even when the file stores
 *   several: the same file's `session`/`lap` `enhanced_avg_speed` hold two uint32 values
 *   ([760, 65535]) and 65535 was dropped. A field stored with one value is read as before.
 */
export function keepRawValues(profile: { messages: Record<string, unknown> }): void {
  for (const message of Object.values(profile.messages) as { fields?: Record<string, { isAccumulated?: boolean; array?: boolean }> }[]) {
    for (const field of Object.values(message?.fields ?? {})) {
      if (field.isAccumulated) field.isAccumulated = false;
      if (field.array === false) delete field.array;
    }
  }
}
