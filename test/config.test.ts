// The config blob parser (docs/abi.md, Config): pure, and as seen through `init`.

import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS, encodeConfig } from '../tools/wire/config.ts';
import { InitError } from '../tools/wire/abi.ts';
import { compileTestEntry, instantiate, nodeWasm, type Loaded } from './helpers/wasm.ts';
import { TestNode } from './helpers/node.ts';

let pure: Loaded;
let wasm: Uint8Array;
const MAX_MTU = 1024;

beforeAll(async () => {
  pure = await instantiate(await compileTestEntry('pure'));
  wasm = await nodeWasm();
});

function parse(bytes: number[] | Uint8Array): { rc: number; values: Record<string, number> } {
  const blob = Uint8Array.from(bytes);
  pure.write(pure.exports.buffer(), blob);
  const rc = pure.exports.parse_config(blob.length, MAX_MTU);
  const values: Record<string, number> = {};
  for (const [name, spec] of Object.entries(CONFIG_KEYS)) values[name] = pure.exports.config_value(spec.key) >>> 0;
  return { rc, values };
}

// A u32[] key reads as its entry count (config_value in firmware/tests/pure.ts), 0 when absent.
const defaults = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([n, s]) => [n, s.default ?? 0]));

describe('config parser', () => {
  it('gives the documented defaults for an empty blob', () => {
    expect(parse([])).toEqual({ rc: 0, values: defaults });
  });

  it('reads every key at its encoded width and keeps the others at default', () => {
    const blob = encodeConfig({ hello_interval_ms: 250, neighbour_timeout_ms: 900, neighbour_capacity: 40, ping_interval_ms: 700, mtu: 1024, log_level: 3 });
    expect(parse(blob)).toEqual({
      rc: 0,
      values: { ...defaults, hello_interval_ms: 250, neighbour_timeout_ms: 900, neighbour_capacity: 40, ping_interval_ms: 700, mtu: 1024, log_level: 3 },
    });
    expect(parse([3, 1, 5]).values).toEqual({ ...defaults, neighbour_capacity: 5 });
  });

  it('accepts any of the widths 1, 2, 4 for a known key', () => {
    expect(parse([1, 1, 200]).values.hello_interval_ms).toBe(200);
    expect(parse([1, 2, 0x10, 0x27]).values.hello_interval_ms).toBe(10000);
    expect(parse([3, 4, 7, 0, 0, 0]).values.neighbour_capacity).toBe(7);
  });

  it('skips unknown keys of any length, including 0 and 3', () => {
    expect(parse([199, 0, 200, 3, 1, 2, 3, 3, 1, 9]).values).toEqual({ ...defaults, neighbour_capacity: 9 });
    expect(parse([110, 0, 111, 3, 1, 2, 3]).rc).toBe(0); // the rest of the orchestration block
    expect(parse([126, 0, 127, 3, 1, 2, 3]).rc).toBe(0); // the rest of the fusion block
  });

  it('lets the last of repeated keys win', () => {
    expect(parse([3, 1, 5, 3, 1, 6]).values.neighbour_capacity).toBe(6);
  });

  it('returns -1 for records that run past the blob or known keys of another width', () => {
    expect(parse([1]).rc).toBe(-1);
    expect(parse([1, 4, 0xe8, 3]).rc).toBe(-1);
    expect(parse([199, 5, 1, 2]).rc).toBe(-1);
    expect(parse([1, 3, 0xe8, 3, 0]).rc).toBe(-1);
    expect(parse([6, 0]).rc).toBe(-1);
    expect(parse([6, 8, 0, 0, 0, 0, 0, 0, 0, 0]).rc).toBe(-1);
  });

  it('returns -2 for values out of range, including the timeout against the interval', () => {
    const bad: [string, number[]][] = [
      ['hello below 50', [1, 1, 49]],
      ['hello above 65535', [1, 4, 0, 0, 1, 0]],
      ['timeout equal to the interval', [1, 2, 0xe8, 3, 2, 2, 0xe8, 3]],
      ['timeout above 3600000', [2, 4, 0x81, 0xee, 0x36, 0]],
      ['capacity 0', [3, 1, 0]],
      ['capacity 255', [3, 1, 255]],
      ['ping 49', [4, 1, 49]],
      ['mtu 31', [5, 1, 31]],
      ['mtu above the inbox', [5, 2, 0x01, 0x04]],
      ['log level 4', [6, 1, 4]],
    ];
    for (const [what, blob] of bad) expect(parse(blob).rc, what).toBe(-2);
    expect(parse([1, 1, 50, 2, 1, 51]).rc).toBe(0);
    expect(parse([4, 1, 0]).rc).toBe(0);
  });

  it('agrees with the host-side ranges in tools/wire/config.ts', () => {
    for (const [name, spec] of Object.entries(CONFIG_KEYS)) {
      if (name === 'neighbour_timeout_ms') continue; // bounded by the interval, checked above
      // A long interval needs a timeout longer still.
      // (A simulated step's output must also fit the package slots.)
      const timeout = name === 'hello_interval_ms' ? [...encodeConfig({ neighbour_timeout_ms: 3_600_000 })]
        : name === 'orch_step_bytes' ? [...encodeConfig({ orch_payload_bytes: 65_535 })] : [];
      const at = (v: number) => parse([...timeout, spec.key, 4, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24]).rc;
      expect(at(spec.min), `${name} min`).toBe(0);
      expect(at(spec.max), `${name} max`).toBe(0);
      if (spec.min > 0) expect(at(spec.min - 1), `${name} below`).toBe(-2);
      expect(at(spec.max + 1), `${name} above`).toBe(-2);
    }
  });
});

