// Level filter in front of the HAL `log`: the configured `log_level` decides in the node,
// so a quiet node does not pay for crossing the ABI.

import { logText } from "../hal";

let threshold: u32 = 1;

export function setLogLevel(level: u32): void {
  threshold = level;
}

/** Logs a static message if `level` is enabled. Never build strings for this on hot paths. */
export function logAt(level: u32, text: string): void {
  if (level <= threshold) logText(level, text);
}
