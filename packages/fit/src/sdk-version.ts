// The decoder version recorded with each FIT file (kept in step with package.json).
export const FIT_SDK_VERSION = '21.217.0';
