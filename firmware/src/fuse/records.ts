// What the fusion node hands the host (docs/abi.md, emit kinds 13 and 14):
//
//   FUSED    step:u32 value:f32 lo:f32 hi:f32 average:f32 flags:u8 used:u8 f:u8 rejected:u8 sensors:u8
//            every step: FTI's value and interval at the configured QoS (flags as FuseFlag),
//            the average of the same readings beside it, and the sensors in the table
//   CLUSTER  step:u32 algo:u8 count:u8 reference:u16, then `count` sensor ids (u16)
//            after each clustering run: the sensors fused with the reference from now on

import { emit, EmitKind } from "../hal";
import { putU16, putU32, putU8 } from "../core/bytes";
import { FuseResult } from "./fusion";
import { SensorSlots } from "./slots";

export const FUSED_BYTES: u32 = 25;
export const CLUSTER_HEAD: u32 = 8;
/** The record buffer: the larger of the two records (a cluster of 32 sensors). */
export const RECORD_BYTES: u32 = CLUSTER_HEAD + 2 * 32;

function clampU8(v: i32): u32 {
  return v < 0 ? 0 : v > 255 ? 255 : <u32>v;
}

export function emitFused(buf: usize, step: u32, fti: FuseResult, average: FuseResult, sensors: i32): void {
  putU32(buf, 0, step);
  store<f32>(buf + 4, <f32>fti.value);
  store<f32>(buf + 8, <f32>fti.lo);
  store<f32>(buf + 12, <f32>fti.hi);
  store<f32>(buf + 16, <f32>average.value);
  putU8(buf, 20, fti.flags);
  putU8(buf, 21, clampU8(fti.used));
  putU8(buf, 22, clampU8(fti.f));
  putU8(buf, 23, clampU8(fti.rejected));
  putU8(buf, 24, clampU8(sensors));
  emit(EmitKind.Fused, buf, FUSED_BYTES);
}

export function emitCluster(buf: usize, step: u32, algo: u32, reference: u32, mask: u32, slots: SensorSlots): void {
  putU32(buf, 0, step);
  putU8(buf, 4, algo);
  putU16(buf, 6, reference);
  let n: u32 = 0;
  for (let i = 0; i < slots.capacity; i++) {
    if ((mask & (<u32>1 << i)) == 0 || !slots.isActive(i)) continue;
    putU16(buf, CLUSTER_HEAD + 2 * n, <u32>unchecked(slots.ids[i]));
    n++;
  }
  putU8(buf, 5, n);
  emit(EmitKind.FuseCluster, buf, CLUSTER_HEAD + 2 * n);
}
