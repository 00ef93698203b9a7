// The built node program against docs/abi.md: its import and export lists, the version
// global, and the ESP8266 memory budget.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ABI_VERSION } from '../tools/wire/abi.ts';
import { ROOT } from '../tools/build/asc.ts';
import { buildApps, SMALLEST_BUDGET } from '../tools/build/wasm.ts';
import { TestNode } from './helpers/node.ts';

const HAL_IMPORTS = ['now_ms', 'send', 'rand', 'log', 'emit', 'sensor', 'blob_read', 'accel', 'compute', 'wifi', 'panic'];
const EXPORTS = ['ABI_VERSION', 'memory', 'inbox', 'inbox_size', 'outbox', 'heap_top', 'init', 'on_frame', 'on_link', 'submit', 'tick', 'inspect'];

const modules: Record<string, Uint8Array> = {};
beforeAll(async () => {
  for (const target of ['release', 'debug'] as const) {
    const built = await buildApps(target);
    modules[target] = readFileSync(built.find((b) => b.app === 'node')!.file);
  }
});

describe.each(['release', 'debug'])('build/node (%s)', (target) => {
  it('imports only HAL functions and exports exactly the ABI', async () => {
    const mod = await WebAssembly.compile(modules[target] as Uint8Array<ArrayBuffer>);
    for (const imp of WebAssembly.Module.imports(mod)) {
      expect(imp.module).toBe('hal');
      expect(HAL_IMPORTS).toContain(imp.name);
    }
    expect(WebAssembly.Module.exports(mod).map((e) => e.name).sort()).toEqual([...EXPORTS].sort());
  });

  it('reports ABI version 1 and static buffers of the documented size', async () => {
    const node = await TestNode.raw(modules[target]);
    expect(node.ex.ABI_VERSION.value).toBe(ABI_VERSION);
    expect(node.ex.inbox_size()).toBeGreaterThanOrEqual(256);
    expect(node.ex.tick(0) >>> 0).toBe(0xffffffff); // nothing scheduled before init
    expect(node.ex.inspect(0)).toBe(0);
  });

  it('fits the ESP8266 budget after init with its defaults, and the ESP32 budget with the largest tables', async () => {
    const small = await TestNode.create(modules[target], 1);
    expect(small.heapTop()).toBeLessThan(SMALLEST_BUDGET);
    expect(small.heapTop()).toBe(small.heapTop()); // measuring does not move it
    const esp32 = JSON.parse(readFileSync(join(ROOT, 'boards', 'esp32.json'), 'utf8')).wasm_memory_budget;
    const large = await TestNode.create(modules[target], 1, { neighbour_capacity: 254, route_capacity: 1024, mtu: 1024 });
    expect(large.heapTop()).toBeGreaterThan(SMALLEST_BUDGET);
    expect(large.heapTop()).toBeLessThan(esp32);
  });

  it('panics through the HAL on an abort instead of importing env.abort', async () => {
    const mod = await WebAssembly.compile(modules[target] as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.imports(mod).some((i) => i.name === 'panic')).toBe(true);
  });
});
