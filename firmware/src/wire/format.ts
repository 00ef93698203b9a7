// Byte layout of the frame header (docs/wire.md, Header). Offsets are named so codecs read
// like the table in the doc.

export const WIRE_VERSION: u32 = 1;
export const HEADER_SIZE: u32 = 12;
export const TAG_SIZE: u32 = 8;

export const OFF_VERSION: u32 = 0;
export const OFF_TYPE: u32 = 1;
export const OFF_FLAGS: u32 = 2;
export const OFF_HOPS: u32 = 3;
export const OFF_SRC: u32 = 4;
export const OFF_DST: u32 = 6;
export const OFF_SEQ: u32 = 8;
export const OFF_LEN: u32 = 10;

export const FLAG_TAG: u32 = 1;
export const FLAG_ACK_REQ: u32 = 2;
export const FLAG_FRAG: u32 = 4;
export const FLAGS_RESERVED: u32 = 0xf8;

export const ADDR_BROADCAST: u32 = 0xffff;

/** Message types, grouped by owning layer (docs/wire.md, Message types). */
export const enum MsgType {
  Hello = 0x01,
  Ping = 0x02,
  Pong = 0x03,
  /** Distance-vector routing update, full or partial (route/advert.ts). */
  RouteUpdate = 0x10,
  /** Routed to a destination: "issue a number newer than this one" (route/seqreq.ts). */
  RouteSeqReq = 0x11,
  /** Hop-by-hop acknowledgement of an ACK_REQ frame (link/reliable.ts). */
  LinkAck = 0x04,
  /** One fragment of a message too long for one frame (route/fragment.ts). */
  Frag = 0x1e,
  /** End-to-end report of the fragments received (route/reassembly.ts). */
  FragAck = 0x1f,
  /** Node lifecycle of tree mode (life/, wire/lifecycle.ts): Child Registration Request. */
  JoinReq = 0x20,
  /** The parent's answer to JOIN_REQ: accepted (with its depth and root) or refused. */
  JoinAccept = 0x21,
  /** Parent to children: recovering its own parent (enter Recovery Await), or attached again. */
  TreeStatus = 0x22,
  /** Network-wide broadcast of a node that joined for the first time since it booted. */
  Announce = 0x23,
  /** Orchestration (orch/, wire/orch.ts): "who runs this step of this package?" (network-wide broadcast). */
  OrchRequest = 0x40,
  /** Answer to a REQUEST from a node with the step loaded and room for the package. */
  OrchAccept = 0x41,
  /** The package went elsewhere: the accepter drops its reservation. */
  OrchCancel = 0x42,
  /** The receiver of a package took it (or the target its result). */
  OrchAck = 0x43,
  /** A work package: a delivery-layer message (APP_DATA layout, or FRAG with this inner type). */
  OrchPackage = 0x44,
  /** The package sent for a step has moved on (or ended): its previous holder drops its copy. */
  OrchRelease = 0x45,
  /** A previous holder asks whether the package it gave for a step is still held. */
  OrchProbe = 0x46,
  /** A trigger: the steps the addressed node has loaded from now on. */
  OrchSteps = 0x47,
  /** Answer to a REQUEST: this node already took that package for that step (the asker holds a repeat). */
  OrchTaken = 0x48,
  /** A sensor reading on its way to the fusion node (fuse/, docs/fusion.md). */
  FuseReading = 0x50,
  /** An application message that fits one frame. */
  AppData = 0x60,
}
