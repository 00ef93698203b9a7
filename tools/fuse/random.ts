// The draws the fusion experiments need, on top of the simulator's seeded generator
// (host-sim/prng.ts), so a data set is a pure function of its seed. Every component (the wind's
// synoptic drift, its gusts, each sensor's quality and noise) draws from its own labelled
// stream: changing how many draws one of them makes never shifts the numbers of another.

import { deriveStream, type Rng } from '../../host-sim/prng.ts';

export type { Rng };

/** The stream for `label` under `seed`. */
export function stream(seed: number, label: string): Rng {
  return deriveStream(seed, label);
}

/** A 32-bit seed for a sub-experiment, derived the same way (recorded in the results). */
export function subSeed(seed: number, label: string): number {
  return deriveStream(seed, label).nextU32();
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.nextFloat();
}

/** Standard normal by Box-Muller; 1 - u keeps the logarithm away from 0. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng.nextFloat();
  const v = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Exponential with the given mean: the gap between events of a Poisson process. */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.nextFloat());
}
