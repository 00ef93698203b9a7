// Entry points of the node lifecycle (tree mode; docs/routing.md, "Tree mode"). Wi-Fi link
// events, lifecycle frames, routing updates from the parent and timers become events in the
// fixed ring (ring.ts); `lifeRun` takes them in order through the pure transition function
// (transition.ts) and performs the actions it returns. Every wait is bounded by a timer.

import { emit, EmitKind, LinkEvent, WIFI_DEPTH_NONE, WIFI_SCAN_RECORD_BYTES, WifiFlag, WifiOp, wifi, rand, SubmitError, NO_DEADLINE } from "../hal";
import { before, getU8, putU16, putU8 } from "../core/bytes";
import { count } from "../core/counters";
import { inbox, INBOX_SIZE } from "../core/buffers";
import { HEADER_SIZE, MsgType } from "../wire/format";
import {
  announceParent, DEPTH_MAX, JOIN_FIRST, joinAcceptDepth, joinAcceptRoot, joinAcceptSeq, joinAcceptStatus, joinAcceptToken, JoinStatus,
  joinReqToken, treeStatusDepth, treeStatusRoot, treeStatusSeq, treeStatusStatus, TreeStatus,
} from "../wire/lifecycle";
import { ruCount, ruDest, ruMetric, ruSeq } from "../wire/routeupdate";
import { Change } from "../link/changes";
import { METRIC_INFINITE } from "../route/metric";
import { routeHoldDown } from "../route/route";
import { seqNewer, seqOdd } from "../route/seq";
import { advertAcceptable, scanChildren, scanDepth, scanFlags, scanId, scanRssi } from "./candidates";
import {
  LIFE_CHILD_DROP, LIFE_IGNORED, LIFE_JOIN, LIFE_JOIN_FAIL, LIFE_RING_OVERWRITE, LIFE_RX_STALE, LIFE_SAFEGUARD, LIFE_SCAN, LIFE_TRANSITIONS,
} from "./counters";
import { probeChild, sendAnnounce, sendJoinAccept, sendJoinReq, sendStatusToChildren } from "./messages";
import { Lifecycle, Phase, STATE_RECORD_BYTES, Step } from "./state";
import { Action, Event, State } from "./states";
import { actionsOf, appRuns, nextState, transition } from "./transition";

// ---- events in ------------------------------------------------------------------------

function post(lc: Lifecycle, event: u32, peer: u32, arg: u32): void {
  if (lc.ring.size == lc.ring.capacity) count(LIFE_RING_OVERWRITE);
  lc.ring.push(event, peer, arg);
}

/** A join attempt failed: try the next candidate, or none is left. */
function joinFailed(lc: Lifecycle): void {
  count(LIFE_JOIN_FAIL);
  lc.step = Step.None;
  post(lc, lc.cands.left > 0 ? Event.JoinFailed : Event.JoinExhausted, lc.joining, 0);
}

/** Boot: the root is attached at once, any other node starts searching. */
export function lifeStart(lc: Lifecycle, now: u32): void {
  post(lc, lc.isRoot ? Event.BootRoot : Event.BootNode, 0, 0);
  lifeRun(lc, now);
}

/** Whether `id` is in our own subtree: a child, or reached through one. Never a parent for us. */
function inSubtree(lc: Lifecycle, id: u32): bool {
  if (id == lc.self || lc.tree.find(id) >= 0) return true;
  const t = lc.route.table;
  const i = t.find(id);
  if (i < 0) return false;
  const r = t.at(i);
  return r.valid && lc.tree.find(<u32>r.next) >= 0;
}

/** SCAN_DONE: the records are in the inbox now; keep the acceptable ones, best first. */
function scanDone(lc: Lifecycle, found: u32): void {
  if (lc.step != Step.Scan) {
    count(LIFE_RX_STALE);
    return;
  }
  lc.step = Step.None;
  const c = lc.cands;
  c.clear();
  let n = found;
  const fit = INBOX_SIZE / WIFI_SCAN_RECORD_BYTES;
  if (n > fit) n = fit;
  for (let i: u32 = 0; i < n; i++) {
    const id = scanId(inbox, i);
    if (!advertAcceptable(scanDepth(inbox, i), scanFlags(inbox, i)) || inSubtree(lc, id)) continue;
    c.offer(id, scanDepth(inbox, i), scanRssi(inbox, i), scanChildren(inbox, i));
  }
  post(lc, c.size > 0 ? Event.Found : Event.NoneFound, 0, 0);
}

