// Hands an encoded frame to the radio and counts it, so `wire.tx` is the number of frames
// the radio accepted whatever layer built them.

import { send } from "../hal";
import { count } from "../core/counters";
import { countFrameCategory, WIRE_TX } from "./counters";

/** Returns the HAL `send` result: 0 queued, negative SendError. */
export function transmit(dst: u32, frame: usize, len: u32): i32 {
  const result = send(dst, frame, len);
  if (result >= 0) {
    count(WIRE_TX);
    countFrameCategory(frame, len, false);
  }
  return result;
}
