import { Type, type Static } from '@bronze/core';

export const ManualConfig = Type.Object(
  {
    stream: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'stream name for every file of this run' })),
    idField: Type.Optional(Type.String({ minLength: 1, description: 'field holding each row\'s id' })),
    timestampField: Type.Optional(Type.String({ minLength: 1, description: 'field holding each row\'s date or instant' })),
  },
  { additionalProperties: false },
);
export type ManualConfig = Static<typeof ManualConfig>;

export function configureManual(_env: NodeJS.ProcessEnv, options: Record<string, unknown>): ManualConfig {
  const config: ManualConfig = {};
  if (options.stream !== undefined) config.stream = String(options.stream);
  if (options.idField !== undefined) config.idField = String(options.idField);
  if (options.timestampField !== undefined) config.timestampField = String(options.timestampField);
  return config;
}