/** A Wi-Fi link event (docs/abi.md, "Wi-Fi tree links"). */
export function lifeLinkEvent(lc: Lifecycle, event: u32, peer: u32, now: u32): void {
  const t = lc.tree;
  switch (event) {
    case LinkEvent.ScanDone: scanDone(lc, peer); break;
    case LinkEvent.JoinFailed:
      if (peer == lc.joining && lc.step == Step.Join) joinFailed(lc);
      else count(LIFE_RX_STALE);
      break;
    case LinkEvent.Up:
      if (peer == lc.joining && lc.step == Step.Join) {
        lc.step = Step.None;
        post(lc, Event.Associated, peer, 0);
      } else count(LIFE_RX_STALE);
      break;
    case LinkEvent.Down:
      if (peer != 0 && peer == t.parent) post(lc, Event.ParentLost, peer, 0);
      else if (peer == lc.joining && lc.step == Step.Register) joinFailed(lc);
      else count(LIFE_RX_STALE);
      break;
    case LinkEvent.ChildUp: post(lc, Event.ChildUp, peer, 0); break;
    case LinkEvent.ChildDown: post(lc, Event.ChildLost, peer, 0); break;
    case LinkEvent.TxFailed: {
      const i = t.find(peer);
      const limit = lc.cfg.treeFailLimit;
      if (i < 0 || limit == 0) break;
      const fails = <u32>unchecked(t.fails[i]) + 1;
      unchecked((t.fails[i] = <u8>min(fails, 255)));
      // The station is silent (switched off, or rebooted and gone elsewhere).
      if (fails >= limit) childGone(lc, peer);
      break;
    }
  }
  lifeRun(lc, now);
}

/** Something arrived from neighbour `sender`: a child that talks is alive. */
export function lifeHeard(lc: Lifecycle, sender: u32): void {
  const i = lc.tree.find(sender);
  if (i >= 0) lc.tree.heard(i);
}

/** Drops child `id` that no longer answers: release its station, forget it and its routes. */
function childGone(lc: Lifecycle, id: u32): void {
  count(LIFE_CHILD_DROP);
  wifi(WifiOp.Release, id);
  post(lc, Event.ChildLost, id, 0);
}

/**
 * An acknowledged frame to `peer` went unanswered through every retransmission
 * (link/reliable.ts): a child that cannot take frames any more is gone, whatever our softAP
 * still believes (it notices a silent station only after its inactivity timeout).
 */
export function lifeHopFailed(lc: Lifecycle, peer: u32, now: u32): void {
  const i = lc.tree.find(peer);
  if (i < 0 || !lc.tree.registeredAt(i)) return;
  childGone(lc, peer);
  lifeRun(lc, now);
}

