// The config blob given to `init` (docs/abi.md, Config): records `key:u8 len:u8 value[len]`.
// Parsing is a pure function of the bytes so it can be tested on its own and so a bad
// blob leaves nothing half-applied.

import { fits, getU8, getU32, getUint } from "./bytes";

export const enum ConfigKey {
  HelloIntervalMs = 1,
  NeighbourTimeoutMs = 2,
  NeighbourCapacity = 3,
  PingIntervalMs = 4,
  Mtu = 5,
  LogLevel = 6,
  // Routing (route/): 16..31.
  RouteCapacity = 16,
  HopLimit = 17,
  TrickleIminMs = 18,
  TrickleDoublings = 19,
  TrickleK = 20,
  HolddownMs = 21,
  UpdateGapMs = 22,
  FloodCache = 23,
  FloodJitterMs = 24,
  LinkFailLimit = 25,
  // Reliable delivery (link/reliable.ts, route/fragment.ts, route/reassembly.ts): 32..47.
  AckTimeoutMs = 32,
  LinkRetries = 33,
  ReliablePool = 34,
  DupCache = 35,
  FragBufferBytes = 36,
  FragBuffers = 37,
  SendBuffers = 38,
  FragTimeoutMs = 39,
  FragRetries = 40,
  FragDeadlineMs = 41,
  MsgSources = 42,
  // Tree mode and the node lifecycle (life/, docs/routing.md "Tree mode"): 48..63.
  RouteMode = 48,
  TreeRoot = 49,
  TreeScanRetryMs = 50,
  TreeScanRetryMaxMs = 51,
  TreeScanTimeoutMs = 52,
  TreeJoinTimeoutMs = 53,
  TreeRegisterTimeoutMs = 54,
  TreeMaxJoinAttempts = 55,
  TreeRecoveryTimeoutMs = 56,
  TreeAwaitTimeoutMs = 57,
  TreeMaxChildren = 58,
  TreeFailLimit = 59,
  // Inference steps (infer/exec/, docs/steps.md): 64..79. Parsed by infer/exec/config.ts, so a
  // node without a step carries none of their state.
  InferStep = 64,
  InferModelBlob = 65,
  InferFirstLayer = 66,
  InferLastLayer = 67,
  InferChunkBytes = 68,
  InferSliceMacs = 69,
  // Orchestration (orch/, docs/orchestration.md): 80..95. Parsed by orch/config.ts, so a node
  // with orchestration off carries none of its state.
  OrchEnable = 80,
  OrchSteps = 81,
  OrchPackages = 82,
  OrchPayloadBytes = 83,
  OrchSeen = 84,
  OrchRequestIntervalMs = 85,
  OrchRequestRetries = 86,
  OrchAckTimeoutMs = 87,
  OrchDispatchRetries = 88,
  OrchReserveMs = 89,
  OrchAcceptLimit = 90,
  OrchBidding = 91,
  OrchStepCost = 92,
  OrchSliceCost = 93,
  OrchCapability = 94,
  OrchBattery = 95,
  // Orchestration, continued: 96..111.
  OrchStepCosts = 96,
  OrchCostJitterPct = 97,
  OrchCustodyMs = 98,
  OrchDeadlineMs = 99,
  OrchAssume = 100,
  OrchAssumeRounds = 101,
  OrchCanSteps = 102,
  OrchStepBytes = 103,
  OrchTrace = 104,
  OrchKeepFree = 105,
  // Sensor fusion (fuse/, docs/fusion.md): 112..127. Parsed by fuse/config.ts.
  FuseRole = 112,
  FuseSink = 113,
  FusePeriodMs = 114,
  FuseChannel = 115,
  FuseAccuracyMilli = 116,
  FusePhenomenon = 117,
  FuseQos = 118,
  FuseSensors = 119,
  FuseWindow = 120,
  FuseCluster = 121,
  FuseReference = 122,
  FuseClusterEvery = 123,
  FuseThresholdMilli = 124,
  FuseSensorTimeout = 125,
}

