// The two buffers of the ABI. The inbox lives in the data segment, so its address is fixed
// before `init` (the host writes the config into it first). The outbox is carved from the
// heap by `init`, sized to the largest dump this node can produce with its config: a small
// node does not pay for a big table's dump, and no dump is ever cut short.

/** Holds one frame of the largest allowed MTU (config `mtu` max), a config blob or submitted data. */
export const INBOX_SIZE: u32 = 1024;
export const inbox: usize = memory.data(<i32>INBOX_SIZE, 16);

let outboxPtr: usize = 0;
let outboxSize: u32 = 0;

/** Called once by `init`, after every layer has defined its state. */
export function allocateOutbox(size: u32): void {
  outboxPtr = heap.alloc(<usize>size);
  outboxSize = size;
}

export function outbox(): usize {
  return outboxPtr;
}

export function outboxCapacity(): u32 {
  return outboxSize;
}