/** JOIN_REQ, JOIN_ACCEPT or TREE_STATUS (header in `lc.link.rx`) from neighbour `sender`. */
export function lifeFrame(lc: Lifecycle, frame: usize, sender: u32, now: u32): void {
  const h = lc.link.rx;
  const p = frame + HEADER_SIZE;
  if (h.src != sender || h.dst != lc.self || h.hops != 1) {
    count(LIFE_RX_STALE);
    return;
  }
  const type = h.type;
  if (type == MsgType.JoinReq) {
    // Only a station on our softAP may register; repeats are answered again (idempotent).
    if (lc.tree.find(sender) >= 0) post(lc, Event.ChildJoin, sender, joinReqToken(p));
    else count(LIFE_RX_STALE);
  } else if (type == MsgType.JoinAccept) {
    if (sender != lc.joining || lc.step != Step.Register || joinAcceptToken(p) != lc.token) {
      count(LIFE_RX_STALE);
    } else if (joinAcceptStatus(p) == JoinStatus.Accepted) {
      lc.step = Step.None;
      lc.pendDepth = joinAcceptDepth(p);
      lc.pendRoot = joinAcceptRoot(p);
      lc.pendSeq = joinAcceptSeq(p);
      post(lc, Event.Registered, sender, 0);
    } else {
      joinFailed(lc);
    }
  } else if (type == MsgType.TreeStatus) {
    // Only the parent's, and only newer than the last one: a reordered old alert is no news.
    if (sender != lc.tree.parent || !seqNewer(treeStatusSeq(p), lc.parentSeq)) {
      count(LIFE_RX_STALE);
    } else {
      lc.parentSeq = treeStatusSeq(p);
      if (treeStatusStatus(p) == TreeStatus.Recovering) {
        post(lc, Event.Alert, sender, 0);
      } else {
        lc.pendDepth = treeStatusDepth(p);
        lc.pendRoot = treeStatusRoot(p);
        post(lc, Event.Resumed, sender, 0);
      }
    }
  }
  lifeRun(lc, now);
}

/**
 * The network-wide ANNOUNCE (delivered by the route layer): node `src` joined `parent` after a
 * restart. If it is still our child, it is a stale station of its previous life: drop it, so
 * no route keeps pointing at it (our softAP would notice only after its inactivity timeout).
 */
export function lifeAnnounce(lc: Lifecycle, frame: usize, now: u32): bool {
  const h = lc.link.rx;
  if (h.type != MsgType.Announce) return false;
  const src = h.src;
  if (lc.tree.find(src) >= 0 && announceParent(frame + HEADER_SIZE) != lc.self) {
    childGone(lc, src);
    lifeRun(lc, now);
  }
  return true;
}

/**
 * A routing update (payload at `p`) from neighbour `sender`, after the route layer took it.
 *
 * Safeguard (HERMES §3.2.4): from the parent, an entry showing the root unreachable (odd
 * number) means our branch lost the root, even if the alert never came; one showing it
 * reachable again ends the wait even if the resume notice was lost.
 *
 * Liveness: another neighbour declaring one of our children unreachable (it lost its link to
 * it) makes us ask the child with an acknowledged TREE_STATUS; a child that is gone fails it
 * and is dropped (lifeHopFailed) long before our softAP's inactivity timeout.
 */
export function lifeUpdateHeard(lc: Lifecycle, p: usize, sender: u32, now: u32): void {
  const n = ruCount(p);
  const t = lc.tree;
  const fromParent = sender != 0 && sender == t.parent && lc.root != 0 && lc.root != lc.self;
  for (let k: u32 = 0; k < n; k++) {
    const dest = ruDest(p, k);
    const down = seqOdd(ruSeq(p, k)) || ruMetric(p, k) >= METRIC_INFINITE;
    if (fromParent && dest == lc.root) {
      if (down && lc.rootUp) {
        lc.rootUp = false;
        count(LIFE_SAFEGUARD);
        post(lc, Event.RootLost, sender, 0);
      } else if (!down && !lc.rootUp) {
        lc.rootUp = true;
        post(lc, Event.RootBack, sender, 0);
      }
    }
    if (down && dest != sender) {
      const i = t.find(dest);
      if (i >= 0 && t.registeredAt(i) && t.probe(i)) probeChild(lc, dest);
    }
  }
  lifeRun(lc, now);
}

/** `submit(JOB)`: `begin:u8`, 1 = application work starts (Active -> Execute Job), 0 = it ended. */
export function lifeSubmitJob(lc: Lifecycle, data: usize, len: u32, now: u32): i32 {
  if (len != 1) return SubmitError.BadLength;
  const begin = getU8(data, 0) != 0;
  if (lc.state != (begin ? State.Active : State.ExecuteJob)) return SubmitError.NotActive;
  post(lc, begin ? Event.JobBegin : Event.JobEnd, 0, 0);
  lifeRun(lc, now);
  return 0;
}

