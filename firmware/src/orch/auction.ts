// The Contract-Net auction (docs/orchestration.md). A node holding a package whose next step
// it has not loaded broadcasts REQUESTs naming the step, every `orch_request_interval_ms`, at
// most `orch_request_retries` times. A node with the step and room answers ACCEPT and holds a
// seat for `orch_reserve_ms`. The requester takes an offer by the bidding strategy (the first
// accept, or the best scored within a window), dispatches the package and waits for the ACK, sending it again on timeout; offers
// it does not take are answered with CANCEL, which frees the seat.

import { before } from "../core/bytes";
import { count } from "../core/counters";
import { MsgType } from "../wire/format";
import { acceptBattery, acceptCapability, fifthByte, nameCounter, nameOrigin, nameStep, PKG_HEAD } from "../wire/orch";
import { routeMetric } from "../route/service";
import { sendOwn } from "../route/delivery";
import { DeliveryState } from "../route/deliverystate";
import { SendStatus, SubmitError } from "../hal";
import { better, collectWindow, hopsOf, loadByte, score, shouldAccept, shouldAssume, takeOffer } from "./bidding";
import { Bidding } from "./config";
import {
  ORCH_ACCEPT_RX, ORCH_ACK_RX, ORCH_ASSUMED, ORCH_CANCEL_RX, ORCH_DISPATCH_RETX, ORCH_DISPATCH_TX, ORCH_EXPIRED, ORCH_REQ_RX,
  ORCH_RESERVE_EXPIRED, ORCH_TAKEN_RX,
} from "./counters";
import { custodyTick, handedOn, stillHeld } from "./custody";
import { packageKey, stepLoaded, targetAt } from "./decide";
import { freeCount, workLoad } from "./manager";
import { offerSteps } from "./model";
import { PkgState, WorkPackage } from "./package";
import { FailReason, failPackage, resultHere, setSteps, StepsCause, trace, TraceEvent } from "./records";
import { sendAccept, sendCancel, sendRequest, sendTaken } from "./send";
import { OrchState } from "./state";

/** A delivery layer with no free send buffer is tried again this soon. */
const BUSY_RETRY_MS: u32 = 5;
/**
 * How long a dispatch may stay in the delivery layer before it counts as a failed try anyway.
 * The delivery layer ends every message (by `frag_deadline_ms`) and says so (`deliveryDone`);
 * this only guards against a report that never comes.
 */
const IN_DELIVERY_MS: u32 = 120000;

function reservedCount(o: OrchState): u32 {
  let n: u32 = 0;
  for (let i = 0; i < o.reservations.length; i++) if (o.reservations[i].used) n++;
  return n;
}

/** The package `key` from `requester` has arrived: its seat is no longer held. */
export function takeReservation(o: OrchState, requester: u32, key: u32): void {
  for (let i = 0; i < o.reservations.length; i++) {
    const r = o.reservations[i];
    if (r.used && r.requester == requester && r.key == key) r.used = false;
  }
}

/** The package `key` being placed for `step` here (auctioned, or sent and not yet acknowledged). */
function placing(o: OrchState, key: u32, step: u32): WorkPackage | null {
  for (let i = 0; i < o.pool.length; i++) {
    const p = o.pool[i];
    if ((p.state == PkgState.Auction || p.state == PkgState.Sending) && p.next == step && packageKey(p.origin, p.counter) == key) return p;
  }
  return null;
}

