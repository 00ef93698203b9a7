// Test entry (not a node program): the node lifecycle's pure parts: the transition function,
// the event ring, candidate ordering, and the lifecycle message codecs over a scratch buffer.

import "../src/hal";
import { actionsOf, nextState, transition } from "../src/life/transition";
import { EventRing } from "../src/life/ring";
import { advertAcceptable, Candidates } from "../src/life/candidates";
import {
  announceDepth, announceParent, announceValid, joinAcceptDepth, joinAcceptRoot, joinAcceptSeq, joinAcceptStatus, joinAcceptToken, joinAcceptValid,
  joinReqFlags, joinReqToken, joinReqValid, putAnnounce, putJoinAccept, putJoinReq, putTreeStatus, treeStatusDepth, treeStatusRoot,
  treeStatusSeq, treeStatusStatus, treeStatusValid,
} from "../src/wire/lifecycle";

export function life_transition(state: u32, event: u32): u32 { return transition(state, event); }
export function life_next(packed: u32): u32 { return nextState(packed); }
export function life_actions(packed: u32): u32 { return actionsOf(packed); }

let ring = new EventRing(4);
export function ring_new(capacity: i32): void { ring = new EventRing(capacity); }
export function ring_push(kind: u32, peer: u32, arg: u32): void { ring.push(kind, peer, arg); }
/** The oldest event's fields (valid while ring_size() > 0), and dropping it. */
export function ring_kind(): u32 { return ring.kind; }
export function ring_peer(): u32 { return ring.peer; }
export function ring_arg(): u32 { return ring.arg; }
export function ring_pop(): void { ring.pop(); }
export function ring_size(): i32 { return ring.size; }
export function ring_overwrites(): u32 { return ring.overwrites; }

let cands = new Candidates(3);
export function cands_new(capacity: i32): void { cands = new Candidates(capacity); }
export function cands_offer(id: u32, depth: u32, rssi: i32, children: u32): void { cands.offer(id, depth, rssi, children); }
export function cands_next(): u32 { return cands.next(); }
export function cands_size(): i32 { return cands.size; }
export function advert_acceptable(depth: u32, flags: u32): bool { return advertAcceptable(depth, flags); }

const scratch = memory.data(64);
export function buffer(): usize { return scratch; }
export function join_req_valid(len: u32): bool { return joinReqValid(scratch, len); }
export function join_req_field(i: u32): u32 { return i == 0 ? joinReqToken(scratch) : joinReqFlags(scratch); }
export function put_join_req(token: u32, flags: u32): void { putJoinReq(scratch, token, flags); }
export function join_accept_valid(len: u32): bool { return joinAcceptValid(scratch, len); }
export function join_accept_field(i: u32): u32 {
  switch (i) {
    case 0: return joinAcceptToken(scratch);
    case 1: return joinAcceptStatus(scratch);
    case 2: return joinAcceptDepth(scratch);
    case 3: return joinAcceptRoot(scratch);
  }
  return joinAcceptSeq(scratch);
}
export function put_join_accept(token: u32, status: u32, depth: u32, root: u32, seq: u32): void { putJoinAccept(scratch, token, status, depth, root, seq); }
export function tree_status_valid(len: u32): bool { return treeStatusValid(scratch, len); }
export function tree_status_field(i: u32): u32 {
  switch (i) {
    case 0: return treeStatusStatus(scratch);
    case 1: return treeStatusDepth(scratch);
    case 2: return treeStatusRoot(scratch);
  }
  return treeStatusSeq(scratch);
}
export function put_tree_status(status: u32, depth: u32, root: u32, seq: u32): void { putTreeStatus(scratch, status, depth, root, seq); }
export function announce_valid(len: u32): bool { return announceValid(scratch, len); }
export function announce_field(i: u32): u32 { return i == 0 ? announceParent(scratch) : announceDepth(scratch); }
export function put_announce(parent: u32, depth: u32): void { putAnnounce(scratch, parent, depth); }
