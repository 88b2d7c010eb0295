/** Child processes of the bench: the service (built dist/) and the floor, their readiness and memory. */
import { ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');

export interface Running {
  child: ChildProcess;
  url: string;
  /** From spawn to the first 200 of the readiness URL. */
  readyMs: number;
  logFile: string;
  stop(): Promise<void>;
}

async function waitReady(child: ChildProcess, url: string, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${url}: the process exited (${child.exitCode}) before ready; its log:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url}: not ready after ${timeoutMs} ms; log:\n${tail(logFile)}`);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts a Node process with its output in `logFile`, and waits until `readyPath` answers 200. */
export async function startNode(opts: {
  args: string[];
  env: Record<string, string>;
  port: number;
  readyPath: string;
  logFile: string;
}): Promise<Running> {
  const out = openSync(opts.logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, opts.args, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', out, out],
  });
  const url = `http://127.0.0.1:${opts.port}`;
  await waitReady(child, `${url}${opts.readyPath}`, opts.logFile);
  const readyMs = performance.now() - started;
  return {
    child,
    url,
    readyMs,
    logFile: opts.logFile,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null || child.signalCode !== null) return r();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          r();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Peak resident set size (VmHWM) and current one (VmRSS) of a process, in MiB (Linux /proc). */
export function memoryOf(pid: number): { peakRssMb: number; rssMb: number } | null {
  try {
    const status = readFileSync(join('/proc', String(pid), 'status'), 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakRssMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}