/** REQUEST from `requester`: offer when the step is loaded here and the bidding strategy allows. */
export function receiveRequest(o: OrchState, requester: u32, p: usize, now: u32): void {
  count(ORCH_REQ_RX);
  if (requester == o.self) return;
  const key = packageKey(nameOrigin(p), nameCounter(p));
  const step = nameStep(p);
  // Already holding a seat for it (our ACCEPT was lost): offer again.
  let seat = -1;
  for (let i = 0; i < o.reservations.length; i++) {
    const r = o.reservations[i];
    if (r.used && r.requester == requester && r.key == key && r.step == step) seat = i;
  }
  const load = workLoad(o);
  const reserved = reservedCount(o);
  if (seat < 0) {
    if (o.seen.has(key, step)) {
      // Taken here already: the requester holds a repeat (a custodian that gave up on a slow
      // holder, or a lost ACK). Tell it, so it does not ask for ever.
      sendTaken(o, requester, nameOrigin(p), nameCounter(p), step);
      return;
    }
    if (!stepLoaded(o.cfg.steps, step) && shouldAssume(o.cfg.assume, o.cfg.canSteps, step, fifthByte(p), o.cfg.assumeRounds)) {
      // Nobody has answered this step for a while and this node could load it: take it on.
      count(ORCH_ASSUMED);
      setSteps(o, o.cfg.steps | (1 << (step - 1)), o.self, StepsCause.Assumed);
    }
    if (!shouldAccept(o.cfg.bidding, offerSteps(o), step, load, reserved, o.cfg.acceptLimit, freeCount(o))) return;
    for (let i = 0; i < o.reservations.length && seat < 0; i++) if (!o.reservations[i].used) seat = i;
    if (seat < 0) return;
    const r = o.reservations[seat];
    r.used = true;
    r.requester = requester;
    r.key = key;
    r.step = step;
  }
  o.reservations[seat].untilMs = now + o.cfg.reserveMs;
  sendAccept(o, requester, nameOrigin(p), nameCounter(p), step, loadByte(load, reserved));
}

/** ACCEPT from `accepter`: dispatch to it if the strategy takes the offer, else cancel it. */
export function receiveAccept(o: OrchState, accepter: u32, p: usize, now: u32): void {
  count(ORCH_ACCEPT_RX);
  const origin = nameOrigin(p);
  const counter = nameCounter(p);
  const step = nameStep(p);
  // Only a package being placed for this step takes offers (not a kept copy of the same one).
  const f = placing(o, packageKey(origin, counter), step);
  if (f !== null) {
    const pkg = f!;
    // A repeated offer from the node it already went to changes nothing.
    if (pkg.state == PkgState.Sending && pkg.dst == accepter && pkg.next == step) return;
    if (o.cfg.bidding == Bidding.Weighted && pkg.state == PkgState.Auction && pkg.next == step) {
      // Collect: keep the best offer until the window closes (auctionTick), cancel the rest.
      if (pkg.offer == accepter) return;
      const s = score(acceptCapability(p), fifthByte(p), hopsOf(routeMetric(accepter)), acceptBattery(p));
      if (pkg.offer == 0) {
        pkg.offer = accepter;
        pkg.offerScore = s;
        pkg.atMs = now + collectWindow(o.cfg.requestIntervalMs);
        return;
      }
      if (better(s, accepter, pkg.offerScore, pkg.offer)) {
        const beaten = pkg.offer;
        pkg.offer = accepter;
        pkg.offerScore = s;
        sendCancel(o, beaten, origin, counter, step);
        return;
      }
    } else if (pkg.next == step && takeOffer(o.cfg.bidding, pkg.state == PkgState.Auction, fifthByte(p))) {
      pkg.state = PkgState.Sending;
      pkg.dst = accepter;
      pkg.tries = 0;
      pkg.pending = true;
      pkg.atMs = now;
      return;
    }
  }
  // Gone elsewhere (or finished): release the accepter's seat.
  sendCancel(o, accepter, origin, counter, step);
}

/**
 * TAKEN from `src`: it already took this package for the step being auctioned here (our ACK
 * from it was lost, or this copy is a repeat made by a custodian that gave up on a slow
 * holder). Either way the package goes on from `src`: this counts as its ACK, so the copy here
 * is kept in custody of `src` until `src` releases it (its probes find `src` has moved on).
 */
