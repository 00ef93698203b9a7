import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadBoards, parseBoard, computeTimeUs, getBoard, orchCapabilityOf } from '../host-sim/boards.ts';

describe('board descriptors', () => {
  const boards = loadBoards();

  it('has every required board with its Wasm memory budget', () => {
    const budgets = Object.fromEntries([...boards.values()].map((b) => [b.name, b.wasm_memory_budget]));
    expect(budgets).toMatchObject({
      esp8266: 24576,
      esp32: 196608,
      'elasticnode-v5': 163840,
      'elasticnode-v4': 6144,
      rpi3: 16777216,
    });
  });

  it('uses esp32 as the capability reference, consistent with the cost model', () => {
    const esp32 = getBoard(boards, 'esp32');
    expect(esp32.capability).toBe(1);
    for (const b of boards.values()) {
      expect(b.capability).toBeCloseTo(esp32.compute.ns_per_unit / b.compute.ns_per_unit, 2);
      expect(b.wasm_memory_budget).toBeLessThanOrEqual(b.ram_bytes);
    }
    expect(computeTimeUs(esp32, 1_000_000)).toBe(esp32.compute.ns_per_unit * 1000);
  });

  it('derives orch_capability from capability: 128 at the esp32, 24 per doubling, within 1..255', () => {
    const figures = Object.fromEntries([...boards.values()].map((b) => [b.name, orchCapabilityOf(b)]));
    expect(figures).toEqual({ esp32: 128, esp8266: 80, 'elasticnode-v5': 96, 'elasticnode-v4': 41, rpi3: 255 });
    expect(orchCapabilityOf({ capability: 2 })).toBe(152);
    expect(orchCapabilityOf({ capability: 0.5 })).toBe(104);
    expect(orchCapabilityOf({ capability: 1e-9 })).toBe(1);
    expect(orchCapabilityOf({ capability: 1e9 })).toBe(255);
  });

  it('suggests a board for a typo', () => {
    expect(() => getBoard(boards, 'esp23')).toThrow(/unknown board "esp23"; did you mean "esp32"\?/);
  });

  it('rejects a broken descriptor naming the file and field', () => {
    const good = JSON.parse(readFileSync(new URL('../boards/esp32.json', import.meta.url), 'utf8'));
    const bad = { ...good, wasm_memory_budgt: 1 };
    delete bad.wasm_memory_budget;
    expect(() => parseBoard(bad, 'boards/esp32.json')).toThrow(/boards\/esp32.json: wasm_memory_budgt: unknown field; did you mean "wasm_memory_budget"\?/);
    expect(() => parseBoard({ ...good, engine: 'jit' }, 'boards/esp32.json')).toThrow(/engine: must be one of "wasm3", "aot"/);
    const dir = mkdtempSync(join(tmpdir(), 'myco-boards-'));
    writeFileSync(join(dir, 'x.json'), '{ nope');
    expect(() => loadBoards(dir)).toThrow(/x.json: not valid JSON/);
  });
});
