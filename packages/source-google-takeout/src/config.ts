import { Type, type Static } from '@bronze/core';

/** Google Takeout is read from export files only: no credentials, no options. */
export const GoogleTakeoutConfig = Type.Object({}, { additionalProperties: false });
export type GoogleTakeoutConfig = Static<typeof GoogleTakeoutConfig>;

export function configureGoogleTakeout(): GoogleTakeoutConfig {
  return {};
}