export function receiveTaken(o: OrchState, src: u32, p: usize, now: u32): void {
  count(ORCH_TAKEN_RX);
  const q = placing(o, packageKey(nameOrigin(p), nameCounter(p)), nameStep(p));
  if (q === null || q!.state != PkgState.Auction) return;
  const pkg = q!;
  if (pkg.offer != 0) sendCancel(o, pkg.offer, pkg.origin, pkg.counter, pkg.next);
  pkg.offer = 0;
  pkg.dst = src;
  handedOn(o, pkg, now);
}

export function receiveCancel(o: OrchState, requester: u32, p: usize): void {
  count(ORCH_CANCEL_RX);
  const key = packageKey(nameOrigin(p), nameCounter(p));
  const step = nameStep(p);
  for (let i = 0; i < o.reservations.length; i++) {
    const r = o.reservations[i];
    if (r.used && r.requester == requester && r.key == key && r.step == step) r.used = false;
  }
}

/**
 * ACK from `src`: the package it names has been taken there (custody.ts keeps a copy until it
 * moves on), or, answering a PROBE, is still held there.
 */
export function receiveAck(o: OrchState, src: u32, p: usize, now: u32): void {
  const key = packageKey(nameOrigin(p), nameCounter(p));
  const step = nameStep(p);
  for (let i = 0; i < o.pool.length; i++) {
    const pkg = o.pool[i];
    if (pkg.dst != src || pkg.next != step || packageKey(pkg.origin, pkg.counter) != key) continue;
    if (pkg.state == PkgState.Sending || pkg.state == PkgState.Auction) {
      // In auction again: the ACK came after its try had ended; the package is taken all the same.
      count(ORCH_ACK_RX);
      if (pkg.state == PkgState.Auction && pkg.offer != 0) sendCancel(o, pkg.offer, pkg.origin, pkg.counter, pkg.next);
      pkg.offer = 0;
      handedOn(o, pkg, now);
      return;
    }
    if (pkg.state == PkgState.Custody) {
      stillHeld(o, pkg, now);
      return;
    }
  }
}

/** Hands the package to the delivery layer for `p.dst`. */
function dispatch(o: OrchState, d: DeliveryState, p: WorkPackage, now: u32): void {
  p.writeHead(now);
  const r = sendOwn(d, p.dst, MsgType.OrchPackage, p.dataPtr, PKG_HEAD + p.len, true, now);
  if (r == SubmitError.Busy) {
    p.atMs = now + BUSY_RETRY_MS;
    return;
  }
  // Sent: the ACK is awaited once the delivery layer has delivered it (deliveryDone). No route
  // for now: a timeout counts the try.
  p.pending = false;
  p.tries++;
  count(p.tries == 1 ? ORCH_DISPATCH_TX : ORCH_DISPATCH_RETX);
  if (p.tries == 1) trace(o, p.origin, p.counter, p.next, TraceEvent.Sent, p.dst);
  p.msg = r > 0 ? <u32>r : 0;
  p.atMs = now + (r > 0 ? IN_DELIVERY_MS : o.cfg.ackTimeoutMs);
}

/**
 * The delivery layer ended dispatch `msg` to `dst`: delivered (the receiver's ACK is due within
 * `orch_ack_timeout_ms`) or failed (the try is over now).
 */
export function deliveryDone(o: OrchState, msg: u32, dst: u32, status: u32, now: u32): void {
  for (let i = 0; i < o.pool.length; i++) {
    const p = o.pool[i];
    if (p.state != PkgState.Sending || p.pending || p.msg != msg || p.dst != dst) continue;
    p.msg = 0;
    p.atMs = status == SendStatus.Delivered ? now + o.cfg.ackTimeoutMs : now;
    return;
  }
}

