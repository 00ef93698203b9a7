// Reproducible random placement of generated nodes: uniform in a rectangle, redrawn until
// the whole network (including explicitly placed nodes) is connected.

import type { Rng } from './prng.ts';
import type { Point } from './link.ts';
import { buildTopology, isConnected, type MediumSpec, type TopologyNode } from './topology.ts';
import type { Board } from './boards.ts';

export interface PlacementRequest {
  /** Nodes to place, each with its board (range depends on it). */
  nodes: { id: number; board: Board }[];
  area: { width: number; height: number };
  connected: boolean;
  /** Nodes that already have positions and must be part of the connected whole. */
  fixed: TopologyNode[];
  medium: MediumSpec;
  maxTries: number;
}

/** Positions rounded to centimetres so they print and compare cleanly. */
function draw(rng: Rng, area: { width: number; height: number }): Point {
  return {
    x: Math.round(rng.nextFloat() * area.width * 100) / 100,
    y: Math.round(rng.nextFloat() * area.height * 100) / 100,
  };
}

export function placeNodes(rng: Rng, req: PlacementRequest): { positions: Map<number, Point>; tries: number } {
  for (let attempt = 1; attempt <= req.maxTries; attempt++) {
    const positions = new Map<number, Point>();
    for (const n of req.nodes) positions.set(n.id, draw(rng, req.area));
    if (!req.connected) return { positions, tries: attempt };
    const all: TopologyNode[] = [...req.fixed, ...req.nodes.map((n) => ({ id: n.id, board: n.board, pos: positions.get(n.id)! }))];
    if (isConnected(buildTopology({ ...req.medium, kind: 'range' }, all))) return { positions, tries: attempt };
  }
  throw new Error(
    `could not place ${req.nodes.length} nodes connected in a ${req.area.width} x ${req.area.height} m area ` +
      `in ${req.maxTries} tries; shrink the area, add nodes or raise the range`,
  );
}