/** Entries of a `u32[]` key: 4 bytes each, at least one, at most this many (124 bytes). */
export const CONFIG_ARRAY_MAX: u32 = 31;

/** `route_mode`: mesh over a broadcast radio, or a HERMES tree over Wi-Fi softAP/STA links. */
export const enum RouteMode { Mesh = 0, Tree = 1 }

export const enum ConfigResult { Ok = 0, Malformed = -1, OutOfRange = -2 }

export const INTERVAL_MIN: u32 = 50;
export const INTERVAL_MAX: u32 = 600000;
/** HELLO carries the interval as u16 (docs/wire.md), so beacons cannot be slower. */
export const HELLO_INTERVAL_MAX: u32 = 65535;
export const TIMEOUT_MAX: u32 = 3600000;
export const CAPACITY_MAX: u32 = 254;
export const MTU_MIN: u32 = 32;

export class Config {
  helloIntervalMs: u32 = 1000;
  neighbourTimeoutMs: u32 = 3500;
  neighbourCapacity: u32 = 16;
  pingIntervalMs: u32 = 0;
  mtu: u32 = 250;
  logLevel: u32 = 1;
  // Routing (docs/routing.md).
  routeCapacity: u32 = 32;
  hopLimit: u32 = 16;
  trickleIminMs: u32 = 500;
  trickleDoublings: u32 = 8;
  trickleK: u32 = 2;
  /** 0 = as long as `neighbourTimeoutMs`. */
  holddownMs: u32 = 0;
  updateGapMs: u32 = 100;
  floodCache: u32 = 32;
  floodJitterMs: u32 = 20;
  /** 0 = never drop a neighbour for failed transmissions. */
  linkFailLimit: u32 = 8;
  // Reliable delivery (docs/delivery.md).
  ackTimeoutMs: u32 = 40;
  linkRetries: u32 = 4;
  reliablePool: u32 = 4;
  dupCache: u32 = 16;
  fragBufferBytes: u32 = 2048;
  fragBuffers: u32 = 1;
  sendBuffers: u32 = 1;
  fragTimeoutMs: u32 = 250;
  fragRetries: u32 = 8;
  fragDeadlineMs: u32 = 30000;
  msgSources: u32 = 8;
  // Tree mode (docs/routing.md, "Tree mode").
  routeMode: u32 = 0;
  treeRoot: u32 = 0;
  treeScanRetryMs: u32 = 1000;
  treeScanRetryMaxMs: u32 = 16000;
  treeScanTimeoutMs: u32 = 10000;
  treeJoinTimeoutMs: u32 = 15000;
  treeRegisterTimeoutMs: u32 = 2000;
  treeMaxJoinAttempts: u32 = 3;
  treeRecoveryTimeoutMs: u32 = 30000;
  treeAwaitTimeoutMs: u32 = 60000;
  treeMaxChildren: u32 = 8;
  /** 0 = never drop a child for failed transmissions. */
  treeFailLimit: u32 = 4;
}

function isKnown(key: i32): bool {
  return (key >= ConfigKey.HelloIntervalMs && key <= ConfigKey.LogLevel) || isRouteKey(key) || isDeliveryKey(key) || isTreeKey(key) || isInferKey(key) || isOrchKey(key) || isFuseKey(key);
}

/** Known here so their widths are checked; their values are read by fuse/config.ts. */
export function isFuseKey(key: i32): bool {
  return key >= ConfigKey.FuseRole && key <= ConfigKey.FuseSensorTimeout;
}

/** Known here so their widths are checked; their values are read by orch/config.ts. */
export function isOrchKey(key: i32): bool {
  return key >= ConfigKey.OrchEnable && key <= ConfigKey.OrchKeepFree;
}

/** Keys whose value is a `u32[]`: `len` a multiple of 4, 1..CONFIG_ARRAY_MAX entries. */
export function isArrayKey(key: i32): bool {
  return key == ConfigKey.OrchStepCosts || key == ConfigKey.OrchStepBytes;
}

