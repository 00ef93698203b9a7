// scenarios/fuse/broken.yaml: the broken-sensor experiment through the network, the node
// program on every node: FTI at the fusion node is not moved by the broken sensor, the average
// of the same readings is; the scenario file's sensors section is checked like the rest.

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBoards } from '../host-sim/boards.ts';
import { MemoryIO } from '../host-sim/io.ts';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { resolveScenario } from '../host-sim/scenario/resolve.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { BUILD_DIR, REPO_ROOT } from '../host-sim/paths.ts';
import { scenarioWind } from '../host-sim/sensors.ts';
import { EmitKind } from '../tools/wire/abi.ts';
import { decodeFused } from '../tools/wire/fuse.ts';
import { nodeWasm } from './helpers/wasm.ts';

const boards = loadBoards();
const FILE = join(REPO_ROOT, 'scenarios/fuse/broken.yaml');
let program: Program;

beforeAll(async () => {
  await nodeWasm();
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
}, 120_000);

describe('scenarios/fuse/broken.yaml', () => {
  it('keeps FTI within 1.1x of its error outside the fault window while the average is thrown off', () => {
    const sc = parseScenario(FILE, readFileSync(FILE, 'utf8'), { boards });
    const fusion = new MemoryIO();
    const sim = new Simulation({ ...resolveScenario(sc, { boards, program }), io: (id) => (id === 1 ? fusion : new MemoryIO()) });
    sim.run();
    const wind = scenarioWind(sc.sensors!, sc.seed, 1800);
    // The fusion node fuses half a minute after the sensors sample, on whole minutes of its own clock.
    const rows = fusion.recordsOf(EmitKind.Fused).map((e) => ({ minute: Math.floor(e.atUs / 60e6), r: decodeFused(e.bytes)! }));
    expect(rows.length).toBeGreaterThan(1790);
    const steady = rows.filter((x) => x.minute >= 5 && x.r.used > 0);
    const stats = (inside: boolean, key: 'value' | 'average') => {
      const xs = steady.filter((x) => (x.minute >= 600 && x.minute < 1200) === inside);
      const mae = xs.reduce((s, x) => s + Math.abs(x.r[key] - wind[x.minute]), 0) / xs.length;
      const mape = xs.reduce((s, x) => s + Math.abs(x.r[key] - wind[x.minute]) / wind[x.minute], 0) / xs.length;
      return { mae, mape };
    };
    const ftiIn = stats(true, 'value'), ftiOut = stats(false, 'value');
    const avgIn = stats(true, 'average'), avgOut = stats(false, 'average');
    expect(ftiIn.mae / ftiOut.mae).toBeLessThanOrEqual(1.1);
    expect(ftiIn.mape / ftiOut.mape).toBeLessThanOrEqual(1.1);
    expect(avgIn.mae / avgOut.mae).toBeGreaterThan(5);
    // Readings travel without ACK_REQ: 2 % frame loss over one or two hops takes one now and
    // then (P(all ten) is about 0.98^15 = 0.74), and the step fuses the rest.
    const meanUsed = steady.reduce((s, x) => s + x.r.used, 0) / steady.length;
    expect(meanUsed).toBeGreaterThan(9.6);
    expect(Math.min(...steady.map((x) => x.r.used))).toBeGreaterThanOrEqual(6);
    expect(sim.events.rows.filter((e) => e.event === 'budget_violation')).toEqual([]);
  }, 60_000);

  it('names what is wrong in a sensors section', () => {
    const text = readFileSync(FILE, 'utf8');
    expect(() => parseScenario('x.yaml', text.replace('{node: 3, quality: high}', '{node: 42, quality: high}'), { boards }))
      .toThrow(/sensors\.nodes\[1\]\.node: no node with id 42/);
    expect(() => parseScenario('x.yaml', text.replace('{node: 3, quality: high}', '{node: 3, quality: medium}'), { boards }))
      .toThrow(/sensors\.nodes\[1\]\.quality/);
    expect(() => parseScenario('x.yaml', text.replace('{node: 3, quality: high}', '{node: 2, quality: high}'), { boards }))
      .toThrow(/node 2 already has a sensor/);
    expect(() => parseScenario('x.yaml', text.replace('broken: {from: 600m, to: 1200m}', 'broken: {from: 600m, to: 500m}'), { boards }))
      .toThrow(/broken\.to: must be after from/);
    expect(() => parseScenario('x.yaml', text.replace('broken: {from: 600m, to: 1200m}', 'broken: {from: 600m, to: 2000m}'), { boards }))
      .toThrow(/broken\.to: must be within the run \(1800m\)/);
    expect(() => parseScenario('x.yaml', text.replace('broken: {from: 600m, to: 1200m}', 'broken: {from: 30s, to: 1200m}'), { boards }))
      .toThrow(/broken: from and to must be whole minutes/);
    expect(() => parseScenario('x.yaml', text.replace('{node: 3, quality: high}', '{node: 1, quality: high}'), { boards }))
      .toThrow(/node 1 has fuse_role 2, not 1 \(sensor\)/);
  });
});
