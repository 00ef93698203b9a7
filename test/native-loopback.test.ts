// The native path end to end: the node module translated by wasm2c, built with the
// firmware shell and posix shim for the strictest board budget (ESP8266), and three
// node processes discovering each other and exchanging pings over UDP on loopback.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApps } from '../tools/build/wasm.ts';
import { buildNative, ROOT, type NativeBuild } from '../tools/firmware/native.ts';
import { freePortBase, NodeProcess } from './native-process.ts';

const IDS = [1, 2, 3];
const outDir = mkdtempSync(join(tmpdir(), 'myco-native-'));
const nodes: NodeProcess[] = [];
let build: NativeBuild;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'build/node.wasm'))) await buildApps('release');
  build = await buildNative({ wasm: 'build/node.wasm', board: 'esp8266', outDir });
}, 180_000);

afterAll(async () => {
  // Whatever happened above, no node outlives the suite.
  for (const node of nodes) node.signal('SIGKILL');
  await Promise.all(nodes.map((n) => n.exited));
  rmSync(outDir, { recursive: true, force: true });
});

const heard = (lines: string[], peer: number) => lines.includes(`emit neighbour_up id=${peer}`);
const pinged = (lines: string[]) => lines.some((l) => /^emit ping_rtt peer=\d+ seq=\d+ rtt_ms=\d+$/.test(l));

describe('native nodes on loopback', () => {
  it('builds within the esp8266 memory budget', () => {
    expect(build.budget).toBe(24576);
    expect(build.bytes).toBeGreaterThan(0);
  });

  it('three processes discover each other and exchange pings', async () => {
    const base = await freePortBase(IDS.length);
    for (const id of IDS) {
      nodes.push(
        new NodeProcess(build.binary, [
          '--id', String(id),
          '--peers', IDS.join(','),
          '--port-base', String(base),
          '--set', 'hello_interval_ms=100',
          '--set', 'neighbour_timeout_ms=1000',
          '--set', 'ping_interval_ms=150',
        ]),
      );
    }
    await Promise.all(
      nodes.map((node, i) => {
        const others = IDS.filter((id) => id !== IDS[i]);
        return node.waitFor(
          `node ${IDS[i]} to hear ${others.join(' and ')} and see a ping rtt`,
          (lines) => others.every((peer) => heard(lines, peer)) && pinged(lines),
          20_000,
        );
      }),
    );

    for (const node of nodes) node.signal('SIGTERM');
    const exits = await Promise.all(nodes.map((n) => n.exited));
    nodes.forEach((node, i) => {
      expect(exits[i], node.transcript()).toEqual({ code: 0, signal: null });
      expect(node.lines).toContain('stopped reason=sigterm');
      // The on-exit dump lists both other nodes as neighbours.
      const dump = node.lines.filter((l) => l.startsWith('inspect neighbours')).at(-1) ?? '';
      const listed = dump.replace('inspect neighbours', '').trim().split(',').filter(Boolean).map(Number);
      expect(listed.sort(), node.transcript()).toEqual(IDS.filter((id) => id !== IDS[i]));
      expect(node.lines.some((l) => /^counter \S+=\d+$/.test(l))).toBe(true);
      // No module trap or panic on the way: the shell never had to restart it.
      expect(node.lines).toContain('counter shell.restart=0');
      expect(node.lines.some((l) => l.startsWith('panic'))).toBe(false);
    });
  });
});
