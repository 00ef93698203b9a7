// Data-source clustering on synthetic groups (docs/fusion.md, "Experiments"): sensors in
// groups, each group measuring its own phenomenon, every sensor with its own offset, gain and
// error; each algorithm is asked for the cluster of every sensor in turn, as the reference,
// and the answer is scored against the true group (precision, recall).
//
// Phenomena: independent Ornstein-Uhlenbeck processes (mean-reverting, so two groups do not
// drift alike by chance as random walks would), one sample a step, a window of 32 steps as a
// fusion node keeps by default. Sensor error is the paper's uniform model, with high- or
// low-quality deviations relative to the phenomenon's range.

import { ouSeries } from './wind.ts';
import { stream, subSeed, uniform } from './random.ts';
import { CLUSTER_ALGOS, type ClusterAlgoNumber, type ClusterEngine } from './engine.ts';
import { drawSensor, type Quality } from './sensors.ts';

export interface ClusteringPlan {
  seed: number;
  datasets: number;
  /** Sensors per group. */
  groups: readonly number[];
  window: number;
  /** Correlation at which two sensors count as alike (fuse_threshold_milli / 1000). */
  threshold: number;
  /** OU process of each phenomenon: standard deviation around its level, correlation time in steps. */
  sigma: number;
  tau: number;
  /** A phenomenon's range for the deviation model (m_max). */
  range: number;
}

export function clusteringPlan(seed: number, quick = false): ClusteringPlan {
  return { seed, datasets: quick ? 3 : 20, groups: [5, 4, 6], window: 32, threshold: 0.7, sigma: 3, tau: 6, range: 40 };
}

export interface ClusterScore {
  algo: ClusterAlgoNumber;
  name: string;
  quality: Quality;
  /** Means over every reference of every data set. */
  precision: number;
  recall: number;
  /** References whose group came back exactly. */
  exact: number;
  references: number;
  meanWork: number;
}

export interface ClusteringResult {
  plan: ClusteringPlan;
  scores: ClusterScore[];
}

/** One data set: the sensors' series (oldest first) and each sensor's group. */
export function clusteringData(plan: ClusteringPlan, dataset: number, quality: Quality): { series: number[][]; group: number[] } {
  const seed = subSeed(plan.seed, `clustering/${dataset}`);
  const series: number[][] = [];
  const group: number[] = [];
  plan.groups.forEach((size, g) => {
    const truth = ouSeries(stream(seed, `phenomenon/${g}`), plan.window, plan.sigma, plan.tau).map((x) => 20 + x);
    for (let k = 0; k < size; k++) {
      const rng = stream(seed, `${quality}/${g}/${k}`);
      const d = drawSensor(rng, quality, plan.range).accuracy;
      const gain = uniform(rng, 0.8, 1.2);
      const offset = uniform(rng, -2, 2);
      series.push(truth.map((m) => gain * m + offset + uniform(rng, -d, d)));
      group.push(g);
    }
  });
  return { series, group };
}

/**
 * Precision and recall of the sensors returned besides the reference (it is always in its own
 * cluster, so counting it would flatter both): the other members of its group are the positives.
 */
function score(mask: number, reference: number, group: readonly number[]): { precision: number; recall: number } {
  let tp = 0, fp = 0, fn = 0;
  group.forEach((g, i) => {
    if (i === reference) return;
    const inMask = ((mask >>> i) & 1) === 1;
    const same = g === group[reference];
    if (inMask && same) tp++;
    else if (inMask) fp++;
    else if (same) fn++;
  });
  // Nothing returned besides the reference: no wrong member (precision 1), none found (recall 0).
  return { precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1 };
}

export function runClustering(plan: ClusteringPlan, engine: ClusterEngine): ClusteringResult {
  const scores: ClusterScore[] = [];
  for (const quality of ['high', 'low'] as const) {
    const data = Array.from({ length: plan.datasets }, (_, k) => clusteringData(plan, k, quality));
    for (const { algo, name } of CLUSTER_ALGOS) {
      let p = 0, r = 0, exact = 0, n = 0, work = 0;
      data.forEach(({ series, group }, k) => {
        for (let ref = 0; ref < series.length; ref++) {
          const got = engine.clusterOf(series, ref, algo, plan.threshold, subSeed(plan.seed, `clustering/${k}/${ref}`));
          const s = score(got.mask, ref, group);
          p += s.precision;
          r += s.recall;
          if (s.precision === 1 && s.recall === 1) exact++;
          work += got.work;
          n++;
        }
      });
      scores.push({ algo, name, quality, precision: p / n, recall: r / n, exact, references: n, meanWork: work / n });
    }
  }
  return { plan, scores };
}