/** Timers: the step's bounded wait and the recovery phase's bound. Returns ms until the next. */
export function lifeTick(lc: Lifecycle, now: u32): u32 {
  if (lc.step != Step.None && !before(now, lc.stepAt)) {
    const step = lc.step;
    lc.step = Step.None;
    if (step == Step.Scan) post(lc, Event.NoneFound, 0, 0);
    else if (step == Step.Retry) post(lc, Event.Retry, 0, 0);
    else joinFailed(lc); // Join or Register timed out
  }
  if (lc.phase != Phase.None && !before(now, lc.phaseAt)) {
    const phase = lc.phase;
    lc.phase = Phase.None;
    post(lc, phase == Phase.Recovery ? Event.RecoveryTimeout : Event.AwaitExpired, 0, 0);
  }
  lifeRun(lc, now);
  let deadline = NO_DEADLINE;
  let have = false;
  if (lc.step != Step.None) {
    deadline = lc.stepAt;
    have = true;
  }
  if (lc.phase != Phase.None && (!have || before(lc.phaseAt, deadline))) {
    deadline = lc.phaseAt;
    have = true;
  }
  if (!have) return NO_DEADLINE;
  return before(deadline, now) ? 0 : deadline - now;
}

// ---- the machine ----------------------------------------------------------------------

/** Takes every queued event through the transition function and performs its actions. */
export function lifeRun(lc: Lifecycle, now: u32): void {
  const ring = lc.ring;
  while (!ring.empty) {
    const event = ring.kind;
    const peer = ring.peer;
    const arg = ring.arg;
    ring.pop();
    const packed = transition(lc.state, event);
    const next = nextState(packed);
    const actions = actionsOf(packed);
    const prev = lc.state;
    if (next == prev && actions == 0) {
      count(LIFE_IGNORED);
      continue;
    }
    lc.state = next;
    perform(lc, actions, event, prev, peer, arg, now);
    if (next != prev) {
      count(LIFE_TRANSITIONS);
      stateRecord(lc, prev, event);
    }
  }
}

/** STATE record: `state:u8 prev:u8 parent:u16 depth:u8 event:u8` (docs/abi.md). */
function stateRecord(lc: Lifecycle, prev: u32, event: u32): void {
  const r = lc.recordPtr;
  putU8(r, 0, lc.state);
  putU8(r, 1, prev);
  putU16(r, 2, lc.tree.parent);
  putU8(r, 4, lc.depth);
  putU8(r, 5, event);
  emit(EmitKind.State, r, STATE_RECORD_BYTES);
}

/** What our softAP beacon says: depth, children, attached and accepting (docs/abi.md, ADVERTISE). */
function advertise(lc: Lifecycle): void {
  const t = lc.tree;
  let flags: u32 = 0;
  if (lc.depth != WIFI_DEPTH_NONE) {
    flags = WifiFlag.RootAttached;
    if (appRuns(lc.state) && lc.depth < DEPTH_MAX && t.size < t.capacity && <u32>t.registered() < lc.cfg.treeMaxChildren) flags |= WifiFlag.Accepting;
  }
  wifi(WifiOp.Advertise, (lc.depth & 0xff) | ((<u32>t.size & 0xff) << 8) | (flags << 16));
}

function startScan(lc: Lifecycle, now: u32): void {
  count(LIFE_SCAN);
  if (wifi(WifiOp.Scan, 0) < 0) {
    scanLater(lc, now); // a scan or join still under way: try again after the backoff
    return;
  }
  lc.step = Step.Scan;
  lc.stepAt = now + lc.cfg.treeScanTimeoutMs;
}

function scanLater(lc: Lifecycle, now: u32): void {
  lc.step = Step.Retry;
  lc.stepAt = now + lc.backoff;
  // The cap is never below the first wait.
  const cap = max(lc.cfg.treeScanRetryMaxMs, lc.cfg.treeScanRetryMs);
  const doubled = lc.backoff * 2;
  lc.backoff = doubled > cap ? cap : doubled;
}

