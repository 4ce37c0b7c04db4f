/**
 * The largest FIT file bronze decodes. @garmin/fitsdk decodes a file whole, in memory, into
 * one object per message, about 40 times the file's size (a 96 MB FIT reached 4 GB); real
 * FIT files are far smaller (a 24-hour activity at 1 Hz is ~5–10 MB). A larger file is
 * stored as an invalid fit_files row naming it, its size and sha256, and is not decoded.
 */
export const MAX_FIT_BYTES = 32 * 1024 * 1024;
