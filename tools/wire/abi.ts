// Numeric codes of the HAL ABI (docs/abi.md). The AssemblyScript side mirrors these in
// firmware/src/hal.ts and the C side in hal/include/myco_hal.h; change all three together.

export const ABI_VERSION = 1;

export const NODE_NONE = 0;
export const BROADCAST = 0xffff;

export const SendError = { QueueFull: -1, TooLong: -2, BadDestination: -3 } as const;

export const LogLevel = { Error: 0, Warn: 1, Info: 2, Debug: 3 } as const;

/** `on_link` events; 4..7 come only from the Wi-Fi tree links (docs/abi.md, "Wi-Fi tree links"). */
export const LinkEvent = { Up: 1, Down: 2, TxFailed: 3, ScanDone: 4, JoinFailed: 5, ChildUp: 6, ChildDown: 7 } as const;

/** `op` of the `wifi` import. */
export const WifiOp = { Scan: 1, Join: 2, Leave: 3, Advertise: 4, Release: 5 } as const;

/** Results of the `wifi` import: `-1` a scan or join is under way, `-3` not a scanned AP / not a child, `-5` no Wi-Fi. */
export const WifiError = { Busy: -1, Unknown: -3, NotAvailable: -5 } as const;

/** ADVERTISE flags (bits of `arg >> 16`). */
export const WifiFlag = { Accepting: 1, RootAttached: 2 } as const;

/** ADVERTISE depth of a node that is not attached to a tree. */
export const WIFI_DEPTH_NONE = 255;

/** One SCAN_DONE record in the inbox: `id:u16 rssi:i8 depth:u8 children:u8 flags:u8`. */
export const WIFI_SCAN_RECORD_BYTES = 6;

export const EmitKind = { NeighbourUp: 1, NeighbourDown: 2, PingRtt: 3, Delivered: 4, SendDone: 5, RoutedRtt: 6, State: 7, InferOutput: 8, OrchResult: 9, OrchFailed: 10, OrchSteps: 11, OrchTrace: 12, Fused: 13, FuseCluster: 14 } as const;

/** `status` of an INFER_OUTPUT record (docs/steps.md). */
export const InferStatus = { Ok: 0, WeightsUnreadable: 1, AccelFailed: 2 } as const;

/** `accel` ops the step runner offers (one whole layer) and the descriptor in front of the input. */
export const AccelOp = { Conv2d: 1, DepthwiseConv2d: 2, FullyConnected: 3 } as const;
export const ACCEL_DESC_BYTES = 8;

/** Lifecycle states of tree mode, as a STATE record carries them (docs/abi.md, docs/routing.md "Tree mode"). */
export const LifeState = {
  Init: 0, Search: 1, JoinNetwork: 2, Active: 3, ExecuteJob: 4, ParentRecovery: 5, RecoveryAwait: 6, NodeRestart: 7,
} as const;
export const LIFE_STATE_NAMES = ['init', 'search', 'join_network', 'active', 'execute_job', 'parent_recovery', 'recovery_await', 'node_restart'] as const;

export const SubmitKind = { Ping: 1, Send: 2, SendBlob: 3, Job: 4, Infer: 5, InferBlob: 6, Orch: 7, OrchSteps: 8, OrchTrigger: 9, OrchBlob: 10 } as const;

export const SubmitError = {
  UnknownKind: -1, BadLength: -2, NotNeighbour: -3, Refused: -4, NoRoute: -5, TooLong: -6, Busy: -7, NoBlob: -8, BadFlags: -9, NotActive: -10, NoStep: -11, NoOrch: -12,
} as const;

/** `flags` of submit SEND / SEND_BLOB. */
export const SendFlag = { Reliable: 1 } as const;

/** `status` of a SEND_DONE record. */
export const SendStatus = { Delivered: 0, NoRoute: 1, RetriesExhausted: 2, Deadline: 3, Refused: 4 } as const;

export const InspectWhat = { Counters: 0, Neighbours: 1, Routes: 2, Tree: 3 } as const;

export const InitError = { MalformedConfig: -1, OutOfRange: -2, AlreadyInitialised: -3, BadModel: -4 } as const;

/** `tick` returns this when the node has nothing scheduled. */
export const NO_DEADLINE = 0xffffffff;