function joinNext(lc: Lifecycle, now: u32): void {
  const c = lc.cands.next();
  if (c == 0) {
    post(lc, Event.JoinExhausted, 0, 0);
    return;
  }
  count(LIFE_JOIN);
  lc.joining = c;
  lc.pendDepth = lc.cands.depthOf(c);
  if (wifi(WifiOp.Join, c) < 0) {
    joinFailed(lc);
    return;
  }
  lc.step = Step.Join;
  lc.stepAt = now + lc.cfg.treeJoinTimeoutMs;
}

function register(lc: Lifecycle, now: u32): void {
  let token = rand() & 0xffff;
  if (token == 0) token = 1;
  lc.token = token;
  sendJoinReq(lc, lc.joining, token, lc.announced ? 0 : JOIN_FIRST);
  lc.step = Step.Register;
  lc.stepAt = now + lc.cfg.treeRegisterTimeoutMs;
}

/** Tells the route layer a tree neighbour came (usable) or went; it takes them after this call. */
function neighbourChange(lc: Lifecycle, kind: u32, id: u32): void {
  lc.link.changes.push(kind, id);
  lc.route.news = true;
}

function attach(lc: Lifecycle, now: u32): void {
  const parent = lc.joining;
  lc.joining = 0;
  lc.step = Step.None;
  lc.phase = Phase.None;
  lc.tree.parent = parent;
  lc.depth = lc.lastDepth = lc.pendDepth + 1;
  lc.root = lc.pendRoot;
  lc.parentSeq = lc.pendSeq;
  lc.rootUp = true;
  lc.backoff = lc.cfg.treeScanRetryMs;
  neighbourChange(lc, Change.Usable, parent);
  if (!lc.announced) {
    // First parent since boot: learn only one-hop routes for a hold-down, and tell a node that
    // may still hold our previous life as its child (docs/routing.md, "Tree mode").
    lc.announced = true;
    routeHoldDown(lc.route, now);
    sendAnnounce(lc, parent, now);
  }
}

function detach(lc: Lifecycle, now: u32): void {
  const old = lc.tree.parent;
  lc.tree.parent = 0;
  if (old != 0) neighbourChange(lc, Change.Down, old);
  lc.depth = WIFI_DEPTH_NONE;
  lc.parentSeq = 0;
  lc.cands.clear();
  lc.backoff = lc.cfg.treeScanRetryMs;
  lc.phase = Phase.Recovery;
  lc.phaseAt = now + lc.cfg.treeRecoveryTimeoutMs;
}

/** Node Restart: release the subtree, leave, forget the network state; then Search again. */
function restart(lc: Lifecycle): void {
  const t = lc.tree;
  for (let i = 0; i < t.size; i++) {
    const id = t.idAt(i);
    wifi(WifiOp.Release, id);
    if (t.registeredAt(i)) neighbourChange(lc, Change.Down, id);
  }
  t.size = 0;
  if (t.parent != 0) neighbourChange(lc, Change.Down, t.parent);
  t.parent = 0;
  wifi(WifiOp.Leave, 0);
  lc.depth = lc.lastDepth = WIFI_DEPTH_NONE;
  lc.root = 0;
  lc.joining = 0;
  lc.step = Step.None;
  lc.phase = Phase.None;
  lc.cands.clear();
  lc.backoff = lc.cfg.treeScanRetryMs;
  post(lc, Event.Restarted, 0, 0);
}

function resume(lc: Lifecycle, event: u32, prev: u32): void {
  let depth = lc.depth;
  let root = lc.root;
  if (event == Event.Resumed) {
    depth = lc.pendDepth + 1;
    root = lc.pendRoot;
  } else if (depth == WIFI_DEPTH_NONE) {
    depth = lc.lastDepth;
  }
  if (depth > DEPTH_MAX) depth = DEPTH_MAX;
  // Already attached at this depth under this root: nothing to pass on.
  if (event == Event.Resumed && appRuns(prev) && depth == lc.depth && root == lc.root) return;
  lc.depth = lc.lastDepth = depth;
  lc.root = root;
  lc.phase = Phase.None;
  sendStatusToChildren(lc, TreeStatus.Attached);
}

