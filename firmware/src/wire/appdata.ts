// APP_DATA payload (docs/wire.md, 0x60): msg:u16, then the application's bytes. A message
// that fits one frame travels like this; longer ones travel as FRAG with inner type APP_DATA.

import { getU16, putU16 } from "../core/bytes";

export const APP_DATA_FIXED: u32 = 2;

export function appDataValid(p: usize, len: u32): bool {
  return len >= APP_DATA_FIXED && getU16(p, 0) != 0;
}

// @ts-ignore: decorator
@inline export function appDataMsg(p: usize): u32 { return getU16(p, 0); }

export function putAppDataMsg(p: usize, msg: u32): void {
  putU16(p, 0, msg);
}
