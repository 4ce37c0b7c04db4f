export const SOURCE_VERSION = '0.1.0';
