// The fusion config keys (docs/fusion.md, 112..125). The core parser checks their widths and
// skips them; this reads them into a FuseConfig only when `fuse_role` is not 0, so a node
// without fusion carries none of its state.

import { ConfigKey, configValue } from "../core/config";
import { QOS_MAX, QOS_MIN } from "./qos";

/** `fuse_role`. */
export const enum FuseRole { Off = 0, Sensor = 1, Fusion = 2 }

/** Sensors a fusion node can follow at once: their cluster is a 32-bit mask. */
export const FUSE_SENSORS_MAX: u32 = 32;
export const FUSE_WINDOW_MIN: u32 = 4;
export const FUSE_WINDOW_MAX: u32 = 64;

export class FuseConfig {
  role: u32 = FuseRole.Off;
  /** Sensor role: the fusion node its readings go to. */
  sink: u32 = 0;
  /** The time step: a sensor reads and sends once per period, a fusion node fuses once. */
  periodMs: u32 = 1000;
  /** Sensor role: the HAL sensor channel read. */
  channel: u32 = 0;
  /** Sensor role: the accuracy sent with a channel that gives only a value, in 1/1000 units. */
  accuracyMilli: u32 = 1000;
  /** What is measured (sensor) or fused (fusion node): readings of others are not mixed in. */
  phenomenon: u32 = 0;
  qos: u32 = 1;
  sensors: u32 = 16;
  window: u32 = 32;
  /** ClusterAlgo; 0 = fuse every sensor heard. */
  cluster: u32 = 0;
  /** The sensor whose cluster is fused (clustering on). */
  reference: u32 = 0;
  clusterEvery: u32 = 16;
  thresholdMilli: u32 = 700;
  /** Steps a sensor may stay silent before its slot is freed. */
  sensorTimeout: u32 = 3;
}

/** `fuse_role` is not 0. */
export function wantsFuse(buf: usize, len: u32): bool {
  return configValue(buf, len, ConfigKey.FuseRole, 0) != 0;
}

function inRange(v: u32, lo: u32, hi: u32): bool {
  return v >= lo && v <= hi;
}

function isNode(id: u32): bool {
  return id != 0 && id < 0xffff;
}

/** Reads the keys into `c`; false when one is out of range (docs/abi.md, Config). */
export function parseFuseConfig(buf: usize, len: u32, c: FuseConfig): bool {
  c.role = configValue(buf, len, ConfigKey.FuseRole, c.role);
  c.sink = configValue(buf, len, ConfigKey.FuseSink, c.sink);
  c.periodMs = configValue(buf, len, ConfigKey.FusePeriodMs, c.periodMs);
  c.channel = configValue(buf, len, ConfigKey.FuseChannel, c.channel);
  c.accuracyMilli = configValue(buf, len, ConfigKey.FuseAccuracyMilli, c.accuracyMilli);
  c.phenomenon = configValue(buf, len, ConfigKey.FusePhenomenon, c.phenomenon);
  c.qos = configValue(buf, len, ConfigKey.FuseQos, c.qos);
  c.sensors = configValue(buf, len, ConfigKey.FuseSensors, c.sensors);
  c.window = configValue(buf, len, ConfigKey.FuseWindow, c.window);
  c.cluster = configValue(buf, len, ConfigKey.FuseCluster, c.cluster);
  c.reference = configValue(buf, len, ConfigKey.FuseReference, c.reference);
  c.clusterEvery = configValue(buf, len, ConfigKey.FuseClusterEvery, c.clusterEvery);
  c.thresholdMilli = configValue(buf, len, ConfigKey.FuseThresholdMilli, c.thresholdMilli);
  c.sensorTimeout = configValue(buf, len, ConfigKey.FuseSensorTimeout, c.sensorTimeout);
  return c.role <= 2 && c.sink < 0xffff && inRange(c.periodMs, 100, 3600000) && c.channel <= 255
    && inRange(c.accuracyMilli, 1, 1000000000) && c.phenomenon <= 255 && inRange(c.qos, QOS_MIN, QOS_MAX)
    && inRange(c.sensors, 1, FUSE_SENSORS_MAX) && inRange(c.window, FUSE_WINDOW_MIN, FUSE_WINDOW_MAX)
    && c.cluster <= 3 && c.reference < 0xffff && inRange(c.clusterEvery, 1, 65535)
    && c.thresholdMilli <= 1000 && inRange(c.sensorTimeout, 1, 255);
}

/** What the role needs besides ranges: a sensor somewhere to send, clustering a reference. */
export function fuseRoleReady(c: FuseConfig): bool {
  if (c.role == FuseRole.Sensor) return isNode(c.sink);
  if (c.role == FuseRole.Fusion) return c.cluster == 0 || isNode(c.reference);
  return false;
}
