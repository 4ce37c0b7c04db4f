import { Type, type Static } from '@bronze/core';

/** Apple Health is read from export files only: no credentials, no options. */
export const AppleHealthConfig = Type.Object({}, { additionalProperties: false });
export type AppleHealthConfig = Static<typeof AppleHealthConfig>;

export function configureAppleHealth(): AppleHealthConfig {
  return {};
}
