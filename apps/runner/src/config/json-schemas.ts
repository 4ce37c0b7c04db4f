import { cliName, type Source, type Stream } from '@bronze/core';
import { configSchema } from './schema.js';

const DRAFT = 'http://json-schema.org/draft-07/schema#';

/**
 * The streams a source declares without credentials or files. Sources whose streams
 * follow the imported files' names (manual) declare none here.
 */
export function declaredStreams(source: Source): Stream[] {
  try {
    return source.streams(source.configure({}, {}) as never, { files: [] });
  } catch {
    try {
      return source.streams({} as never, { files: [] });
    } catch {
      return [];
    }
  }
}

const render = (schema: object) => `${JSON.stringify(schema, null, 2)}\n`;

/**
 * The files of configs/validation_schemas/: the configuration file's schema and one
 * schema per stream of every registered source (`<source>.<stream>.schema.json`).
 */
export function validationSchemaFiles(sources: Source[]): Map<string, string> {
  const files = new Map<string, string>();
  files.set('bronze.config.schema.json', render({ $schema: DRAFT, ...configSchema(sources) }));
  for (const source of [...sources].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const stream of declaredStreams(source)) {
      files.set(
        `${source.name}.${stream.name}.schema.json`,
        render({ $schema: DRAFT, title: `${source.name}.${stream.name}`, description: `records of stream ${stream.name} of source ${cliName(source)}`, ...stream.schema }),
      );
    }
  }
  return files;
}
