// Test entry (not a node program): the pure functions of the link-quality estimator and
// the config parser, callable one by one.

import { Config, configArrayLength, configArrayU32, configValue, parseConfig } from "../src/core/config";
import { InferConfig, parseInferConfig } from "../src/infer/exec/config";
import { OrchConfig, parseOrchConfig, stepCost } from "../src/orch/config";
import { FuseConfig, parseFuseConfig } from "../src/fuse/config";
import { stepAfter, stepLoaded, stepsHere, targetAt, nextCounter } from "../src/orch/decide";
import { better, collectWindow, hopsOf, score, shouldAccept, takeOffer } from "../src/orch/bidding";
import { SeenCache } from "../src/orch/seen";
import { currentQuality, isRestart, overdueHellos, seqGap, slideSpan, slideWindow, windowQuality } from "../src/link/quality";
import { jitteredInterval } from "../src/link/beacon";

const SCRATCH: u32 = 1024;
const scratch = memory.data(<i32>SCRATCH);
let config = new Config();
let infer = new InferConfig();
let inferStep: u32 = 0;
let orch = new OrchConfig();
let orchEnable: u32 = 0;
let fuse = new FuseConfig();
let configLen: u32 = 0;

export function buffer(): usize { return scratch; }

export function seq_gap(last: u32, seq: u32): u32 { return seqGap(last, seq); }
export function is_restart(gap: u32): bool { return isRestart(gap); }
export function slide_window(window: u32, gap: u32): u32 { return slideWindow(window, gap); }
export function slide_span(span: u32, gap: u32): u32 { return slideSpan(span, gap); }
export function window_quality(window: u32, span: u32): u32 { return windowQuality(window, span); }
export function overdue_hellos(ageMs: u32, intervalMs: u32): u32 { return overdueHellos(ageMs, intervalMs); }
export function current_quality(window: u32, span: u32, overdue: u32): u32 { return currentQuality(window, span, overdue); }
export function jittered_interval(intervalMs: u32, random: u32): u32 { return jitteredInterval(intervalMs, random); }

/** Parses `len` bytes of the buffer into a fresh default config; returns the parser's result. */
export function parse_config(len: u32, maxMtu: u32): i32 {
  configLen = len;
  config = new Config();
  infer = new InferConfig();
  const rc = parseConfig(scratch, len, maxMtu, config);
  inferStep = configValue(scratch, len, 64, 0);
  if (rc == 0 && (inferStep > 1 || !parseInferConfig(scratch, len, infer))) return -2;
  orch = new OrchConfig();
  orchEnable = configValue(scratch, len, 80, 0);
  if (rc == 0 && (orchEnable > 1 || !parseOrchConfig(scratch, len, orch))) return -2;
  fuse = new FuseConfig();
  if (rc == 0 && !parseFuseConfig(scratch, len, fuse)) return -2;
  return rc;
}

