// Writes configs/validation_schemas/: the JSON Schema of bronze.config.yaml and of every
// registered source's streams. Run after adding a source or changing a schema:
//   pnpm --filter @bronze/runner schemas
// (test/validation-schemas.test.ts fails while the committed files are stale).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validationSchemaFiles } from '../src/config/json-schemas.js';
import { sources } from '../src/sources.js';

export const SCHEMA_DIR = fileURLToPath(new URL('../../../configs/validation_schemas/', import.meta.url));

const files = validationSchemaFiles(Object.values(sources));
mkdirSync(SCHEMA_DIR, { recursive: true });
for (const old of readdirSync(SCHEMA_DIR)) if (old.endsWith('.schema.json') && !files.has(old)) rmSync(join(SCHEMA_DIR, old));
for (const [name, text] of files) writeFileSync(join(SCHEMA_DIR, name), text);
console.log(`wrote ${files.size} schema(s) to ${SCHEMA_DIR}`);
