// The fusion study on the node's own fusion and clustering code (tools/fuse/runner.ts): the
// issue's acceptance checks hold on the quick plan, and the clustering experiment scores
// what it should.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadFuseEngine } from '../tools/fuse/runner.ts';
import { quickPlan, runFusionStudy, type FusionStudyResult } from '../tools/fuse/experiments.ts';
import { clusterCheck, faultCheck, qualityCheck, reportFiles } from '../tools/fuse/report.ts';
import { clusteringData, clusteringPlan } from '../tools/fuse/clustering.ts';
import type { FuseEngine } from '../tools/fuse/engine.ts';

let engine: FuseEngine;
let study: FusionStudyResult;

beforeAll(async () => {
  engine = await loadFuseEngine();
  study = runFusionStudy(quickPlan(1), engine);
}, 120_000);

describe('the fusion study on the Wasm fusion code (quick plan)', () => {
  it('meets all three acceptance checks', () => {
    expect(qualityCheck(study.sweep).met).toBe(true);
    expect(faultCheck(study.broken).met).toBe(true);
    expect(clusterCheck(study.clustering).met).toBe(true);
    expect(reportFiles(study)['report.md']).toContain('(c) Each clustering algorithm recovers the reference sensor\'s group: **met**');
  });

  it('scores every algorithm on both sensor qualities, with recall lower for low quality', () => {
    const scores = study.clustering!.scores;
    expect(scores.map((s) => `${s.quality} ${s.name}`)).toEqual([
      'high label propagation', 'high modularity', 'high OSort', 'low label propagation', 'low modularity', 'low OSort',
    ]);
    for (const s of scores) {
      expect(s.references).toBe(45);
      expect(s.meanWork).toBeGreaterThan(0);
    }
    const recall = (q: string) => Math.max(...scores.filter((s) => s.quality === q).map((s) => s.recall));
    expect(recall('low')).toBeLessThan(recall('high'));
  });

  it('builds the groups it scores against, and a threshold above every correlation leaves the reference alone', () => {
    const plan = clusteringPlan(5, true);
    const { series, group } = clusteringData(plan, 0, 'high');
    expect(series).toHaveLength(15);
    expect(group).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    const cluster = engine.cluster!;
    // The threshold above any correlation leaves each reference alone: recall 1/5 for group 0.
    const alone = cluster.clusterOf(series, 0, 2, 1.01, 1);
    expect(alone.mask).toBe(1);
  });
});
