import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadBoards } from '../host-sim/boards.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { loadScenario, loadDefaultScenario, defaultScenarioText, DEFAULT_SCENARIO_PATH } from '../host-sim/scenario/load.ts';
import { placeScenario } from '../host-sim/scenario/resolve.ts';
import { ScenarioError } from '../host-sim/scenario/source.ts';

const boards = loadBoards();

const BASE = `name: t
seed: 3
duration: 30s
medium:
  kind: range
  range_m: 50
nodes:
  - id: 1
    pos: [0, 0]
  - id: 2
    pos: [30, 0]
  - id: 3
    bord: esp8266
    pos: [60, 0]
`;

function errorsOf(text: string, file = 'scenarios/x.yaml'): string[] {
  try {
    parseScenario(file, text, { boards });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).lines;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario errors name file, line, column and field', () => {
  it('a misspelt field suggests the right one', () => {
    expect(errorsOf(BASE)).toEqual(['scenarios/x.yaml:13:5: nodes[2].bord: unknown field; did you mean "board"?']);
  });

  it('reads from disk and names the file it read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'myco-scn-'));
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, BASE);
    try {
      loadScenario(file, boards);
      throw new Error('not rejected');
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('typo.yaml:13:5');
      expect(msg).toContain('nodes[2].bord');
      expect(msg).toContain('"board"');
    }
  });

  it('reports every schema problem, in file order', () => {
    const text = `name: t
duraton: 30s
medium:
  kind: radio
  loss: 1.5
defaults:
  config:
    helo_interval_ms: 500
    ping_interval_ms: -1
nodes:
  - id: 0
    pos: [0, 0]
  - id: 2
    pos: [1]
`;
    expect(errorsOf(text)).toEqual([
      'scenarios/x.yaml:1:1: (top level): missing required field "duration"',
      'scenarios/x.yaml:2:1: duraton: unknown field; did you mean "duration"?',
      'scenarios/x.yaml:4:3: medium.kind: must be one of "range", "links", "wifi"',
      'scenarios/x.yaml:5:3: medium.loss: must be <= 1',
      'scenarios/x.yaml:8:5: defaults.config.helo_interval_ms: unknown field; did you mean "hello_interval_ms"?',
      'scenarios/x.yaml:9:5: defaults.config.ping_interval_ms: must be >= 0',
      'scenarios/x.yaml:11:5: nodes[0].id: must be >= 1',
      'scenarios/x.yaml:14:5: nodes[1].pos: must NOT have fewer than 2 items',
    ]);
  });

  it('explains durations', () => {
    expect(errorsOf(BASE.replace('30s', '30 seconds').replace('bord', 'board'))).toEqual([
      'scenarios/x.yaml:3:1: duration: expected a duration such as 500ms, 60s or 2m',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const lines = errorsOf('name: t\nnodes: [1, 2\nduration: 5s\n');
    expect(lines[0]).toMatch(/^scenarios\/x.yaml:\d+:\d+: /);
  });

  it('checks meaning: duplicate ids, unknown boards and nodes, outages outside the run', () => {
    const text = `name: t
duration: 30s
medium:
  kind: links
  links:
    - {a: 1, b: 2}
    - {a: 2, b: 9}
nodes:
  - id: 1
    board: esp23
  - id: 2
    outages:
      - {at: 25s, for: 10s}
  - id: 1
outages:
  - {node: 7, from: 1s, to: 2s}
  - {node: 2, from: 26s, to: 27s}
  - {node: 1, at: 40s, for: 1s}
`;
    expect(errorsOf(text)).toEqual([
      'scenarios/x.yaml:7:14: medium.links[1].b: no node with id 9',
      'scenarios/x.yaml:10:5: nodes[0].board: unknown board "esp23"; did you mean "esp32"? (known: elasticnode-v4, elasticnode-v5, esp32, esp8266, rpi3)',
      'scenarios/x.yaml:13:9: nodes[1].outages[0]: ends at 35s, after the end of the run (30s); end it at 30s to keep the node off',
      'scenarios/x.yaml:14:5: nodes[2].id: duplicate node id 1 (first used by nodes[0])',
      'scenarios/x.yaml:16:6: outages[0].node: no node with id 7',
      'scenarios/x.yaml:17:5: outages[1]: overlaps another outage of node 2',
      'scenarios/x.yaml:18:5: outages[2]: starts at 40s, at or after the end of the run (30s)',
    ]);
  });

  it('checks config consistency', () => {
    const text = BASE.replace('bord', 'board').replace('nodes:', 'defaults:\n  config:\n    hello_interval_ms: 2000\n    neighbour_timeout_ms: 1000\nnodes:');
    expect(errorsOf(text)[0]).toMatch(/defaults.config: neighbour_timeout_ms \(1000\) must be longer than hello_interval_ms \(2000\)/);
    const ping = BASE.replace('bord', 'board').replace('  - id: 3\n', '  - id: 3\n    config: {ping_interval_ms: 10}\n');
    expect(errorsOf(ping)).toEqual(['scenarios/x.yaml:13:14: nodes[2].config.ping_interval_ms: must be 0 (never) or 50..600000']);
  });

  it('a u32[] key takes a list; a scalar key one integer; entries and their count are checked', () => {
    const text = `name: t
duration: 30s
medium: {kind: links}
defaults:
  config:
    orch_step_costs: 5
nodes:
  - id: 1
    config: {orch_enable: 1, orch_step_costs: [100, 200], orch_step_cost: [1, 2]}
  - id: 2
    config:
      orch_step_costs: [1, 2, 100000001, -1]
  - id: 3
    config:
      orch_step_costs: [${new Array(32).fill(7).join(', ')}]
  - id: 4
    config: {orch_step_costs: []}
`;
    expect(errorsOf(text)).toEqual([
      'scenarios/x.yaml:6:5: defaults.config.orch_step_costs: expected a list of 1..31 integers 0..100000000 (a u32[] key), got 5',
      'scenarios/x.yaml:9:59: nodes[0].config.orch_step_cost: expected one integer 0..100000000, not a list',
      'scenarios/x.yaml:12:31: nodes[1].config.orch_step_costs[2]: entry 100000001 of orch_step_costs must be an integer 0..100000000',
      'scenarios/x.yaml:12:42: nodes[1].config.orch_step_costs[3]: entry -1 of orch_step_costs must be an integer 0..100000000',
      'scenarios/x.yaml:15:7: nodes[2].config.orch_step_costs: has 32 entries; a u32[] key takes 1..31',
      'scenarios/x.yaml:17:14: nodes[3].config.orch_step_costs: has 0 entries; a u32[] key takes 1..31',
    ]);
  });

  it('needs positions on a range medium, and random placement needs one', () => {
    expect(errorsOf('name: t\nduration: 1s\nnodes:\n  - id: 1\n')).toEqual([
      'scenarios/x.yaml:4:5: nodes[0]: needs "pos: [x, y]" (metres) because the medium is a range medium',
    ]);
    expect(errorsOf('name: t\nduration: 1s\nmedium: {kind: links}\nnodes:\n  - random: {count: 3, area: [10, 10]}\n')).toEqual([
      'scenarios/x.yaml:5:5: nodes[0].random: random placement needs a range or wifi medium (medium.kind: range)',
    ]);
  });

  it('a generator error inside a list item points into the item', () => {
    expect(errorsOf('name: t\nduration: 1s\nnodes:\n  - random:\n      count: 3\n      area: [10, 10]\n      conected: true\n')).toEqual([
      'scenarios/x.yaml:7:7: nodes[0].random.conected: unknown field; did you mean "connected"?',
    ]);
  });
});

