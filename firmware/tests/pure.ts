// Test entry (not a node program): the pure functions of the link-quality estimator and
// the config parser, callable one by one.

import { Config, parseConfig } from "../src/core/config";
import { currentQuality, isRestart, overdueHellos, seqGap, slideSpan, slideWindow, windowQuality } from "../src/link/quality";
import { jitteredInterval } from "../src/link/beacon";

const SCRATCH: u32 = 1024;
const scratch = memory.data(<i32>SCRATCH);
let config = new Config();

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
  config = new Config();
  return parseConfig(scratch, len, maxMtu, config);
}

/** Field of the last parsed config, by config key (1..6). */
export function config_value(key: u32): u32 {
  switch (key) {
    case 1: return config.helloIntervalMs;
    case 2: return config.neighbourTimeoutMs;
    case 3: return config.neighbourCapacity;
    case 4: return config.pingIntervalMs;
    case 5: return config.mtu;
    case 6: return config.logLevel;
  }
  return 0xffffffff;
}
