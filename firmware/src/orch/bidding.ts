// Bidding in the Contract-Net auction, as a strategy (`orch_bidding`): whether this node offers
// to take a requested step, and whether a requester takes an offer it hears. Pure functions.
// First-accept (the DATOR default): the first ACCEPT wins; later ones are cancelled.

import { Bidding } from "./config";
import { stepLoaded } from "./decide";

/**
 * An accepter's side: offer for `step` when it is loaded and the node's load (packages queued
 * or running here, plus seats reserved by earlier accepts) is under `limit`, and a free package
 * slot remains beyond the reserved ones.
 */
export function shouldAccept(strategy: u32, mask: u32, step: u32, load: u32, reserved: u32, limit: u32, freeSlots: u32): bool {
  if (!stepLoaded(mask, step)) return false;
  switch (strategy) {
    case Bidding.FirstAccept: return load + reserved < limit && freeSlots > reserved;
  }
  return false;
}

/** The `load:u8` an ACCEPT reports (for strategies that compare offers). */
export function loadByte(load: u32, reserved: u32): u32 {
  const n = load + reserved;
  return n > 255 ? 255 : n;
}

/**
 * A requester's side: take the offer now (dispatch to its sender)? `waiting` = the package is
 * still being auctioned (not yet given to anyone).
 */
export function takeOffer(strategy: u32, waiting: bool, offerLoad: u32): bool {
  switch (strategy) {
    case Bidding.FirstAccept: return waiting;
  }
  return false;
}