/** Field of the last parsed config, by config key. */
export function config_value(key: u32): u32 {
  switch (key) {
    case 1: return config.helloIntervalMs;
    case 2: return config.neighbourTimeoutMs;
    case 3: return config.neighbourCapacity;
    case 4: return config.pingIntervalMs;
    case 5: return config.mtu;
    case 6: return config.logLevel;
    case 16: return config.routeCapacity;
    case 17: return config.hopLimit;
    case 18: return config.trickleIminMs;
    case 19: return config.trickleDoublings;
    case 20: return config.trickleK;
    case 21: return config.holddownMs;
    case 22: return config.updateGapMs;
    case 23: return config.floodCache;
    case 24: return config.floodJitterMs;
    case 25: return config.linkFailLimit;
    case 32: return config.ackTimeoutMs;
    case 33: return config.linkRetries;
    case 34: return config.reliablePool;
    case 35: return config.dupCache;
    case 36: return config.fragBufferBytes;
    case 37: return config.fragBuffers;
    case 38: return config.sendBuffers;
    case 39: return config.fragTimeoutMs;
    case 40: return config.fragRetries;
    case 41: return config.fragDeadlineMs;
    case 42: return config.msgSources;
    case 48: return config.routeMode;
    case 49: return config.treeRoot;
    case 50: return config.treeScanRetryMs;
    case 51: return config.treeScanRetryMaxMs;
    case 52: return config.treeScanTimeoutMs;
    case 53: return config.treeJoinTimeoutMs;
    case 54: return config.treeRegisterTimeoutMs;
    case 55: return config.treeMaxJoinAttempts;
    case 56: return config.treeRecoveryTimeoutMs;
    case 57: return config.treeAwaitTimeoutMs;
    case 58: return config.treeMaxChildren;
    case 59: return config.treeFailLimit;
    case 64: return inferStep;
    case 65: return infer.modelBlob;
    case 66: return infer.firstLayer;
    case 67: return infer.lastLayer;
    case 68: return infer.chunkBytes;
    case 69: return infer.sliceMacs;
    case 80: return orchEnable;
    case 81: return orch.steps;
    case 82: return orch.packages;
    case 83: return orch.payloadBytes;
    case 84: return orch.seen;
    case 85: return orch.requestIntervalMs;
    case 86: return orch.requestRetries;
    case 87: return orch.ackTimeoutMs;
    case 88: return orch.dispatchRetries;
    case 89: return orch.reserveMs;
    case 90: return orch.acceptLimit;
    case 91: return orch.bidding;
    case 92: return orch.stepCost;
    case 93: return orch.sliceCost;
    case 94: return orch.capability;
    case 95: return orch.battery;
    case 96: return orch.stepCostCount; // a u32[]: its entries through orch_step_cost
    case 97: return orch.costJitterPct;
    case 98: return orch.custodyMs;
    case 99: return orch.deadlineMs;
    case 100: return orch.assume;
    case 101: return orch.assumeRounds;
    case 102: return orch.canSteps;
    case 103: return orch.stepBytesCount; // a u32[], like 96
    case 104: return orch.trace;
    case 105: return orch.keepFree;
    case 112: return fuse.role;
    case 113: return fuse.sink;
    case 114: return fuse.periodMs;
    case 115: return fuse.channel;
    case 116: return fuse.accuracyMilli;
    case 117: return fuse.phenomenon;
    case 118: return fuse.qos;
    case 119: return fuse.sensors;
    case 120: return fuse.window;
    case 121: return fuse.cluster;
    case 122: return fuse.reference;
    case 123: return fuse.clusterEvery;
    case 124: return fuse.thresholdMilli;
    case 125: return fuse.sensorTimeout;
  }
  return 0xffffffff;
}

/** Work units of `step` under the last parsed config (orch/config.ts, stepCost). */
export function orch_step_cost(step: u32): u32 { return stepCost(orch, step); }
/** The core helpers over the last parsed blob (still in the buffer). */
export function config_array_length(key: i32): i32 { return configArrayLength(scratch, configLen, key); }
export function config_array_u32(key: i32, index: u32, fallback: u32): u32 { return configArrayU32(scratch, configLen, key, index, fallback); }

// ---- orchestration decisions (orch/decide.ts, orch/bidding.ts, orch/seen.ts) ----

export function orch_step_loaded(mask: u32, step: u32): u32 { return stepLoaded(mask, step) ? 1 : 0; }
export function orch_steps_here(mask: u32, next: u32, last: u32): u32 { return stepsHere(mask, next, last); }
export function orch_step_after(done: u32, last: u32): u32 { return stepAfter(done, last); }
export function orch_target_at(failed: u32, t: u32, b1: u32, b2: u32): u32 { return targetAt(failed, t, b1, b2); }
export function orch_next_counter(c: u32): u32 { return nextCounter(c); }
export function orch_should_accept(strategy: u32, mask: u32, step: u32, load: u32, reserved: u32, limit: u32, free: u32): u32 {
  return shouldAccept(strategy, mask, step, load, reserved, limit, free) ? 1 : 0;
}
export function orch_take_offer(strategy: u32, waiting: u32): u32 { return takeOffer(strategy, waiting != 0, 0) ? 1 : 0; }
export function orch_score(capability: u32, queue: u32, hops: u32, battery: u32): i32 { return score(capability, queue, hops, battery); }
export function orch_better(scoreA: i32, idA: u32, scoreB: i32, idB: u32): u32 { return better(scoreA, idA, scoreB, idB) ? 1 : 0; }
export function orch_hops_of(metric: u32): u32 { return hopsOf(metric); }
export function orch_collect_window(intervalMs: u32): u32 { return collectWindow(intervalMs); }
let seen = new SeenCache(3);
export function orch_seen_reset(capacity: i32): void { seen = new SeenCache(capacity); }
export function orch_seen_add(key: u32, step: u32): void { seen.add(key, step); }
export function orch_seen_has(key: u32, step: u32): u32 { return seen.has(key, step) ? 1 : 0; }
