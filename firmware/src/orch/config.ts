// The orchestration config keys (docs/orchestration.md, 80..95 and 96..111). The core parser
// checks their widths and skips them; this reads them into an OrchConfig only when `orch_enable`
// is 1, so a node without orchestration carries none of its state.

import { CONFIG_ARRAY_MAX, ConfigKey, configArrayLength, configArrayU32, configValue } from "../core/config";

/** Bidding strategies (`orch_bidding`). */
export const enum Bidding { FirstAccept = 0, Weighted = 1 }
export const BIDDING_MAX: u32 = 1;

export class OrchConfig {
  /** Bit k-1 set = step k (1..31) is loaded here. */
  steps: u32 = 0;
  packages: u32 = 2;
  payloadBytes: u32 = 256;
  seen: u32 = 16;
  requestIntervalMs: u32 = 200;
  requestRetries: u32 = 20;
  ackTimeoutMs: u32 = 1000;
  dispatchRetries: u32 = 3;
  reserveMs: u32 = 2000;
  acceptLimit: u32 = 1;
  bidding: u32 = Bidding.FirstAccept;
  stepCost: u32 = 0;
  sliceCost: u32 = 20000;
  /** Compute capability reported in ACCEPTs, 1..255; 0 = unknown. */
  capability: u32 = 0;
  /** Battery level reported in ACCEPTs, 0..254; 255 = unknown (mains or not measured). */
  battery: u32 = 255;
  /**
   * `orch_step_costs`, copied out of the config blob (the inbox it arrives in is reused for
   * frames): entry k-1 is the work units of step k. Always CONFIG_ARRAY_MAX long; only the first
   * `stepCostCount` entries are set. Read it through `stepCost`.
   */
  stepCosts: StaticArray<u32> = new StaticArray<u32>(<i32>CONFIG_ARRAY_MAX);
  /** Entries of `orch_step_costs`; 0 = absent, every step costs `stepCost`. */
  stepCostCount: u32 = 0;
  /** Each step's cost varies uniformly by ± this percent, 0..100. */
  costJitterPct: u32 = 0;
  /** 0 = custody ends with the receiver's ACK; else the sender keeps its copy and probes after this long. */
  custodyMs: u32 = 5000;
  /** Packages submitted here fail when older than this; 0 = no deadline. */
  deadlineMs: u32 = 0;
  /** 1 = the step-assumption heuristic is on. */
  assume: u32 = 0;
  /** A REQUEST round at least this high for a step in `canSteps` makes this node assume it. */
  assumeRounds: u32 = 5;
  /** Steps this node could load, bit k-1 = step k (1..31), for the heuristic. */
  canSteps: u32 = 0;
  /** `orch_step_bytes`, like `stepCosts`: payload bytes after step k (0 = unchanged). */
  stepBytes: StaticArray<u32> = new StaticArray<u32>(<i32>CONFIG_ARRAY_MAX);
  stepBytesCount: u32 = 0;
  /** 1 = emit ORCH_TRACE records. */
  trace: u32 = 0;
  /**
   * Package slots a submit leaves free for packages from other nodes. Without them an origin
   * that also runs the last steps (DATOR's node 1) fills its pool with new packages and can no
   * longer take its own packages back: every node waits on the next, a deadlock.
   */
  keepFree: u32 = 1;
}

/** Work units of step `step` (1..31) here: its `orch_step_costs` entry, else `orch_step_cost`. */
export function stepCost(c: OrchConfig, step: u32): u32 {
  if (step >= 1 && step <= c.stepCostCount) return unchecked(c.stepCosts[<i32>step - 1]);
  return c.stepCost;
}

/** Payload bytes a simulated step `step` hands on: its `orch_step_bytes` entry; 0 = unchanged. */
export function stepBytes(c: OrchConfig, step: u32): u32 {
  return step >= 1 && step <= c.stepBytesCount ? unchecked(c.stepBytes[<i32>step - 1]) : 0;
}

/** `orch_enable` is 1. */
export function wantsOrch(buf: usize, len: u32): bool {
  return configValue(buf, len, ConfigKey.OrchEnable, 0) == 1;
}

function inRange(v: u32, lo: u32, hi: u32): bool {
  return v >= lo && v <= hi;
}

