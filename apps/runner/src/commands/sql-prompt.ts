import { createInterface } from 'node:readline';
import { ExitCode, redact, type BronzeDatabase } from '@bronze/core';
import type { CliIo } from './io.js';
import { runAndPrint } from './sql-output.js';

/**
 * The interactive `bronze sql`: lines collect until one ends with `;`, then run (each input
 * in its own transaction, read-only unless --write). An error is printed and the prompt
 * goes on; `\q` or end of input quits.
 */
export async function sqlPrompt(db: BronzeDatabase, io: CliIo, o: { json: boolean; write: boolean }): Promise<number> {
  const rl = createInterface({ input: io.input!, output: process.stdout, prompt: 'bronze=> ' });
  io.err(`connected to ${db.location} (${db.engine}, ${o.write ? 'read-write' : 'read-only'}); end statements with ;  \\q quits`);
  let buffer = '';
  rl.prompt();
  for await (const line of rl) {
    if (!buffer && line.trim() === '\\q') break;
    buffer += `${line}\n`;
    if (!line.trimEnd().endsWith(';')) {
      rl.setPrompt(buffer.trim() ? 'bronze-> ' : 'bronze=> ');
      rl.prompt();
      continue;
    }
    try {
      await runAndPrint(db, buffer, io, o);
    } catch (err) {
      io.err(`error: ${redact(err instanceof Error ? err.message : String(err))}`);
    }
    buffer = '';
    rl.setPrompt('bronze=> ');
    rl.prompt();
  }
  rl.close();
  return ExitCode.ok;
}