/** The ACK did not come: send again, or give the package to someone else. */
function ackTimeout(o: OrchState, p: WorkPackage, now: u32): void {
  if (p.expired(now)) {
    // Only once a try has ended: while one is under way the receiver may already have it.
    count(ORCH_EXPIRED);
    failPackage(o, p, p.next == 0 ? FailReason.TargetUnreachable : FailReason.Expired);
    return;
  }
  if (p.tries <= o.cfg.dispatchRetries) {
    p.pending = true;
    p.atMs = now;
    return;
  }
  if (p.next == 0) {
    // The target does not answer: its backups in turn, then give up.
    p.targetsFailed++;
    let t = targetAt(p.targetsFailed, p.target, p.backup1, p.backup2);
    if (t == 0 && p.deadlineMs != 0) {
      // With a deadline the targets are tried again in turn until it passes (auctionTick).
      p.targetsFailed = 0;
      t = p.target;
    }
    if (t == 0) {
      failPackage(o, p, FailReason.TargetUnreachable);
      return;
    }
    if (t == o.self) {
      // This node is the backup target: the result is here already.
      resultHere(o, p, now);
      return;
    }
    p.dst = t;
    p.tries = 0;
    p.pending = true;
    p.atMs = now;
    return;
  }
  // The accepter stopped answering: auction the step again (its REQUEST rounds keep counting).
  p.state = PkgState.Auction;
  p.offer = 0;
  p.atMs = now;
}

/** No older package here is being auctioned for the same step. */
function firstInLine(o: OrchState, p: WorkPackage): bool {
  for (let i = 0; i < o.pool.length; i++) {
    const q = o.pool[i];
    if (q !== p && q.state == PkgState.Auction && q.next == p.next && <i32>(q.order - p.order) < 0) return false;
  }
  return true;
}

/** Due auction work: REQUEST rounds, dispatches, ACK timeouts, expired seats. Returns ms to the next. */
export function auctionTick(o: OrchState, d: DeliveryState, now: u32): u32 {
  let next: u32 = 0xffffffff;
  for (let i = 0; i < o.reservations.length; i++) {
    const r = o.reservations[i];
    if (!r.used) continue;
    if (!before(now, r.untilMs)) {
      r.used = false;
      count(ORCH_RESERVE_EXPIRED);
    } else if (r.untilMs - now < next) next = r.untilMs - now;
  }
  for (let i = 0; i < o.pool.length; i++) {
    const p = o.pool[i];
    if (p.state == PkgState.Auction && p.expired(now)) {
      count(ORCH_EXPIRED);
      failPackage(o, p, p.next == 0 ? FailReason.TargetUnreachable : FailReason.Expired);
      continue;
    }
    if (p.state == PkgState.Custody && !before(now, p.atMs)) custodyTick(o, p, now);
    if (p.state == PkgState.Auction && p.offer != 0 && !before(now, p.atMs)) {
      // Weighted: the offer window has closed; the best offer takes the package.
      p.state = PkgState.Sending;
      p.dst = p.offer;
      p.offer = 0;
      p.tries = 0;
      p.pending = true;
      p.atMs = now;
    }
    if (p.state == PkgState.Auction && !before(now, p.atMs) && !firstInLine(o, p)) {
      // An older package here waits for the same step: its auction goes first (one REQUEST
      // flood per step and node at a time, not one per waiting package).
      p.atMs = now + o.cfg.requestIntervalMs;
    } else if (p.state == PkgState.Auction && !before(now, p.atMs)) {
      if (o.cfg.requestRetries != 0 && p.rounds >= o.cfg.requestRetries) {
        failPackage(o, p, FailReason.NoStep);
        continue;
      }
      sendRequest(o, p.origin, p.counter, p.next, p.rounds);
      p.rounds++;
      p.atMs = now + o.cfg.requestIntervalMs;
    } else if (p.state == PkgState.Sending && !before(now, p.atMs)) {
      if (p.pending) dispatch(o, d, p, now);
      else ackTimeout(o, p, now);
      if (p.state == PkgState.Sending && p.pending && !before(now, p.atMs)) dispatch(o, d, p, now);
    }
    if (p.state == PkgState.Auction || p.state == PkgState.Sending || p.state == PkgState.Custody) {
      const w = before(now, p.atMs) ? p.atMs - now : 0;
      if (w < next) next = w;
    }
  }
  return next;
}
