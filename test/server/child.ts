import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..');
export const ULD_BIN = path.join(ROOT, 'bin', 'uld');

/** The child runs the compiled CLI, as `npm start` does; `npm test` builds first (pretest). */
export function assertBuilt(): void {
  const entry = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
  if (!fs.existsSync(entry)) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
}

export interface ServeChild {
  child: ChildProcess;
  port: number;
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** Starts `uld serve` in a clean environment and waits for its "listening" log line (info level). */
export function startServeChild(env: Record<string, string>, cwd: string): Promise<ServeChild> {
  const child = spawn(process.execPath, [ULD_BIN, 'serve'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    // Never hang a test run on a child that does not come up: kill it and say what it printed.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`uld serve did not log "listening" within 15 s: ${stderr}`));
    }, 15_000);
    void exited.then(() => clearTimeout(timer));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'listening') {
        clearTimeout(timer);
        resolve({ child, port: entry.port as number, logs, exited });
      }
    });
    void exited.then((code) => reject(new Error(`uld serve exited (${code}) before listening: ${stderr}`)));
  });
}

/**
 * Runs `uld` as a child to the end without blocking this process, so a sandbox or service the test started
 * here keeps answering the child's calls (spawnSync would freeze the event loop they run on).
 */
export function runUld(args: string[], env: Record<string, string>, options: { cwd?: string; timeoutMs?: number } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ULD_BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: options.cwd ?? process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * A folder as a fresh clone looks to `uld` (the example definition only: no .env, no lead-definition.yaml),
 * made before the suite's tests and removed after them; `use` receives its path.
 */
export function freshCloneFolder(prefix: string, use: (dir: string) => void): void {
  let dir = '';
  beforeAll(() => {
    assertBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.copyFileSync(path.join(ROOT, 'lead-definition.example.yaml'), path.join(dir, 'lead-definition.example.yaml'));
    use(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
}

/**
 * The environment `uld` needs to work on a sandbox portal: its token and address, a generous rate limit, a
 * SQLite store in `dir`, the given definition, quiet logs (and PATH, for a plain `spawn`).
 */
export function sandboxEnv(sandbox: { accessToken: string; url: string }, dir: string, definition: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
    HUBSPOT_API_BASE_URL: sandbox.url,
    HUBSPOT_RATE_LIMIT_PER_10S: '10000',
    DATABASE_URL: `sqlite:${path.join(dir, 'uld.db')}`,
    LEAD_DEFINITION: definition,
    LOG_LEVEL: 'silent',
  };
}