/** A record length a known key may have: 1, 2 or 4 for a scalar, 4..124 in steps of 4 for a `u32[]`. */
function widthOk(key: i32, width: u32): bool {
  if (isArrayKey(key)) return width >= 4 && width <= 4 * CONFIG_ARRAY_MAX && (width & 3) == 0;
  return width == 1 || width == 2 || width == 4;
}

/** Known here so their widths are checked; their values are read by infer/exec/config.ts. */
export function isInferKey(key: i32): bool {
  return key >= ConfigKey.InferStep && key <= ConfigKey.InferSliceMacs;
}

function isTreeKey(key: i32): bool {
  return key >= ConfigKey.RouteMode && key <= ConfigKey.TreeFailLimit;
}

function isRouteKey(key: i32): bool {
  return key >= ConfigKey.RouteCapacity && key <= ConfigKey.LinkFailLimit;
}

function isDeliveryKey(key: i32): bool {
  return key >= ConfigKey.AckTimeoutMs && key <= ConfigKey.MsgSources;
}

function assign(cfg: Config, key: i32, value: u32): void {
  switch (key) {
    case ConfigKey.HelloIntervalMs: cfg.helloIntervalMs = value; break;
    case ConfigKey.NeighbourTimeoutMs: cfg.neighbourTimeoutMs = value; break;
    case ConfigKey.NeighbourCapacity: cfg.neighbourCapacity = value; break;
    case ConfigKey.PingIntervalMs: cfg.pingIntervalMs = value; break;
    case ConfigKey.Mtu: cfg.mtu = value; break;
    case ConfigKey.LogLevel: cfg.logLevel = value; break;
    case ConfigKey.RouteCapacity: cfg.routeCapacity = value; break;
    case ConfigKey.HopLimit: cfg.hopLimit = value; break;
    case ConfigKey.TrickleIminMs: cfg.trickleIminMs = value; break;
    case ConfigKey.TrickleDoublings: cfg.trickleDoublings = value; break;
    case ConfigKey.TrickleK: cfg.trickleK = value; break;
    case ConfigKey.HolddownMs: cfg.holddownMs = value; break;
    case ConfigKey.UpdateGapMs: cfg.updateGapMs = value; break;
    case ConfigKey.FloodCache: cfg.floodCache = value; break;
    case ConfigKey.FloodJitterMs: cfg.floodJitterMs = value; break;
    case ConfigKey.LinkFailLimit: cfg.linkFailLimit = value; break;
    case ConfigKey.AckTimeoutMs: cfg.ackTimeoutMs = value; break;
    case ConfigKey.LinkRetries: cfg.linkRetries = value; break;
    case ConfigKey.ReliablePool: cfg.reliablePool = value; break;
    case ConfigKey.DupCache: cfg.dupCache = value; break;
    case ConfigKey.FragBufferBytes: cfg.fragBufferBytes = value; break;
    case ConfigKey.FragBuffers: cfg.fragBuffers = value; break;
    case ConfigKey.SendBuffers: cfg.sendBuffers = value; break;
    case ConfigKey.FragTimeoutMs: cfg.fragTimeoutMs = value; break;
    case ConfigKey.FragRetries: cfg.fragRetries = value; break;
    case ConfigKey.FragDeadlineMs: cfg.fragDeadlineMs = value; break;
    case ConfigKey.MsgSources: cfg.msgSources = value; break;
    case ConfigKey.RouteMode: cfg.routeMode = value; break;
    case ConfigKey.TreeRoot: cfg.treeRoot = value; break;
    case ConfigKey.TreeScanRetryMs: cfg.treeScanRetryMs = value; break;
    case ConfigKey.TreeScanRetryMaxMs: cfg.treeScanRetryMaxMs = value; break;
    case ConfigKey.TreeScanTimeoutMs: cfg.treeScanTimeoutMs = value; break;
    case ConfigKey.TreeJoinTimeoutMs: cfg.treeJoinTimeoutMs = value; break;
    case ConfigKey.TreeRegisterTimeoutMs: cfg.treeRegisterTimeoutMs = value; break;
    case ConfigKey.TreeMaxJoinAttempts: cfg.treeMaxJoinAttempts = value; break;
    case ConfigKey.TreeRecoveryTimeoutMs: cfg.treeRecoveryTimeoutMs = value; break;
    case ConfigKey.TreeAwaitTimeoutMs: cfg.treeAwaitTimeoutMs = value; break;
    case ConfigKey.TreeMaxChildren: cfg.treeMaxChildren = value; break;
    case ConfigKey.TreeFailLimit: cfg.treeFailLimit = value; break;
  }
}

