/** The pipeline version written to every row (`pipeline_version`) and run. */
export const CORE_VERSION = '0.1.0';
