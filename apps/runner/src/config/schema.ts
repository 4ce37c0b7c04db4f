import { cliName, type Source } from '@bronze/core';
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The source's own flags of `bronze ingest` (cliOptions), camelCased, as config options. */
function optionsSchema(source: Source): TObject {
  const props: Record<string, TSchema> = {};
  for (const [flag, o] of Object.entries(source.cliOptions ?? {})) {
    const description = `${o.description} (--${flag})`;
    const one = o.type === 'boolean' ? Type.Boolean() : Type.String({ minLength: 1 });
    props[camel(flag)] = Type.Optional(o.multiple ? Type.Array(one, { description }) : { ...one, description });
  }
  return Type.Object(props, { additionalProperties: false, description: `options of ${source.name}, as its bronze ingest flags (camelCase)` });
}

/** Settings of one source in bronze.config.yaml. */
export function sourceSettingsSchema(source: Source): TObject {
  const props: Record<string, TSchema> = {
    schedule: Type.String({
      minLength: 1,
      description: 'cron expression (5 fields, or 6 with seconds first), e.g. "*/30 * * * *"; @hourly, @daily… too',
    }),
    enabled: Type.Optional(Type.Boolean({ default: true, description: 'false keeps the entry but never runs it' })),
    streams: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'only these streams (default: all)' })),
    options: Type.Optional(optionsSchema(source)),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, description: 'records per transaction (default 5000)' })),
  };
  if (source.files) {
    props.files = Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: `files or directories to import on each run, relative to the project root (accepts ${source.files.accepts}); files already imported are skipped`,
      }),
    );
  }
  return Type.Object(props, { additionalProperties: false, description: source.description });
}

/** The whole bronze.config.yaml, with one optional key per registered source (by CLI name). */
export function configSchema(sources: Source[]) {
  const bySource: Record<string, TSchema> = {};
  for (const s of sources) bySource[cliName(s)] = Type.Optional(sourceSettingsSchema(s));
  return Type.Object(
    {
      $schema: Type.Optional(Type.String()),
      timezone: Type.Optional(Type.String({ minLength: 1, description: 'IANA time zone of the schedules (default: the machine\'s)' })),
      missedRuns: Type.Optional(
        Type.Union([Type.Literal('catch-up'), Type.Literal('skip')], {
          default: 'catch-up',
          description: 'catch-up: on start, a source whose last run is older than its latest scheduled time runs once at once; skip: wait for the next tick',
        }),
      ),
      serve: Type.Optional(
        Type.Object(
          {
            host: Type.Optional(Type.String({ minLength: 1, description: 'address /health and /metrics bind to (default 127.0.0.1)' })),
            port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'default 8000' })),
          },
          { additionalProperties: false },
        ),
      ),
      sources: Type.Object(bySource, { additionalProperties: false, description: 'the sources bronze serve runs, by CLI name' }),
    },
    { additionalProperties: false, title: 'bronze.config.yaml', description: 'Schedules and options of the sources bronze serve runs.' },
  );
}

export interface SourceSettings {
  schedule: string;
  enabled?: boolean;
  streams?: string[];
  options?: Record<string, unknown>;
  batchSize?: number;
  files?: string[];
}

export type BronzeConfigFile = Omit<Static<ReturnType<typeof configSchema>>, 'sources'> & { sources: Record<string, SourceSettings> };