/** Range checks run after every record is read, because the timeout is bounded by the interval. */
export function checkRanges(cfg: Config, maxMtu: u32): bool {
  const hello = cfg.helloIntervalMs;
  if (hello < INTERVAL_MIN || hello > HELLO_INTERVAL_MAX) return false;
  if (cfg.neighbourTimeoutMs <= hello || cfg.neighbourTimeoutMs > TIMEOUT_MAX) return false;
  if (cfg.neighbourCapacity < 1 || cfg.neighbourCapacity > CAPACITY_MAX) return false;
  const ping = cfg.pingIntervalMs;
  if (ping != 0 && (ping < INTERVAL_MIN || ping > INTERVAL_MAX)) return false;
  if (cfg.mtu < MTU_MIN || cfg.mtu > maxMtu) return false;
  if (cfg.logLevel > 3) return false;
  if (!routeRangesOk(cfg)) return false;
  if (!deliveryRangesOk(cfg)) return false;
  if (!treeRangesOk(cfg)) return false;
  return true;
}

export const ROUTE_CAPACITY_MAX: u32 = 1024;

/** Bounds of the routing keys (docs/abi.md, Config). */
function routeRangesOk(cfg: Config): bool {
  if (cfg.routeCapacity < 1 || cfg.routeCapacity > ROUTE_CAPACITY_MAX) return false;
  if (cfg.hopLimit < 1 || cfg.hopLimit > 255) return false;
  if (cfg.trickleIminMs < 50 || cfg.trickleIminMs > 60000) return false;
  if (cfg.trickleDoublings > 16) return false;
  if (cfg.trickleK > 255) return false;
  if (cfg.holddownMs > TIMEOUT_MAX) return false;
  if (cfg.updateGapMs < 10 || cfg.updateGapMs > 60000) return false;
  if (cfg.floodCache < 1 || cfg.floodCache > 255) return false;
  if (cfg.floodJitterMs > 1000) return false;
  if (cfg.linkFailLimit > 255) return false;
  return true;
}

/** Bounds of the delivery keys (docs/abi.md, Config); the sizes keep every pool within u16 lengths. */
function deliveryRangesOk(cfg: Config): bool {
  if (cfg.ackTimeoutMs < 5 || cfg.ackTimeoutMs > 10000) return false;
  if (cfg.linkRetries > 15) return false;
  if (cfg.reliablePool < 1 || cfg.reliablePool > 64) return false;
  if (cfg.dupCache < 1 || cfg.dupCache > 255) return false;
  if (cfg.fragBufferBytes < 256 || cfg.fragBufferBytes > 65535) return false;
  if (cfg.fragBuffers > 16 || cfg.sendBuffers > 16) return false;
  if (cfg.fragTimeoutMs < 10 || cfg.fragTimeoutMs > 60000) return false;
  if (cfg.fragRetries < 1 || cfg.fragRetries > 255) return false;
  if (cfg.fragDeadlineMs < 100 || cfg.fragDeadlineMs > TIMEOUT_MAX) return false;
  if (cfg.msgSources < 1 || cfg.msgSources > 64) return false;
  return true;
}