describe('valid scenarios', () => {
  it('parses durations, defaults, generators and outages', () => {
    const s = parseScenario(
      'x.yaml',
      `name: mix
seed: 9
duration: 2m
defaults: {board: esp8266, config: {ping_interval_ms: 1000}}
medium: {range_m: 40, loss: 0.1}
nodes:
  - {id: 2, pos: [0, 0], board: esp32, config: {hello_interval_ms: 500}, outages: [{from: 10s, to: 20s}]}
  - random: {count: 4, area: [60, 60]}
outages:
  - {node: 1, at: 500ms, for: 1.5s}
`,
      { boards },
    );
    expect(s.duration).toBe(120_000_000);
    expect(s.nodes.map((n) => [n.id, n.board])).toEqual([
      [1, 'esp8266'],
      [2, 'esp32'],
      [3, 'esp8266'],
      [4, 'esp8266'],
      [5, 'esp8266'],
    ]);
    expect(s.nodes[1].config).toEqual({ ping_interval_ms: 1000, hello_interval_ms: 500 });
    expect(s.nodes[1].outages).toEqual([{ from: 10_000_000, to: 20_000_000 }]);
    expect(s.nodes[0].outages).toEqual([{ from: 500_000, to: 2_000_000 }]);
    expect(s.program).toMatch(/build\/node\.wasm$/);
    const placed = placeScenario(s, boards, 9);
    expect(placed.every((n) => n.pos)).toBe(true);
    expect(placeScenario(s, boards, 9).map((n) => n.pos)).toEqual(placed.map((n) => n.pos));
    expect(placeScenario(s, boards, 10).map((n) => n.pos)).not.toEqual(placed.map((n) => n.pos));
  });

  it('reads a u32[] key as a list; an orchestrating node without orch_capability reports its board\'s', () => {
    const s = parseScenario(
      'x.yaml',
      `name: orch
duration: 10s
medium: {kind: links}
defaults: {config: {orch_enable: 1, orch_step_costs: [5, 6]}}
nodes:
  - {id: 1, config: {orch_step_costs: [100, 0, 31]}}
  - {id: 2, board: rpi3}
  - {id: 3, board: esp8266, config: {orch_capability: 7}}
  - {id: 4, board: elasticnode-v4, config: {orch_enable: 0}}
`,
      { boards },
    );
    expect(s.nodes.map((n) => n.config)).toEqual([
      { orch_enable: 1, orch_step_costs: [100, 0, 31] },
      { orch_enable: 1, orch_step_costs: [5, 6] },
      { orch_enable: 1, orch_step_costs: [5, 6], orch_capability: 7 },
      { orch_enable: 0, orch_step_costs: [5, 6] },
    ]);
    // Derived when the scenario is resolved: esp32 128, rpi3 255; an explicit figure wins; not orchestrating, none.
    expect(placeScenario(s, boards, 1).map((n) => n.config.orch_capability)).toEqual([128, 255, 7, undefined]);
    expect(s.nodes[0].config.orch_capability).toBeUndefined();
  });

  it('the default scenario is valid and is the same text as scenarios/default.yaml', () => {
    expect(defaultScenarioText()).toBe(readFileSync(new URL('../scenarios/default.yaml', import.meta.url), 'utf8'));
    expect(DEFAULT_SCENARIO_PATH.endsWith('scenarios/default.yaml')).toBe(true);
    const s = loadDefaultScenario(boards);
    expect(s.name).toBe('default');
    expect(s.duration).toBe(60_000_000);
    expect(s.nodes.length).toBeGreaterThanOrEqual(10);
    expect(s.nodes.length).toBeLessThanOrEqual(12);
    expect(s.medium.loss).toBeGreaterThan(0);
    expect(s.nodes.filter((n) => n.outages.length).length).toBe(1);
    expect(s.nodes[0].config.ping_interval_ms).toBeGreaterThan(0);
  });
});