function accept(lc: Lifecycle, child: u32, token: u32): void {
  const t = lc.tree;
  const i = t.find(child);
  if (i < 0) {
    count(LIFE_RX_STALE);
    return;
  }
  if (!t.registeredAt(i)) {
    if (<u32>t.registered() >= lc.cfg.treeMaxChildren || lc.depth >= DEPTH_MAX) {
      sendJoinAccept(lc, child, token, JoinStatus.Refused);
      return;
    }
    t.register(i);
    neighbourChange(lc, Change.Usable, child);
  }
  sendJoinAccept(lc, child, token, JoinStatus.Accepted);
}

function dropChild(lc: Lifecycle, child: u32): void {
  const t = lc.tree;
  const i = t.find(child);
  if (i < 0) return;
  if (t.registeredAt(i)) neighbourChange(lc, Change.Down, child);
  t.removeAt(i);
}

function perform(lc: Lifecycle, a: u32, event: u32, prev: u32, peer: u32, arg: u32, now: u32): void {
  let advert = false;
  if ((a & Action.Restart) != 0) {
    restart(lc);
    advert = true;
  }
  if ((a & Action.Leave) != 0) {
    wifi(WifiOp.Leave, 0);
    lc.joining = 0;
    lc.step = Step.None;
  }
  if ((a & Action.Detach) != 0) {
    detach(lc, now);
    advert = true;
  }
  if ((a & Action.AttachRoot) != 0) {
    lc.depth = lc.lastDepth = 0;
    lc.root = lc.self;
    advert = true;
  }
  if ((a & Action.Attach) != 0) attach(lc, now);
  if ((a & Action.Alert) != 0) sendStatusToChildren(lc, TreeStatus.Recovering);
  if ((a & Action.Await) != 0) {
    lc.depth = WIFI_DEPTH_NONE;
    lc.phase = Phase.Await;
    lc.phaseAt = now + lc.cfg.treeAwaitTimeoutMs;
    advert = true;
  }
  if ((a & Action.Resume) != 0) {
    resume(lc, event, prev);
    advert = true;
  }
  if ((a & Action.Scan) != 0) startScan(lc, now);
  if ((a & Action.ScanLater) != 0) scanLater(lc, now);
  if ((a & Action.JoinNext) != 0) joinNext(lc, now);
  if ((a & Action.Register) != 0) register(lc, now);
  if ((a & Action.AddChild) != 0) {
    if (!lc.tree.add(peer)) wifi(WifiOp.Release, peer); // more stations than we can hold
    advert = true;
  }
  if ((a & Action.Accept) != 0) {
    accept(lc, peer, arg);
    advert = true;
  }
  if ((a & Action.Refuse) != 0) sendJoinAccept(lc, peer, arg, JoinStatus.Refused);
  if ((a & Action.DropChild) != 0) {
    dropChild(lc, peer);
    advert = true;
  }
  if (advert || prev != lc.state) advertise(lc);
}

// ---- inspect ----------------------------------------------------------------------------

/** Bytes `writeLife` needs: 12 fixed, then 3 per child. */
export function lifeDumpBytes(maxChildren: u32): u32 {
  return 12 + 3 * maxChildren;
}

/**
 * `inspect(3)`, tree: `state:u8 depth:u8 parent:u16 root:u16 joining:u16 overwrites:u16
 * count:u8 reserved:u8`, then `count` children `id:u16 flags:u8` (bit 0 registered).
 */
export function writeLife(lc: Lifecycle, out: usize, cap: u32): u32 {
  const t = lc.tree;
  if (cap < lifeDumpBytes(<u32>t.size)) return 0;
  putU8(out, 0, lc.state);
  putU8(out, 1, lc.depth);
  putU16(out, 2, t.parent);
  putU16(out, 4, lc.root);
  putU16(out, 6, lc.joining);
  putU16(out, 8, min(lc.ring.overwrites, 0xffff));
  putU8(out, 10, t.size);
  putU8(out, 11, 0);
  for (let i = 0; i < t.size; i++) {
    putU16(out, 12 + 3 * i, t.idAt(i));
    putU8(out, 14 + 3 * i, t.registeredAt(i) ? 1 : 0);
  }
  return 12 + 3 * <u32>t.size;
}
