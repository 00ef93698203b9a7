// Scenario files with a wifi medium: what is accepted and how mistakes are reported.

import { describe, expect, it } from 'vitest';
import { loadBoards } from '../host-sim/boards.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { placeScenario } from '../host-sim/scenario/resolve.ts';
import { ScenarioError } from '../host-sim/scenario/source.ts';

const boards = loadBoards();
const FILE = 'scenarios/w.yaml';

function errorsOf(text: string): string[] {
  try {
    parseScenario(FILE, text, { boards });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).lines;
  }
  throw new Error('expected the scenario to be rejected');
}

const scenario = (medium: string, nodes: string) => `name: w
duration: 30s
medium:
${medium}
nodes:
${nodes}
`;

const TESTBED = `  - {id: 1, pos: [0, 0], board: rpi3}
  - {id: 2, pos: [10, 0], board: esp8266}
  - {id: 3, pos: [0, 10], board: esp32}`;

describe('wifi medium in scenarios', () => {
  it('accepts a wifi medium with its own latency overrides and random placement', () => {
    const s = parseScenario(
      FILE,
      scenario('  kind: wifi\n  range_m: 40\n  loss: 0.01\n  hop_latency_ms: 4\n  jitter_ms: 10\n  bandwidth_bps: 5000000', `${TESTBED}\n  - random: {count: 5, area: [60, 60], board: esp32}`),
      { boards },
    );
    expect(s.medium).toMatchObject({ kind: 'wifi', range_m: 40, loss: 0.01, hop_latency_ms: 4, jitter_ms: 10, bandwidth_bps: 5_000_000, links: [] });
    const placed = placeScenario(s, boards, 1);
    expect(placed.length).toBe(8);
    expect(placed.every((n) => n.pos !== undefined && n.board.wifi !== undefined)).toBe(true);
  });

  it('names an unknown kind with the allowed ones', () => {
    expect(errorsOf(scenario('  kind: wify', TESTBED))).toEqual(['scenarios/w.yaml:4:3: medium.kind: must be one of "range", "links", "wifi"']);
  });

  it('rejects fields that belong to another kind of medium', () => {
    expect(errorsOf(scenario('  kind: wifi\n  base_latency_ms: 2\n  links: [{a: 1, b: 2}]', TESTBED))).toEqual([
      "scenarios/w.yaml:5:3: medium.base_latency_ms: not used by a wifi medium: per-hop latency comes from the boards' wifi.hop_latency_ms (override it with hop_latency_ms)",
      'scenarios/w.yaml:6:3: medium.links: a wifi medium has no link list: frames follow the associations the nodes make',
    ]);
    expect(errorsOf(scenario('  kind: range\n  hop_latency_ms: 2\n  jitter_ms: 1', TESTBED))).toEqual([
      'scenarios/w.yaml:5:3: medium.hop_latency_ms: only for a wifi medium (medium.kind: wifi); this medium is range',
      'scenarios/w.yaml:6:3: medium.jitter_ms: only for a wifi medium (medium.kind: wifi); this medium is range',
    ]);
  });

  it('needs positions and a Wi-Fi board on every node', () => {
    const nodes = `  - {id: 1, pos: [0, 0], board: rpi3}
  - {id: 2, pos: [5, 0], board: elasticnode-v4}
  - id: 3
  - random: {count: 2, area: [20, 20], board: elasticnode-v5}`;
    expect(errorsOf(scenario('  kind: wifi', nodes))).toEqual([
      'scenarios/w.yaml:7:26: nodes[1].board: board "elasticnode-v4" has no Wi-Fi (no "wifi" block in its descriptor); a wifi medium needs one on every node',
      'scenarios/w.yaml:8:5: nodes[2]: needs "pos: [x, y]" (metres) because the medium is a wifi medium',
      'scenarios/w.yaml:9:40: nodes[3].random.board: board "elasticnode-v5" has no Wi-Fi (no "wifi" block in its descriptor); a wifi medium needs one on every node',
    ]);
  });

  it('reports a default board without Wi-Fi once, at defaults.board', () => {
    const text = `name: w
duration: 30s
defaults:
  board: elasticnode-v5
medium: {kind: wifi}
nodes:
  - {id: 1, pos: [0, 0]}
  - {id: 2, pos: [5, 0]}
`;
    expect(errorsOf(text)).toEqual([
      'scenarios/w.yaml:4:3: defaults.board: board "elasticnode-v5" has no Wi-Fi (no "wifi" block in its descriptor); a wifi medium needs one on every node',
    ]);
  });
});