/** Reads the keys into `c`; false when one is out of range (docs/abi.md, Config). */
export function parseOrchConfig(buf: usize, len: u32, c: OrchConfig): bool {
  if (configValue(buf, len, ConfigKey.OrchEnable, 0) > 1) return false;
  c.steps = configValue(buf, len, ConfigKey.OrchSteps, c.steps);
  c.packages = configValue(buf, len, ConfigKey.OrchPackages, c.packages);
  c.payloadBytes = configValue(buf, len, ConfigKey.OrchPayloadBytes, c.payloadBytes);
  c.seen = configValue(buf, len, ConfigKey.OrchSeen, c.seen);
  c.requestIntervalMs = configValue(buf, len, ConfigKey.OrchRequestIntervalMs, c.requestIntervalMs);
  c.requestRetries = configValue(buf, len, ConfigKey.OrchRequestRetries, c.requestRetries);
  c.ackTimeoutMs = configValue(buf, len, ConfigKey.OrchAckTimeoutMs, c.ackTimeoutMs);
  c.dispatchRetries = configValue(buf, len, ConfigKey.OrchDispatchRetries, c.dispatchRetries);
  c.reserveMs = configValue(buf, len, ConfigKey.OrchReserveMs, c.reserveMs);
  c.acceptLimit = configValue(buf, len, ConfigKey.OrchAcceptLimit, c.acceptLimit);
  c.bidding = configValue(buf, len, ConfigKey.OrchBidding, c.bidding);
  c.stepCost = configValue(buf, len, ConfigKey.OrchStepCost, c.stepCost);
  c.sliceCost = configValue(buf, len, ConfigKey.OrchSliceCost, c.sliceCost);
  c.capability = configValue(buf, len, ConfigKey.OrchCapability, c.capability);
  c.battery = configValue(buf, len, ConfigKey.OrchBattery, c.battery);
  c.costJitterPct = configValue(buf, len, ConfigKey.OrchCostJitterPct, c.costJitterPct);
  c.custodyMs = configValue(buf, len, ConfigKey.OrchCustodyMs, c.custodyMs);
  c.deadlineMs = configValue(buf, len, ConfigKey.OrchDeadlineMs, c.deadlineMs);
  c.assume = configValue(buf, len, ConfigKey.OrchAssume, c.assume);
  c.assumeRounds = configValue(buf, len, ConfigKey.OrchAssumeRounds, c.assumeRounds);
  c.canSteps = configValue(buf, len, ConfigKey.OrchCanSteps, c.canSteps);
  c.trace = configValue(buf, len, ConfigKey.OrchTrace, c.trace);
  c.keepFree = configValue(buf, len, ConfigKey.OrchKeepFree, c.keepFree);
  const costs = readTable(buf, len, ConfigKey.OrchStepCosts, 100000000, c.stepCosts);
  const bytes = readTable(buf, len, ConfigKey.OrchStepBytes, 65535, c.stepBytes);
  if (costs < 0 || bytes < 0) return false;
  c.stepCostCount = <u32>costs;
  c.stepBytesCount = <u32>bytes;
  // A step's output must fit the package slots.
  for (let i = 0; i < bytes; i++) if (unchecked(c.stepBytes[i]) > c.payloadBytes) return false;
  return c.steps <= 0x7fffffff && inRange(c.packages, 1, 32) && inRange(c.payloadBytes, 16, 65535) && inRange(c.seen, 1, 255)
    && inRange(c.requestIntervalMs, 10, 60000) && c.requestRetries <= 255
    && inRange(c.ackTimeoutMs, 10, 60000) && inRange(c.dispatchRetries, 0, 15)
    && inRange(c.reserveMs, 10, 60000) && inRange(c.acceptLimit, 1, 32) && c.bidding <= BIDDING_MAX
    && c.stepCost <= 100000000 && inRange(c.sliceCost, 100, 100000000)
    && c.capability <= 255 && c.battery <= 255
    && c.costJitterPct <= 100 && c.custodyMs <= 3600000 && c.deadlineMs <= 86400000
    && c.assume <= 1 && inRange(c.assumeRounds, 1, 255) && c.canSteps <= 0x7fffffff && c.trace <= 1 && c.keepFree <= 31;
}

/**
 * Copies the `u32[]` record `key` (the core parser checked its length) into `into`: its entry
 * count (0 when absent), or -1 when an entry is above `max`.
 */
function readTable(buf: usize, len: u32, key: i32, max: u32, into: StaticArray<u32>): i32 {
  const n = configArrayLength(buf, len, key);
  if (n < 0) return 0;
  if (<u32>n > CONFIG_ARRAY_MAX) return -1;
  for (let i = 0; i < n; i++) {
    const v = configArrayU32(buf, len, key, <u32>i, 0);
    if (v > max) return -1;
    unchecked(into[i] = v);
  }
  return n;
}
