import { afterEach, expect, it, vi } from 'vitest';
import { folderFacts } from '../src/files/folder-facts.js';

afterEach(() => vi.useRealTimers());

/** A fact whose looks are counted, and whose answer the test changes as the user would change the folder. */
function countedFact(options?: Parameters<typeof folderFacts>[1]) {
  const answers = new Map<string, boolean>();
  const looks: string[] = [];
  const fact = folderFacts((dir) => {
    looks.push(dir);
    return answers.get(dir) ?? false;
  }, options);
  return { fact, looks, answers };
}

it('asks once per folder while a walk lasts, then afresh: a folder changed since is seen on a later run', () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const { fact, looks, answers } = countedFact();
  for (let i = 0; i < 1000; i++) expect(fact('/exports/a')).toBe(false);
  expect(fact('/exports/b')).toBe(false);
  expect(looks).toEqual(['/exports/a', '/exports/b']);
  answers.set('/exports/a', true); // the user unzips an export there
  vi.setSystemTime(Date.now() + 4_000);
  expect(fact('/exports/a')).toBe(false); // within the same few seconds: the walk's answer
  vi.setSystemTime(Date.now() + 2_000);
  expect(fact('/exports/a')).toBe(true);
  expect(looks).toEqual(['/exports/a', '/exports/b', '/exports/a']);
});

it('keeps at most maxFolders facts: a walk of a huge tree stays bounded, and each answer stays right', () => {
  const { fact, looks, answers } = countedFact({ maxFolders: 3 });
  answers.set('/d2', true);
  expect(['/d1', '/d2', '/d3'].map(fact)).toEqual([false, true, false]);
  expect(fact('/d4')).toBe(false); // the fourth folder drops the others
  expect(fact('/d2')).toBe(true); // asked again, not forgotten as false
  expect(looks).toEqual(['/d1', '/d2', '/d3', '/d4', '/d2']);
});

it('keepMs sets how long a fact is kept', () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const { fact, looks } = countedFact({ keepMs: 100 });
  fact('/x');
  vi.setSystemTime(Date.now() + 99);
  fact('/x');
  vi.setSystemTime(Date.now() + 1);
  fact('/x');
  expect(looks).toEqual(['/x', '/x']);
});
