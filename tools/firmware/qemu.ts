// The Cortex-M0+ replay image (cross.ts, target cortex-m0plus) under QEMU: the mps2-an385
// machine runs ARMv6-M code unchanged, and semihosting carries stdout and the exit status.
//
//   npx tsx tools/firmware/qemu.ts    build the image, run every vector, print the output

import { spawn, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { NativeBuildError } from './native.ts';
import { buildReplay } from './cross.ts';

export const QEMU = 'qemu-system-arm';
export const QEMU_MACHINE = 'mps2-an385';

export interface QemuRun {
  /** QEMU's exit status: 0 when the image exited through SYS_EXIT as an application exit. */
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function qemuArgs(elf: string): string[] {
  return ['-M', QEMU_MACHINE, '-nographic', '-monitor', 'none', '-serial', 'none', '-semihosting-config', 'enable=on,target=native', '-kernel', elf];
}

/** Runs `elf` until it exits (or `timeoutMs` passes, then QEMU is killed). */
export function runQemu(elf: string, timeoutMs = 60_000): Promise<QemuRun> {
  if (spawnSync(QEMU, ['--version']).error) throw new NativeBuildError(`${QEMU} not found: install Debian package qemu-system-arm`);
  return new Promise((done) => {
    const child = spawn(QEMU, qemuArgs(elf), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr, timedOut });
    });
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npx tsx tools/firmware/qemu.ts\n\nBuilds the Cortex-M0+ replay image and runs every golden vector on QEMU mps2-an385.');
    return 0;
  }
  try {
    const image = await buildReplay({ target: 'cortex-m0plus', log: (l) => console.error(l) });
    const run = await runQemu(image.image);
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
    return run.status ?? 1;
  } catch (err) {
    if (err instanceof NativeBuildError) {
      console.error(`qemu: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
