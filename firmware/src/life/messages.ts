// Sending the lifecycle messages (docs/wire.md, 0x20..0x23). The one-hop ones travel between
// a node and its parent or child with ACK_REQ, so the link layer resends a lost one
// (docs/delivery.md); ANNOUNCE is a network-wide broadcast.

import { BROADCAST } from "../hal";
import { count } from "../core/counters";
import { FLAG_ACK_REQ, HEADER_SIZE, MsgType } from "../wire/format";
import { encodeHeader } from "../wire/header";
import {
  ANNOUNCE_SIZE, JOIN_ACCEPT_SIZE, JOIN_REQ_SIZE, putAnnounce, putJoinAccept, putJoinReq, putTreeStatus, TREE_STATUS_SIZE, TreeStatus,
} from "../wire/lifecycle";
import { LINK_SEND_BUSY, linkSend } from "../link/reliable";
import { sendRouted } from "../route/forward";
import { LIFE_TX } from "./counters";
import { ROUTE_TX_ERR } from "../route/counters";
import { Lifecycle } from "./state";

/** Sends the payload already written after the header in the route layer's frame buffer. */
function sendOneHop(lc: Lifecycle, type: u32, dst: u32, payloadLen: u32): bool {
  const frame = lc.route.txPtr;
  let len = encodeHeader(frame, type, FLAG_ACK_REQ, 1, lc.self, dst, lc.txSeq, payloadLen);
  let result = linkSend(dst, frame, len);
  // Every retransmission slot taken: send it once without, the waits above are bounded anyway.
  if (result == LINK_SEND_BUSY) {
    len = encodeHeader(frame, type, 0, 1, lc.self, dst, lc.txSeq, payloadLen);
    result = linkSend(dst, frame, len);
  }
  lc.txSeq = (lc.txSeq + 1) & 0xffff;
  if (result < 0) {
    count(ROUTE_TX_ERR);
    return false;
  }
  count(LIFE_TX);
  return true;
}

export function sendJoinReq(lc: Lifecycle, parent: u32, token: u32, flags: u32): void {
  putJoinReq(lc.route.txPtr + HEADER_SIZE, token, flags);
  sendOneHop(lc, MsgType.JoinReq, parent, JOIN_REQ_SIZE);
}

export function sendJoinAccept(lc: Lifecycle, child: u32, token: u32, status: u32): void {
  const accepted = status == 0;
  putJoinAccept(lc.route.txPtr + HEADER_SIZE, token, status, accepted ? lc.depth : 0, accepted ? lc.root : 0, lc.statusSeq);
  sendOneHop(lc, MsgType.JoinAccept, child, JOIN_ACCEPT_SIZE);
}

/** TREE_STATUS to every registered child: attached at our depth, or recovering. */
export function sendStatusToChildren(lc: Lifecycle, status: u32): void {
  lc.statusSeq = (lc.statusSeq + 1) & 0xffff;
  const t = lc.tree;
  for (let i = 0; i < t.size; i++) {
    if (!t.registeredAt(i)) continue;
    const attached = status == TreeStatus.Attached;
    putTreeStatus(lc.route.txPtr + HEADER_SIZE, status, attached ? lc.depth : 0, attached ? lc.root : 0, lc.statusSeq);
    sendOneHop(lc, MsgType.TreeStatus, t.idAt(i), TREE_STATUS_SIZE);
  }
}

/** An acknowledged TREE_STATUS with our current view to one child: is it still there? */
export function probeChild(lc: Lifecycle, child: u32): void {
  const attached = lc.depth != 255;
  putTreeStatus(lc.route.txPtr + HEADER_SIZE, attached ? TreeStatus.Attached : TreeStatus.Recovering, attached ? lc.depth : 0, attached ? lc.root : 0, lc.statusSeq);
  sendOneHop(lc, MsgType.TreeStatus, child, TREE_STATUS_SIZE);
}

/** ANNOUNCE: "I (re)joined under `parent`"; a node still holding us as its child drops us. */
export function sendAnnounce(lc: Lifecycle, parent: u32, now: u32): void {
  const p = lc.route.scratchPtr;
  putAnnounce(p, parent, lc.depth);
  if (sendRouted(lc.route, MsgType.Announce, BROADCAST, p, ANNOUNCE_SIZE, 0, now) >= 0) count(LIFE_TX);
}
