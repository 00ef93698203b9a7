// The two static buffers of the ABI. They live in the data segment rather than the heap so
// their addresses are fixed before `init` (the host writes the config into the inbox first).

/** Holds one frame of the largest allowed MTU (config `mtu` max), a config blob or submitted data. */
export const INBOX_SIZE: u32 = 1024;
export const inbox: usize = memory.data(<i32>INBOX_SIZE, 16);

/**
 * Large enough for the biggest dump: a full neighbour table (2 + 254 x 10 bytes) or every
 * counter. Dumps that would not fit are cut at a record boundary.
 */
export const OUTBOX_SIZE: u32 = 2560;
export const outbox: usize = memory.data(<i32>OUTBOX_SIZE, 16);
