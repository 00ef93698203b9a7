// What the fusion experiments need of the node's fusion code (firmware/src/fuse): FTI at a
// QoS level and average pooling over one time step's readings. `loadFuseEngine` (runner.ts)
// gives the real one, the Wasm module's own functions.

export interface Reading {
  value: number;
  /** Half-width of the reading's interval: the truth lies in [value - accuracy, value + accuracy]. */
  accuracy: number;
}

/** Bits of FusionOutcome.flags (docs/fusion.md). */
export const FUSE_FLAG = {
  /** More than f readings disagree: the fused interval is empty; `value` is the fallback. */
  EMPTY: 1,
  /** Fewer readings than the QoS level needs: f was lowered to what they support. */
  REDUCED_F: 2,
  /** No valid reading at all: `value` is NaN. */
  NONE: 4,
  /** Some readings were rejected (NaN, infinite, out of range, bad accuracy). */
  REJECTED: 8,
} as const;

export interface FusionOutcome {
  value: number;
  /** The fused interval (FTI; for average pooling the min and max reading). */
  lo: number;
  hi: number;
  flags: number;
  /** Readings that took part, and the fault tolerance used. */
  used: number;
  f: number;
  rejected: number;
  /** Basic operations the call counted (comparisons and density evaluations). */
  ops: number;
}

export type QosLevel = 1 | 2 | 3;

export interface FuseEngine {
  fti(readings: readonly Reading[], qos: QosLevel): FusionOutcome;
  average(readings: readonly Reading[]): FusionOutcome;
  /** Clustering, when the engine has it (the node's has; a test's stand-in may not). */
  cluster?: ClusterEngine;
}

/** Data-source clustering algorithms (firmware/src/fuse/cluster.ts ClusterAlgo). */
export const CLUSTER_ALGOS = [
  { algo: 1, name: 'label propagation' },
  { algo: 2, name: 'modularity' },
  { algo: 3, name: 'OSort' },
] as const;
export type ClusterAlgoNumber = (typeof CLUSTER_ALGOS)[number]['algo'];

export interface ClusterEngine {
  /**
   * The sensors (indices into `series`, at most 32) clustered with `reference` by `algo`, from
   * their series (each sensor's samples, oldest first, at most 64), as a bit mask, and the work
   * the call counted. `threshold` is the correlation at which two sensors count as alike.
   */
  clusterOf(series: readonly (readonly number[])[], reference: number, algo: ClusterAlgoNumber, threshold: number, seed: number): { mask: number; work: number };
}
