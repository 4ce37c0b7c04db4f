// Summarizes a .cpuprofile: self time per function (top 25) and per package, e.g.
//   node src/profile-summary.mjs /tmp/prof/CPU.*.cpuprofile
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const n = byId.get(profile.samples[i]);
  const f = n.callFrame;
  const where = f.url ? f.url.replace(/^.*node_modules\/\.pnpm\/([^/]+)\/.*$/, '$1').replace(/^.*\/(packages|apps)\//, '$1/') : '';
  const key = `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const pkg = new Map();
for (const [k, v] of self) {
  const p = /^\S+ (\S*?)(\/src|:)/.exec(k)?.[1] || k.split(' ')[0];
  pkg.set(p, (pkg.get(p) ?? 0) + v);
}
const pct = (v) => `${((100 * v) / total).toFixed(1).padStart(5)}%`;
console.log(`total ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nself time by function:');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${pct(v)}  ${k}`);
console.log('\nself time by package / category:');
for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(v)}  ${k}`);
