// The HAL ABI v1 seen from the node (docs/abi.md). This is the only file with @external
// declarations, so the import list of every node program is exactly what a host must
// provide. Numeric codes mirror tools/wire/abi.ts and hal/include/myco_hal.h.

export const ABI_VERSION: i32 = 1;

export const NODE_NONE: u32 = 0;
export const BROADCAST: u32 = 0xffff;

/** `tick` result when nothing is scheduled. */
export const NO_DEADLINE: u32 = 0xffffffff;

export const enum SendError { QueueFull = -1, TooLong = -2, BadDestination = -3 }
export const enum LogLevel { Error = 0, Warn = 1, Info = 2, Debug = 3 }
/** `on_link` events; 4..7 come only from the Wi-Fi tree links (docs/abi.md). */
export const enum LinkEvent { Up = 1, Down = 2, TxFailed = 3, ScanDone = 4, JoinFailed = 5, ChildUp = 6, ChildDown = 7 }
/** `op` of the `wifi` import. */
export const enum WifiOp { Scan = 1, Join = 2, Leave = 3, Advertise = 4, Release = 5 }
/** `wifi` results: a scan or join under way, not a scanned AP / not a child, no Wi-Fi here. */
export const enum WifiError { Busy = -1, Unknown = -3, NotAvailable = -5 }
/** ADVERTISE flags (bits of `arg >> 16`). */
export const enum WifiFlag { Accepting = 1, RootAttached = 2 }
/** ADVERTISE depth of a node not attached to a tree. */
export const WIFI_DEPTH_NONE: u32 = 255;
/** One SCAN_DONE record: `id:u16 rssi:i8 depth:u8 children:u8 flags:u8`. */
export const WIFI_SCAN_RECORD_BYTES: u32 = 6;
export const enum EmitKind { NeighbourUp = 1, NeighbourDown = 2, PingRtt = 3, Delivered = 4, SendDone = 5, RoutedRtt = 6, State = 7, InferOutput = 8, OrchResult = 9, OrchFailed = 10, OrchSteps = 11, OrchTrace = 12, Fused = 13, FuseCluster = 14 }
export const enum SubmitKind { Ping = 1, Send = 2, SendBlob = 3, Job = 4, Infer = 5, InferBlob = 6, Orch = 7, OrchSteps = 8, OrchTrigger = 9, OrchBlob = 10 }
/** `status` of an INFER_OUTPUT record. */
export const enum InferStatus { Ok = 0, WeightsUnreadable = 1, AccelFailed = 2 }
/** `accel` ops offered by the step runner: one whole layer. */
export const enum AccelOp { Conv2d = 1, DepthwiseConv2d = 2, FullyConnected = 3 }
export const ACCEL_DESC_BYTES: u32 = 8;
export const enum SubmitError {
  UnknownKind = -1, BadLength = -2, NotNeighbour = -3, Refused = -4,
  NoRoute = -5, TooLong = -6, Busy = -7, NoBlob = -8, BadFlags = -9, NotActive = -10, NoStep = -11, NoOrch = -12,
}
/** `flags` of submit SEND / SEND_BLOB. */
export const enum SendFlag { Reliable = 1 }
export const SEND_FLAGS_KNOWN: u32 = 1;
/** `status` of a SEND_DONE record. */
export const enum SendStatus { Delivered = 0, NoRoute = 1, RetriesExhausted = 2, Deadline = 3, Refused = 4 }
export const enum InspectWhat { Counters = 0, Neighbours = 1, Routes = 2, Tree = 3 }
export const enum InitError { MalformedConfig = -1, OutOfRange = -2, AlreadyInitialised = -3, BadModel = -4 }

// @ts-ignore: decorator
@external("hal", "now_ms")
export declare function now_ms(): u32;

// @ts-ignore: decorator
@external("hal", "send")
export declare function send(dst: u32, ptr: usize, len: u32): i32;

// @ts-ignore: decorator
@external("hal", "rand")
export declare function rand(): u32;

// @ts-ignore: decorator
@external("hal", "log")
export declare function log(level: u32, ptr: usize, len: u32): void;

// @ts-ignore: decorator
@external("hal", "emit")
export declare function emit(kind: u32, ptr: usize, len: u32): void;

// @ts-ignore: decorator
@external("hal", "sensor")
export declare function sensor(channel: u32, ptr: usize, max: u32): i32;

// @ts-ignore: decorator
@external("hal", "blob_read")
export declare function blob_read(id: u32, offset: u32, ptr: usize, len: u32): i32;

// @ts-ignore: decorator
@external("hal", "accel")
export declare function accel(op: u32, in_ptr: usize, in_len: u32, out_ptr: usize, out_len: u32): i32;

// @ts-ignore: decorator
@external("hal", "compute")
export declare function compute(cost: u32): void;

// @ts-ignore: decorator
@external("hal", "wifi")
export declare function wifi(op: u32, arg: u32): i32;

// @ts-ignore: decorator
@external("hal", "panic")
export declare function panic(code: u32, ptr: usize, len: u32): void;

// Text crosses the ABI as ASCII bytes, but AssemblyScript strings are UTF-16. Static
// messages are narrowed into this buffer instead of being encoded on the heap, which
// would allocate after `init`.
const TEXT_MAX: u32 = 120;
const textScratch = memory.data(TEXT_MAX);

/** Narrows `text` to ASCII (other code units become '?') in the scratch buffer; returns its length. */
function narrow(text: string): u32 {
  const src = changetype<usize>(text);
  let n = <u32>text.length;
  if (n > TEXT_MAX) n = TEXT_MAX;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u16>(src + (<usize>i << 1));
    store<u8>(textScratch + i, c < 0x80 ? <u8>c : 0x3f);
  }
  return n;
}

/** Logs a static message without allocating. The caller filters by level. */
export function logText(level: u32, text: string): void {
  log(level, textScratch, narrow(text));
}

/**
 * Target of `--use abort=...` (asconfig.json): a failed bounds check or assertion ends in
 * the HAL `panic`, so hosts only ever need the `hal` import module.
 */
export function panicAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const len = message !== null ? narrow(message) : 0;
  panic(line, textScratch, len);
  unreachable();
}
