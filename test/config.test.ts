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

const defaults = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([n, s]) => [n, s.default]));

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
    expect(parse([99, 0, 200, 3, 1, 2, 3, 3, 1, 9]).values).toEqual({ ...defaults, neighbour_capacity: 9 });
  });

  it('lets the last of repeated keys win', () => {
    expect(parse([3, 1, 5, 3, 1, 6]).values.neighbour_capacity).toBe(6);
  });

  it('returns -1 for records that run past the blob or known keys of another width', () => {
    expect(parse([1]).rc).toBe(-1);
    expect(parse([1, 4, 0xe8, 3]).rc).toBe(-1);
    expect(parse([99, 5, 1, 2]).rc).toBe(-1);
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
      const timeout = name === 'hello_interval_ms' ? [...encodeConfig({ neighbour_timeout_ms: 3_600_000 })] : [];
      const at = (v: number) => parse([...timeout, spec.key, 4, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24]).rc;
      expect(at(spec.min), `${name} min`).toBe(0);
      expect(at(spec.max), `${name} max`).toBe(0);
      if (spec.min > 0) expect(at(spec.min - 1), `${name} below`).toBe(-2);
      expect(at(spec.max + 1), `${name} above`).toBe(-2);
    }
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

  it('rejects a config length beyond the inbox', async () => {
    const node = await TestNode.raw(wasm);
    expect(node.ex.init(1, node.ex.inbox_size() + 1)).toBe(InitError.MalformedConfig);
  });
});
