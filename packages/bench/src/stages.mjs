// The process's share of an ingest, stage by stage, without a database: the bench's Apple
// Health export through parse, + envelope (hash, validation, id), + COPY text, as core's
// loader makes them (built packages). Prints CPU µs per record; with --allocations, V8's
// sampling heap profiler counts what each function allocated (collected objects included)
// in KB per record, top 30.
//   node --max-semi-space-size=4 src/stages.mjs /tmp/bd/export.xml [parse|envelope|copy] [--allocations]
import { statSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { compileValidator, copyRowsText, createSourceContext, openImportedFile, silentLogger, toBronzeRow } from '@bronze/core';
import source from '@bronze/source-apple-health';

const args = process.argv.slice(2);
const allocations = args.includes('--allocations');
const [path, stage = 'copy'] = args.filter((a) => a !== '--allocations');
if (!path || !['parse', 'envelope', 'copy'].includes(stage)) throw new Error('usage: node src/stages.mjs FILE [parse|envelope|copy] [--allocations]');
const st = statSync(path);
const file = await openImportedFile(path, { size: st.size, mtime: st.mtime, sha256: '0'.repeat(64) });
const context = createSourceContext(source, {}, { logger: silentLogger(), signal: new AbortController().signal, root: process.cwd(), env: process.env });
const prepared = new Map(source.streams({}).map((s) => [s.name, { stream: s, validate: compileValidator(s.schema) }]));
const constants = { source: 'stages', runId: crypto.randomUUID(), environment: 'bench', pipelineVersion: 'bench', parametersJson: '{}', lineageType: 'file' };

const session = allocations ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}
let records = 0;
let rows = [];
const cpu = process.cpuUsage();
const started = performance.now();
for await (const item of source.files.read(file, {}, context)) {
  records++;
  if (stage === 'parse') continue;
  // Kept in batches of 5,000 as the loader keeps them: what survives a scavenge matters.
  rows.push({ row: toBronzeRow(prepared.get(item.meta.stream), item, file.meta), version: 1 });
  if (rows.length >= 5000) {
    if (stage === 'copy') for (const _ of copyRowsText('bronze_stages', constants, rows, new Date()).chunks);
    rows = [];
  }
}
const used = process.cpuUsage(cpu);
const perRecord = (us) => (us / records).toFixed(1);
console.log(`${stage}: ${records} records, CPU ${perRecord(used.user + used.system)} µs, wall ${perRecord((performance.now() - started) * 1000)} µs per record${session ? ' (profiler on)' : ''}`);
if (session) {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  const self = new Map();
  const walk = (node) => {
    const f = node.callFrame;
    const where = f.url.replace(/^.*node_modules\/\.pnpm\/([^/]+)\/.*$/, '$1').replace(/^.*\/(packages|apps)\//, '$1/');
    const key = `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c);
  };
  walk(profile.head);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const kb = (v) => (v / records / 1024).toFixed(2).padStart(6);
  console.log(`${kb(total)} KB allocated per record`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${kb(v)} KB  ${k}`);
}