/** Bounds of the tree-mode keys (docs/abi.md, Config). */
function treeRangesOk(cfg: Config): bool {
  if (cfg.routeMode > 1 || cfg.treeRoot > 1) return false;
  if (cfg.treeScanRetryMs < 100 || cfg.treeScanRetryMs > 60000) return false;
  if (cfg.treeScanRetryMaxMs < 100 || cfg.treeScanRetryMaxMs > 600000) return false;
  if (cfg.treeScanTimeoutMs < 1000 || cfg.treeScanTimeoutMs > 60000) return false;
  if (cfg.treeJoinTimeoutMs < 1000 || cfg.treeJoinTimeoutMs > 60000) return false;
  if (cfg.treeRegisterTimeoutMs < 100 || cfg.treeRegisterTimeoutMs > 60000) return false;
  if (cfg.treeMaxJoinAttempts < 1 || cfg.treeMaxJoinAttempts > 16) return false;
  if (cfg.treeRecoveryTimeoutMs < 1000 || cfg.treeRecoveryTimeoutMs > TIMEOUT_MAX) return false;
  if (cfg.treeAwaitTimeoutMs < 1000 || cfg.treeAwaitTimeoutMs > TIMEOUT_MAX) return false;
  if (cfg.treeMaxChildren < 1 || cfg.treeMaxChildren > 32) return false;
  if (cfg.treeFailLimit > 255) return false;
  return true;
}

/**
 * Parses `len` bytes at `buf` into `cfg`, which the caller has set to defaults. Unknown keys
 * are skipped whatever their length, so a newer host can configure an older module.
 * Returns a ConfigResult; `cfg` is only meaningful on Ok.
 */
export function parseConfig(buf: usize, len: u32, maxMtu: u32, cfg: Config): i32 {
  let at: u32 = 0;
  while (at < len) {
    if (!fits(len, at, 2)) return ConfigResult.Malformed;
    const key = <i32>getU8(buf, at);
    const width = getU8(buf, at + 1);
    if (!fits(len, at + 2, width)) return ConfigResult.Malformed;
    if (isKnown(key)) {
      if (!widthOk(key, width)) return ConfigResult.Malformed;
      if (!isArrayKey(key)) assign(cfg, key, getUint(buf, at + 2, width));
    }
    at += 2 + width;
  }
  return checkRanges(cfg, maxMtu) ? ConfigResult.Ok : ConfigResult.OutOfRange;
}

/** Value of scalar `key` in a config blob the core parser accepted, or `dflt` when absent (the last record wins). */
export function configValue(buf: usize, len: u32, key: i32, dflt: u32): u32 {
  let at: u32 = 0;
  let value = dflt;
  while (at < len && fits(len, at, 2)) {
    const k = <i32>getU8(buf, at);
    const width = getU8(buf, at + 1);
    if (!fits(len, at + 2, width)) break;
    if (k == key) value = getUint(buf, at + 2, width);
    at += 2 + width;
  }
  return value;
}

/** Offset of the last record of `key` in a config blob the core parser accepted, or -1 when absent. */
function lastRecord(buf: usize, len: u32, key: i32): i32 {
  let at: u32 = 0;
  let found: i32 = -1;
  while (at < len && fits(len, at, 2)) {
    const width = getU8(buf, at + 1);
    if (!fits(len, at + 2, width)) break;
    if (<i32>getU8(buf, at) == key) found = <i32>at;
    at += 2 + width;
  }
  return found;
}

/** Entries of the `u32[]` key `key` in a config blob the core parser accepted, or -1 when absent (the last record wins). */
export function configArrayLength(buf: usize, len: u32, key: i32): i32 {
  const at = lastRecord(buf, len, key);
  return at < 0 ? -1 : <i32>(getU8(buf, <u32>at + 1) >> 2);
}

/** Entry `index` of the `u32[]` key `key`, or `fallback` when the key is absent or has no such entry. */
export function configArrayU32(buf: usize, len: u32, key: i32, index: u32, fallback: u32): u32 {
  const at = lastRecord(buf, len, key);
  if (at < 0 || index >= (getU8(buf, <u32>at + 1) >> 2)) return fallback;
  return getU32(buf, <u32>at + 2 + 4 * index);
}
