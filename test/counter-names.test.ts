// The counters dump (inspect 0) names each named slot once, in ascending slot order, however
// the layers registered their blocks of names.

import { beforeAll, describe, expect, it } from 'vitest';
import { InspectWhat } from '../tools/wire/abi.ts';
import type { NodeConfig } from '../tools/wire/config.ts';
import { nodeWasm } from './helpers/wasm.ts';
import { TestNode } from './helpers/node.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await nodeWasm();
});

/** Names of the dump's records, in dump order; checks the records tile the dump exactly. */
async function dumpNames(config: NodeConfig): Promise<string[]> {
  const n = await TestNode.create(wasm, 7, config);
  const len = n.ex.inspect(InspectWhat.Counters);
  const bytes = n.m.bytes(n.ex.outbox(), len);
  const names: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const nameLen = bytes[at];
    expect(at + 1 + nameLen + 4).toBeLessThanOrEqual(bytes.length);
    names.push(new TextDecoder().decode(bytes.subarray(at + 1, at + 1 + nameLen)));
    at += 1 + nameLen + 4;
  }
  expect(at).toBe(bytes.length);
  return names;
}

// First name and number of named slots of every run of consecutive named slots, in
// ascending slot order (wire 0.., categories 16.., link, route, hop-by-hop, delivery,
// lifecycle, orchestration).
const RUNS: [string, number][] = [
  ['wire.rx', 11], ['cat.routing.tx.frames', 20], ['link.hello.tx', 12], ['link.restart', 2],
  ['route.adv.tx', 25], ['link.ack.tx', 8], ['msg.tx', 17], ['life.transitions', 10], ['orch.submit', 30],
];

function expectRuns(names: string[], runs: [string, number][]): void {
  expect(new Set(names).size).toBe(names.length);
  for (const name of names) expect(name).toMatch(/^[a-z]+(\.[a-z]+)+$/);
  let at = 0;
  for (const [first, count] of runs) {
    expect(names[at]).toBe(first);
    at += count;
  }
  expect(at).toBe(names.length);
}

describe('counter names', () => {
  it('a default node dumps every named slot exactly once, in ascending slot order', async () => {
    expectRuns(await dumpNames({}), RUNS.slice(0, 7));
  });

  it('a tree node with orchestration lists the lifecycle slots before the later orchestration ones', async () => {
    // Orchestration names its block before the lifecycle does during init.
    expectRuns(await dumpNames({ route_mode: 1, orch_enable: 1 }), RUNS);
  });
});
