import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validationSchemaFiles } from '../src/config/json-schemas.js';
import { sources } from '../src/sources.js';

const DIR = fileURLToPath(new URL('../../../configs/validation_schemas/', import.meta.url));
const REGENERATE = 'stale: run `pnpm --filter @bronze/runner schemas` and commit configs/validation_schemas/';

describe('configs/validation_schemas', () => {
  const generated = validationSchemaFiles(Object.values(sources));

  it('holds exactly the generated schemas', () => {
    const committed = readdirSync(DIR).filter((f) => f.endsWith('.schema.json')).sort();
    expect(committed, REGENERATE).toEqual([...generated.keys()].sort());
  });

  it.each([...generated.keys()])('%s is up to date', (name) => {
    expect(readFileSync(join(DIR, name), 'utf8'), REGENERATE).toBe(generated.get(name));
  });

  it('describes the configuration file with one entry per registered source', () => {
    const schema = JSON.parse(generated.get('bronze.config.schema.json')!);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties.sources.properties).sort()).toEqual(Object.keys(sources).sort());
    expect(schema.properties.sources.properties.manual.required).toEqual(['schedule']);
  });
});
