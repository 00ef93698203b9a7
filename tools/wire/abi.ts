// Numeric codes of the HAL ABI (docs/abi.md). The AssemblyScript side mirrors these in
// firmware/src/hal.ts and the C side in hal/include/myco_hal.h; change all three together.

export const ABI_VERSION = 1;

export const NODE_NONE = 0;
export const BROADCAST = 0xffff;

export const SendError = { QueueFull: -1, TooLong: -2, BadDestination: -3 } as const;

export const LogLevel = { Error: 0, Warn: 1, Info: 2, Debug: 3 } as const;

export const LinkEvent = { Up: 1, Down: 2, TxFailed: 3 } as const;

export const EmitKind = { NeighbourUp: 1, NeighbourDown: 2, PingRtt: 3 } as const;

export const SubmitKind = { Ping: 1 } as const;

export const SubmitError = { UnknownKind: -1, BadLength: -2, NotNeighbour: -3, Refused: -4 } as const;

export const InspectWhat = { Counters: 0, Neighbours: 1 } as const;

export const InitError = { MalformedConfig: -1, OutOfRange: -2, AlreadyInitialised: -3 } as const;

/** `tick` returns this when the node has nothing scheduled. */
export const NO_DEADLINE = 0xffffffff;
