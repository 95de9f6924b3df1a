/**
 * CPU time and resident memory of another process, read from Linux's /proc, so the benchmark can
 * show whether the server or the load generator was the one saturated.
 */
import { readFile } from 'node:fs/promises';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
const clockTicksPerSecond = 100;

/**
 * User + system CPU seconds used so far by the process (all its threads), or with `mainThreadOnly`
 * by its main thread alone (whose thread id is the pid): for Node, the JavaScript thread, which
 * saturates at one core while the thread pool's fsyncs and writes run beside it.
 */
export async function readProcessCpuSeconds(pid: number, mainThreadOnly = false): Promise<number> {
  const stat = await readFile(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 overall, 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / clockTicksPerSecond;
}

/** Resident set size in bytes (VmRSS). */
export async function readProcessRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU seconds every process on the machine has used so far (user, nice, system, irq, softirq). */
export async function readMachineBusySeconds(): Promise<number> {
  const stat = await readFile('/proc/stat', 'utf8');
  const line = stat.slice(0, stat.indexOf('\n'));
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0)) / clockTicksPerSecond;
}
