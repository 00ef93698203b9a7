// Entry of every received frame: validate, count exactly one outcome, and tell the caller
// whether the frame may go up the stack.

import { count } from "../core/counters";
import { Drop } from "./drop";
import { decodeFrame, Header } from "./header";
import { countFrameCategory, WIRE_DROP_BASE, WIRE_RX } from "./counters";

export function receiveFrame(frame: usize, len: u32, mtu: u32, hasKey: bool, out: Header): bool {
  const reason = decodeFrame(frame, len, mtu, hasKey, out);
  if (reason == Drop.None) {
    count(WIRE_RX);
    countFrameCategory(frame, len, true);
    return true;
  }
  count(WIRE_DROP_BASE + reason);
  return false;
}
