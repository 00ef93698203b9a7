// Replacing the module at run time (docs/native.md, "Module updates"), on the aot build CI
// has: SIGHUP asks the posix shim to read --module-update's file, as a board reads a new
// module from flash. An aot image carries its module compiled in, so the shell refuses the
// update up front and the node goes on undisturbed; bad requests are lines, never a stop.
// (The wasm3 build, which takes the update, needs a wasm3 checkout: docs/native.md.)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNative, type NativeBuild } from '../tools/firmware/native.ts';
import { BUILD_DIR } from '../host-sim/paths.ts';
import { freePortBase, NodeProcess, runNode } from './native-process.ts';
import { nodeWasm } from './helpers/wasm.ts';

const dir = mkdtempSync(join(tmpdir(), 'myco-update-'));
let node: NativeBuild;
let base: number;

beforeAll(async () => {
  await nodeWasm();
  [node, base] = await Promise.all([buildNative({ outDir: join(dir, 'aot') }), freePortBase(1)]);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts node 1 alone, sends SIGHUP once it is ready, and lets it run to its end. */
async function hangUp(extra: string[], expectLine: RegExp): Promise<{ lines: string[]; code: number | null }> {
  const p = new NodeProcess(node.binary, ['--id', '1', '--peers', '1', '--port-base', String(base), '--duration-ms', '1500', ...extra]);
  await p.waitFor('ready', (l) => l.some((x) => x.startsWith('ready ')), 10_000);
  p.signal('SIGHUP');
  await p.waitFor(String(expectLine), (l) => l.some((x) => expectLine.test(x)), 10_000);
  const exit = await p.exited;
  return { lines: p.lines, code: exit.code };
}

describe('module updates on the aot build', () => {
  it('refuses the update (the module is compiled in) and the node runs on untouched', async () => {
    const { lines, code } = await hangUp(['--module-update', join(BUILD_DIR, 'node.wasm')],
      /^module update refused: engine aot runs the module compiled into this image; flash a new image to change it$/);
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe('stopped reason=duration');
    // Same instance: no second start, no restart, no replacement.
    expect(lines.filter((l) => l.startsWith('ready '))).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('restart ') || l.startsWith('module replaced'))).toBe(false);
  });

  it('says so when SIGHUP comes without --module-update, and when the file cannot be read', async () => {
    const none = await hangUp([], /^module update: SIGHUP, but no --module-update FILE to read; ignored$/);
    expect(none.code).toBe(0);
    const missing = join(dir, 'no-such.wasm');
    const gone = await hangUp(['--module-update', missing], new RegExp(`^module update: cannot open ${missing}; the node goes on with its module$`));
    expect(gone.code).toBe(0);
    expect(gone.lines.at(-1)).toBe('stopped reason=duration');
  });

  it('rejects --module-update without a file as a usage error', async () => {
    const { exit, stderr } = await runNode(node.binary, ['--id', '1', '--module-update', '']);
    expect(exit.code).toBe(2);
    expect(stderr).toContain('--module-update needs a file');
  });
});
