// The config blob given to `init` (docs/abi.md, Config): records `key:u8 len:u8 value[len]`.
// Parsing is a pure function of the bytes so it can be tested on its own and so a bad
// blob leaves nothing half-applied.

import { fits, getU8, getUint } from "./bytes";

export const enum ConfigKey {
  HelloIntervalMs = 1,
  NeighbourTimeoutMs = 2,
  NeighbourCapacity = 3,
  PingIntervalMs = 4,
  Mtu = 5,
  LogLevel = 6,
}

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
}

function isKnown(key: i32): bool {
  return key >= ConfigKey.HelloIntervalMs && key <= ConfigKey.LogLevel;
}

function assign(cfg: Config, key: i32, value: u32): void {
  switch (key) {
    case ConfigKey.HelloIntervalMs: cfg.helloIntervalMs = value; break;
    case ConfigKey.NeighbourTimeoutMs: cfg.neighbourTimeoutMs = value; break;
    case ConfigKey.NeighbourCapacity: cfg.neighbourCapacity = value; break;
    case ConfigKey.PingIntervalMs: cfg.pingIntervalMs = value; break;
    case ConfigKey.Mtu: cfg.mtu = value; break;
    case ConfigKey.LogLevel: cfg.logLevel = value; break;
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
      if (width != 1 && width != 2 && width != 4) return ConfigResult.Malformed;
      assign(cfg, key, getUint(buf, at + 2, width));
    }
    at += 2 + width;
  }
  return checkRanges(cfg, maxMtu) ? ConfigResult.Ok : ConfigResult.OutOfRange;
}
