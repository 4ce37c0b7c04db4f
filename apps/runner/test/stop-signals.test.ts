import { afterEach, expect, it, vi } from 'vitest';
import { silentLogger } from '@bronze/core';
import { abortOnSignals } from '../src/commands/stop-signals.js';

afterEach(() => vi.restoreAllMocks());

/**
 * The hand-off at the end of a command: without a listener, Node gives SIGINT back to the OS,
 * whose default kills the process. dispose(code) must never leave that gap: the handler that
 * ends the process with the command's code is on before the command's own handler is off.
 */
it('dispose(code): a signal after the command is done ends the process with its code, and SIGINT never lacks a listener', () => {
  const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
  const counts: number[] = [];
  const off = process.off.bind(process);
  vi.spyOn(process, 'off').mockImplementation(((event: string, fn: (...a: unknown[]) => void) => {
    const r = off(event as 'SIGINT', fn);
    counts.push(process.listenerCount('SIGINT'));
    return r;
  }) as typeof process.off);
  const signals = abortOnSignals(silentLogger());
  expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
  signals.dispose(3);
  expect(Math.min(...counts)).toBeGreaterThan(before.int);
  const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  process.emit('SIGINT', 'SIGINT');
  expect(exit).toHaveBeenCalledWith(3);
  // Once: the process would be gone; the SIGTERM copy stays until the process ends.
  expect(process.listenerCount('SIGINT')).toBe(before.int);
  process.emit('SIGTERM', 'SIGTERM');
  expect(exit).toHaveBeenCalledTimes(2);
  expect(process.listenerCount('SIGTERM')).toBe(before.term);
});

it('dispose() without a code (serve) removes its handlers, as before', () => {
  const before = process.listenerCount('SIGINT');
  const signals = abortOnSignals(silentLogger());
  signals.dispose();
  expect(process.listenerCount('SIGINT')).toBe(before);
});
