import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { backendProcessId, type BronzeDatabase } from '@bronze/core';

/** utime, stime, cutime, cstime of a /proc/<pid>/stat line, and its parent. */
export interface ProcStat {
  ppid: number;
  /** Clock ticks of the process itself (user + system). */
  own: number;
  /** Clock ticks of its children that exited and were waited for. */
  reaped: number;
}

/** Reads one /proc/<pid>/stat line. The command name is in parentheses and may hold spaces or parentheses. */
export function parseProcStat(line: string): ProcStat | undefined {
  const after = line.slice(line.lastIndexOf(')') + 2).split(' ');
  // Fields from the 3rd (state) on: ppid is the 4th, utime…cstime the 14th–17th.
  const [ppid, utime, stime, cutime, cstime] = [after[1], after[11], after[12], after[13], after[14]].map(Number);
  if (![ppid, utime, stime, cutime, cstime].every(Number.isFinite)) return undefined;
  return { ppid, own: utime + stime, reaped: cutime + cstime };
}

const stat = (pid: number | string) => {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
};

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/**
 * A clock of the CPU seconds the PostgreSQL server behind `db` has spent, all its processes
 * together (backends, WAL writer, checkpointer; those that exited count through the
 * postmaster), or undefined when the server is not a process of this machine that /proc shows.
 * The benchmark reads it around each stage: where the time of a run goes when the process and
 * the server share the machine's cores.
 */
export async function localServerCpu(db: BronzeDatabase): Promise<(() => number) | undefined> {
  if (db.engine !== 'postgres') return undefined;
  const pid = await db.withSession((s) => backendProcessId(s));
  const backend = stat(pid);
  if (!backend) return undefined;
  const postmaster = backend.ppid;
  let comm = '';
  try {
    comm = readFileSync(`/proc/${postmaster}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
  // The same pid number in another PID namespace (a server in a container) is not the server.
  if (!/^(postgres|postmaster)/.test(comm)) return undefined;
  const ticks = clockTicksPerSecond();
  return () => {
    const own = stat(postmaster);
    let total = own ? own.own + own.reaped : 0;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const child = stat(name);
      if (child?.ppid === postmaster) total += child.own + child.reaped;
    }
    return total / ticks;
  };
}

/** This process's CPU seconds (user + system, every thread). */
export function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
