// Running native myco-node processes from tests: line capture, waiting on output, a free
// UDP port range, and cleanup that also works when a test fails half-way.

import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { createInterface } from 'node:readline';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class NodeProcess {
  readonly lines: string[] = [];
  readonly errors: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];
  private done = false;

  constructor(binary: string, args: string[]) {
    this.child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      this.notify();
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.errors.push(line));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.done = true;
        this.notify();
        resolve({ code, signal });
      });
    });
  }

  get running(): boolean {
    return !this.done;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once `test` holds over the output so far; rejects on timeout or exit. */
  async waitFor(what: string, test: (lines: string[]) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.lines)) {
      if (this.done) throw new Error(`node exited before ${what}:\n${this.transcript()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}:\n${this.transcript()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.done) this.child.kill(sig);
  }

  transcript(): string {
    return [...this.lines.slice(-40), ...this.errors.map((e) => `stderr: ${e}`)].join('\n');
  }
}

/** Runs a node to completion. */
export async function runNode(binary: string, args: string[]): Promise<{ exit: Exit; stdout: string; stderr: string }> {
  const node = new NodeProcess(binary, args);
  const exit = await node.exited;
  return { exit, stdout: node.lines.join('\n'), stderr: node.errors.join('\n') };
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** A port base such that base + 1 .. base + count are free UDP ports on loopback. */
export async function freePortBase(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    let free = true;
    for (let id = 1; id <= count && free; id++) free = await canBind(base + id);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free UDP ports found on 127.0.0.1`);
}
