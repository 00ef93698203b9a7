// Upward dispatch: a frame addressed to this node (or a network-wide broadcast) goes to the
// handler of its message type. This is the one place that names them: a layer that receives
// routed frames adds its case here.

import { count } from "../core/counters";
import { MsgType } from "../wire/format";
import { ROUTE_DELIVER, ROUTE_RX_UNHANDLED } from "./counters";
import { receiveRoutedPing, receiveRoutedPong } from "./ping";
import { receiveSeqReq } from "./seqreq";
import { RouteState } from "./state";
import { deliveryReceive } from "./delivery";
import { Header } from "../wire/header";

/**
 * Frames of types this layer does not handle go to the layer above that registered here (the
 * lifecycle's network-wide ANNOUNCE); it returns whether it took the frame.
 */
let upper: ((frame: usize, len: u32, sender: u32, now: u32) => bool) | null = null;

export function onDeliver(hook: (frame: usize, len: u32, sender: u32, now: u32) => bool): void {
  upper = hook;
}

/** The orchestration layer's control frames (all but PACKAGE): header in `h`. */
let orch: ((frame: usize, h: Header, now: u32) => bool) | null = null;

export function onOrchestration(hook: (frame: usize, h: Header, now: u32) => bool): void {
  orch = hook;
}

/** Sensor fusion's readings (FUSE_READING) for this node: header in `h`. */
let fuse: ((frame: usize, h: Header, now: u32) => bool) | null = null;

export function onFusion(hook: (frame: usize, h: Header, now: u32) => bool): void {
  fuse = hook;
}

/** Hands the frame (header in `rs.rx`, `len` bytes at `frame`) from neighbour `sender` up. */
export function deliver(rs: RouteState, frame: usize, len: u32, sender: u32, now: u32): void {
  count(ROUTE_DELIVER);
  switch (rs.rx.type) {
    case MsgType.Ping: receiveRoutedPing(rs, frame, now); return;
    case MsgType.Pong: receiveRoutedPong(rs, frame, now); return;
    case MsgType.RouteSeqReq: receiveSeqReq(rs, frame, now); return;
    case MsgType.Frag:
    case MsgType.FragAck:
    case MsgType.OrchPackage:
    case MsgType.AppData: if (rs.rx.dst == rs.self && deliveryReceive(frame, rs.rx, now)) return; break;
    case MsgType.OrchRequest:
    case MsgType.OrchAccept:
    case MsgType.OrchCancel:
    case MsgType.OrchAck:
    case MsgType.OrchRelease:
    case MsgType.OrchProbe:
    case MsgType.OrchSteps:
    case MsgType.OrchTaken: if (orch !== null && orch!(frame, rs.rx, now)) return; break;
    case MsgType.FuseReading: if (rs.rx.dst == rs.self && fuse !== null && fuse!(frame, rs.rx, now)) return; break;
  }
  if (upper !== null && upper!(frame, len, sender, now)) return;
  count(ROUTE_RX_UNHANDLED);
}
