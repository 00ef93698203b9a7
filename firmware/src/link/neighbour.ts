// One neighbour as the link layer knows it: its hello history and how it hears us.
// A plain 20-byte record (@unmanaged: no object header) laid out inside the table's single
// buffer, so a 254-entry table costs 5 KiB and fits the ESP8266 budget.

import { currentQuality, overdueHellos } from "./quality";

// @ts-ignore: decorator
@unmanaged
export class Neighbour {
  /** Time of its last hello. */
  heardMs: u32;
  id: u16;
  /** Sequence number of the last hello heard from it. */
  lastSeq: u16;
  /** Bitmap of recent hello slots, see quality.ts. */
  window: u16;
  /** Interval it announces (u16 on the wire); tells how many of its hellos are overdue. */
  intervalMs: u16;
  /** Window slots elapsed since it was first heard, up to the window size. */
  span: u8;
  /** Its in_q of us from its last hello; 0 = it does not list us. */
  outQ: u8;
  rssi: i8;
  bidirectional: bool;
  /** Boot epoch from its hellos; another value means it restarted. */
  epoch: u16;
  /** Transmissions to it that failed in a row since its last hello (link/link.ts). */
  txFails: u8;

  /** in_q as of `now`, counting hellos that are overdue as missed. */
  quality(now: u32): u32 {
    const overdue = overdueHellos(now - this.heardMs, <u32>this.intervalMs);
    return currentQuality(<u32>this.window, <u32>this.span, overdue);
  }
}

export const NEIGHBOUR_BYTES: usize = offsetof<Neighbour>();
