import { spawn } from 'node:child_process';
import path from 'node:path';

export const EXAMPLE_DEFINITION = path.join(__dirname, '..', '..', 'lead-definition.example.yaml');

/**
 * Runs `uld` as a child process without blocking this one, so a sandbox or service started by the test
 * keeps answering the child's calls (spawnSync would freeze the event loop they run on).
 */
export function runUld(args: string[], env: Record<string, string>, options: { cwd?: string; timeoutMs?: number } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'uld'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: options.cwd ?? process.cwd() });
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
