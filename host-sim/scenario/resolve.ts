// A checked Scenario + a seed -> everything a Simulation needs: boards looked up, generated
// nodes placed, the program compiled. The seed is applied here (not when parsing) so the CLI
// can override it without re-reading the file.

import { deriveStream } from '../prng.ts';
import { placeNodes } from '../placement.ts';
import { getBoard, orchCapabilityOf, type Board, type BoardSet } from '../boards.ts';
import { loadProgram, type Program } from '../program.ts';
import type { SimulationSetup, SimNodeSetup } from '../simulation.ts';
import type { TopologyNode } from '../topology.ts';
import type { Scenario } from './validate.ts';
import type { NodeConfig } from '../../tools/wire/config.ts';

export interface ResolveOptions {
  boards: BoardSet;
  seed?: number;
  /** Microseconds; replaces the scenario's duration. */
  duration?: number;
  traceFrames?: boolean;
  /** A program already compiled (tests, or several runs of one module). */
  program?: Program;
}

const MAX_PLACEMENT_TRIES = 1000;

export function resolveScenario(scenario: Scenario, opts: ResolveOptions): SimulationSetup {
  const seed = opts.seed ?? scenario.seed;
  const duration = opts.duration ?? scenario.duration;
  return {
    name: scenario.name,
    seed,
    duration,
    program: opts.program ?? loadProgram(scenario.program),
    medium: scenario.medium,
    nodes: placeScenario(scenario, opts.boards, seed, duration),
    bootJitter: scenario.bootJitter,
    traceFrames: opts.traceFrames,
    pings: scenario.pings.filter((p) => p.start < duration),
    packages: scenario.packages.filter((p) => p.start < duration),
    hermes: scenario.hermes && scenario.hermes.steadyFrom < duration ? scenario.hermes : undefined,
    sensors: scenario.sensors,
  };
}

/** The scenario's nodes with boards looked up and generated nodes placed for `seed`. */
export function placeScenario(scenario: Scenario, boards: BoardSet, seed: number, duration = scenario.duration): SimNodeSetup[] {
  const opts = { boards };
  const nodes: SimNodeSetup[] = scenario.nodes.map((n) => {
    const board = getBoard(opts.boards, n.board);
    return { id: n.id, board, config: withBoardConfig(n.config, board), pos: n.pos, outages: n.outages.filter((o) => o.from < duration) };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));

  scenario.generators.forEach((g, index) => {
    const fixed: TopologyNode[] = nodes.filter((n) => n.pos && !g.ids.includes(n.id));
    const toPlace = g.ids.map((id) => byId.get(id)!);
    try {
      const { positions } = placeNodes(deriveStream(seed, `placement/${index}`), {
        nodes: toPlace,
        area: g.area,
        connected: g.connected,
        fixed,
        medium: scenario.medium,
        maxTries: MAX_PLACEMENT_TRIES,
      });
      for (const n of toPlace) n.pos = positions.get(n.id);
    } catch (e) {
      throw new Error(`${g.where}: ${(e as Error).message}`);
    }
  });
  return nodes;
}

/**
 * A node's config with what its board implies: an orchestrating node (`orch_enable: 1`) that
 * sets no `orch_capability` reports its board's (orchCapabilityOf). A new object: generated
 * nodes share theirs.
 */
export function withBoardConfig(config: NodeConfig, board: Board): NodeConfig {
  if (config.orch_enable !== 1 || config.orch_capability !== undefined) return config;
  return { ...config, orch_capability: orchCapabilityOf(board) };
}