describe('u32[] keys: orch_step_costs', () => {
  const KEY = CONFIG_KEYS.orch_step_costs.key;
  const u32s = (...v: number[]) => v.flatMap((x) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24]);

  it('encodes 4 bytes per entry and reads back every entry; steps past the table cost orch_step_cost', () => {
    const blob = encodeConfig({ orch_enable: 1, orch_step_cost: 777, orch_step_costs: [100, 0, 100_000_000] });
    expect([...blob.subarray(blob.length - 14)]).toEqual([KEY, 12, ...u32s(100, 0, 100_000_000)]);
    const r = parse(blob);
    expect(r.rc).toBe(0);
    expect(r.values).toEqual({ ...defaults, orch_enable: 1, orch_step_cost: 777, orch_step_costs: 3 });
    expect([0, 1, 2, 3, 4, 31, 32].map((k) => pure.exports.orch_step_cost(k))).toEqual([777, 100, 0, 100_000_000, 777, 777, 777]);
    expect(pure.exports.config_array_length(KEY)).toBe(3);
    expect([0, 1, 2, 3].map((i) => pure.exports.config_array_u32(KEY, i, 9) >>> 0)).toEqual([100, 0, 100_000_000, 9]);
  });

  it('takes 1..31 entries; the last record wins; absent reads as -1 and the fallback', () => {
    const full = Array.from({ length: 31 }, (_, i) => 1000 * (i + 1));
    const r = parse(encodeConfig({ orch_enable: 1, orch_step_costs: full }));
    expect(r.rc).toBe(0);
    expect(r.values.orch_step_costs).toBe(31);
    expect(pure.exports.orch_step_cost(31)).toBe(31_000);
    expect(parse([KEY, 8, ...u32s(1, 2), KEY, 4, ...u32s(5)]).values.orch_step_costs).toBe(1);
    expect(pure.exports.config_array_u32(KEY, 0, 0)).toBe(5);
    expect(pure.exports.config_array_u32(KEY, 1, 42)).toBe(42);
    parse(encodeConfig({ orch_enable: 1 }));
    expect(pure.exports.config_array_length(KEY)).toBe(-1);
    expect(pure.exports.config_array_u32(KEY, 0, 42)).toBe(42);
  });

  it('returns -1 for a length that is not 4..124 in steps of 4, and -2 for an entry out of range', () => {
    for (const len of [0, 1, 2, 3, 5, 6, 7, 126, 128]) {
      expect(parse([KEY, len, ...new Array(len).fill(0)]).rc, `len ${len}`).toBe(-1);
    }
    expect(parse([KEY, 124, ...new Array(124).fill(0)]).rc).toBe(0);
    expect(parse([KEY, 8, ...u32s(5, 100_000_001)]).rc).toBe(-2);
  });

  it('is refused by the encoder as a scalar, with too many or no entries, or a bad entry', () => {
    const enc = (v: unknown) => () => encodeConfig({ orch_step_costs: v as number[] });
    expect(enc(5)).toThrow(/orch_step_costs: expected a list of 1\.\.31 integers 0\.\.100000000/);
    expect(enc([])).toThrow(/has 0 entries; a u32\[\] key takes 1\.\.31/);
    expect(enc(new Array(32).fill(1))).toThrow(/has 32 entries/);
    expect(enc([1, -1])).toThrow(/entry \[1\] = -1 is not an integer in 0\.\.100000000/);
    expect(enc([1.5])).toThrow(/entry \[0\] = 1\.5/);
    expect(() => encodeConfig({ orch_step_cost: [1] as unknown as number })).toThrow(/orch_step_cost: expected one integer 0\.\.100000000, not a list/);
  });
});

describe('init', () => {
  it('applies the parser results and refuses a second call', async () => {
    const node = await TestNode.raw(wasm);
    expect(node.init(Uint8Array.from([3, 1, 0]), 1)).toBe(InitError.OutOfRange);
    expect(node.init(Uint8Array.from([3, 3, 1, 2, 3]), 1)).toBe(InitError.MalformedConfig);
    expect(node.init({}, 0)).toBe(InitError.OutOfRange);
    expect(node.init({}, 0xffff)).toBe(InitError.OutOfRange);
    expect(node.init({ neighbour_capacity: 3 }, 7)).toBe(0);
    expect(node.init({}, 7)).toBe(InitError.AlreadyInitialised);
  });

  it('refuses a u32[] record of a bad length as malformed, an entry out of range as out of range', async () => {
    const bad = Uint8Array.from([80, 1, 1, CONFIG_KEYS.orch_step_costs.key, 6, 1, 0, 0, 0, 2, 0]);
    expect((await TestNode.raw(wasm)).init(bad, 1)).toBe(InitError.MalformedConfig);
    expect((await TestNode.raw(wasm)).init(bad.subarray(3), 1)).toBe(InitError.MalformedConfig); // orchestration off too
    const over = Uint8Array.from([80, 1, 1, CONFIG_KEYS.orch_step_costs.key, 4, 0x01, 0xe1, 0xf5, 0x05]); // 100000001
    expect((await TestNode.raw(wasm)).init(over, 1)).toBe(InitError.OutOfRange);
    expect((await TestNode.raw(wasm)).init({ orch_enable: 1, orch_step_costs: [5, 6, 7], orch_custody_ms: 0, orch_assume: 1, orch_can_steps: 0b110 }, 1)).toBe(0);
  });

  it('rejects a config length beyond the inbox', async () => {
    const node = await TestNode.raw(wasm);
    expect(node.ex.init(1, node.ex.inbox_size() + 1)).toBe(InitError.MalformedConfig);
  });
});
