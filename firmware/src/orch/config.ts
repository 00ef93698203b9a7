// The orchestration config keys (docs/orchestration.md, 80..95). The core parser checks their
// widths and skips them; this reads them into an OrchConfig only when `orch_enable` is 1, so a
// node without orchestration carries none of its state.

import { ConfigKey, configValue } from "../core/config";

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
  return c.steps <= 0x7fffffff && inRange(c.packages, 1, 32) && inRange(c.payloadBytes, 16, 65535) && inRange(c.seen, 1, 255)
    && inRange(c.requestIntervalMs, 10, 60000) && inRange(c.requestRetries, 1, 255)
    && inRange(c.ackTimeoutMs, 10, 60000) && inRange(c.dispatchRetries, 0, 15)
    && inRange(c.reserveMs, 10, 60000) && inRange(c.acceptLimit, 1, 32) && c.bidding <= BIDDING_MAX
    && c.stepCost <= 100000000 && inRange(c.sliceCost, 100, 100000000)
    && c.capability <= 255 && c.battery <= 255;
}
