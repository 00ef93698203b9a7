// The default node program: neighbour discovery, ping/echo and routing, as a mesh over a
// broadcast radio or (route_mode 1) as a HERMES tree with its node lifecycle over Wi-Fi. It exports exactly the ABI
// of docs/abi.md and forwards each call to the layers. All state is created by `init`;
// after that no export allocates, which the host checks through `heap_top`.

import * as hal from "../src/hal";
import { InitError, InspectWhat, LinkEvent, LogLevel, NO_DEADLINE, SubmitKind, SubmitError } from "../src/hal";
import { allocateOutbox, inbox as inboxPtr, INBOX_SIZE, outbox as outboxPtr, outboxCapacity } from "../src/core/buffers";
import { Config, ConfigKey, configValue, parseConfig, RouteMode } from "../src/core/config";
import { countersDumpBytes, writeCounters } from "../src/core/counters";
import { logAt, setLogLevel } from "../src/core/log";
import { defineWireCounters } from "../src/wire/counters";
import { receiveFrame } from "../src/wire/receive";
import { defineLinkCounters } from "../src/link/counters";
import { neighboursDumpBytes, writeNeighbours } from "../src/link/dump";
import { linkAcked, linkEvent, linkFrame, linkStart, linkSubmitPing, linkTick } from "../src/link/link";
import { LinkState } from "../src/link/state";
import { HEADER_SIZE, MsgType } from "../src/wire/format";
import { Header } from "../src/wire/header";
import { defineRouteCounters } from "../src/route/counters";
import { routesDumpBytes, writeRoutes } from "../src/route/dump";
import { MeshNeighbours, NeighbourSet, TreeNeighbours } from "../src/route/neighbours";
import { routeSubmitPing } from "../src/route/ping";
import { routeFrame, routeStart, routeTick } from "../src/route/route";
import { bindRoute } from "../src/route/service";
import { RouteState } from "../src/route/state";
import { routeLinkChanges } from "../src/route/update";
import { defineReliableCounters } from "../src/link/reliablecounters";
import { onHopAck, onHopFailure, reliableInit, reliableReceive, reliableTick } from "../src/link/reliable";
import { defineDeliveryCounters } from "../src/route/deliverycounters";
import { DeliveryState } from "../src/route/deliverystate";
import { deliveryInit, deliveryTick, submitSend, submitSendBlob } from "../src/route/delivery";
import { onDeliver } from "../src/route/dispatch";
import { defineLifeCounters } from "../src/life/counters";
import { lifeAnnounce, lifeDumpBytes, lifeFrame, lifeHeard, lifeHopFailed, lifeLinkEvent, lifeStart, lifeSubmitJob, lifeTick, lifeUpdateHeard, writeLife } from "../src/life/life";
import { Lifecycle } from "../src/life/state";
import { InferConfig, parseInferConfig, stepRangeOk, wantsStep } from "../src/infer/exec/config";
import { loadStep } from "../src/infer/exec/load";
import { stepTick, submitInfer, submitInferBlob } from "../src/infer/exec/run";
import { StepState } from "../src/infer/exec/state";
import { OrchConfig, parseOrchConfig, wantsOrch } from "../src/orch/config";
import { orchInit, orchSetSteps, orchSubmit, orchSubmitBlob, orchTick, orchTrigger } from "../src/orch/orch";
import { payloadHolds } from "../src/orch/model";
import { OrchState } from "../src/orch/state";
import { PKG_HEAD } from "../src/wire/orch";
import { FuseConfig, fuseRoleReady, parseFuseConfig, wantsFuse } from "../src/fuse/config";
import { fuseInit, fuseTick, FuseState } from "../src/fuse/fuse";
import { defineFuseCounters } from "../src/fuse/counters";

export const ABI_VERSION: i32 = hal.ABI_VERSION;

/** Frames are not authenticated yet; a tagged frame is dropped as `wire.drop.tag`. */
const NETWORK_HAS_KEY = false;

// Block header the stub runtime puts in front of every allocation.
const BLOCK_OVERHEAD: usize = sizeof<usize>();

let link: LinkState | null = null;
let route: RouteState | null = null;
let delivery: DeliveryState | null = null;
/** Tree mode only (route_mode 1): the node lifecycle. */
let life: Lifecycle | null = null;
/** Only with `infer_step` = 1: the step of a model this node runs (docs/steps.md). */
let step: StepState | null = null;
/** Only with `orch_enable` = 1: the work package manager and its auctions (docs/orchestration.md). */
let orch: OrchState | null = null;
/** Sensor fusion (fuse/), when `fuse_role` is set. */
let fuse: FuseState | null = null;

/** JOIN_REQ, JOIN_ACCEPT and TREE_STATUS travel one hop between parent and child. */
function isLifecycleHop(type: u32): bool {
  return type >= <u32>MsgType.JoinReq && type <= <u32>MsgType.TreeStatus;
}

function announced(frame: usize, len: u32, sender: u32, now: u32): bool {
  return life !== null && lifeAnnounce(life!, frame, now);
}

/** An acknowledged frame to `peer` exhausted its retransmissions (tree mode: a child may be gone). */
function hopFailed(peer: u32, frame: usize, len: u32): void {
  if (life !== null) lifeHopFailed(life!, peer, hal.now_ms());
}

/** One-hop link traffic (hellos, pings between neighbours) goes to the link layer; the rest is routed. */
function isLinkTraffic(h: Header, sender: u32): bool {
  return h.type == MsgType.Hello || (h.type < <u32>MsgType.RouteUpdate && h.src == sender && h.hops <= 1);
}

/** A neighbour acknowledged one of our frames: tell the link layer the link works. */
function hopAcked(peer: u32): void {
  if (link !== null) linkAcked(link!, peer);
}

export function inbox(): u32 {
  return <u32>inboxPtr;
}

export function inbox_size(): u32 {
  return INBOX_SIZE;
}

export function outbox(): u32 {
  return <u32>outboxPtr();
}

/** Allocating zero bytes and freeing them again leaves the stub runtime's bump pointer unchanged. */
export function heap_top(): u32 {
  const p = heap.alloc(0);
  heap.free(p);
  return <u32>(p - BLOCK_OVERHEAD);
}

export function init(node_id: u32, cfg_len: u32): i32 {
  if (link !== null) return InitError.AlreadyInitialised;
  if (cfg_len > INBOX_SIZE) return InitError.MalformedConfig;
  if (node_id == 0 || node_id >= hal.BROADCAST) return InitError.OutOfRange;
  const cfg = new Config();
  const result = parseConfig(inboxPtr, cfg_len, INBOX_SIZE, cfg);
  if (result != 0) return result;
  setLogLevel(cfg.logLevel);
  let oc: OrchConfig | null = null;
  if (configValue(inboxPtr, cfg_len, ConfigKey.OrchEnable, 0) > 1) return InitError.OutOfRange;
  if (wantsOrch(inboxPtr, cfg_len)) {
    oc = new OrchConfig();
    // A package travels as one delivery message: its head and payload fit a send buffer.
    if (!parseOrchConfig(inboxPtr, cfg_len, oc!) || PKG_HEAD + oc!.payloadBytes > cfg.fragBufferBytes) return InitError.OutOfRange;
  }
  // A step reads its model's tables through the inbox, whose config is parsed by now.
  if (configValue(inboxPtr, cfg_len, ConfigKey.InferStep, 0) > 1) return InitError.OutOfRange;
  let fc: FuseConfig | null = null;
  if (wantsFuse(inboxPtr, cfg_len)) {
    fc = new FuseConfig();
    if (!parseFuseConfig(inboxPtr, cfg_len, fc!) || !fuseRoleReady(fc!)) return InitError.OutOfRange;
  }
  let st: StepState | null = null;
  if (wantsStep(inboxPtr, cfg_len)) {
    const ic = new InferConfig();
    if (!parseInferConfig(inboxPtr, cfg_len, ic) || !stepRangeOk(ic)) return InitError.OutOfRange;
    st = loadStep(ic, inboxPtr, INBOX_SIZE);
    if (st === null) return InitError.BadModel;
    // With orchestration the steps run here are this model's: its input and output are payloads.
    if (oc !== null && !payloadHolds(oc!, st!)) return InitError.OutOfRange;
  }
  defineWireCounters();
  defineLinkCounters();
  defineRouteCounters();
  defineReliableCounters();
  defineDeliveryCounters();
  // Before the outbox is sized: the counter dump must have room for these names too.
  if (fc !== null) defineFuseCounters();
  const s = new LinkState(node_id, cfg, hal.rand());
  reliableInit(node_id, cfg);
  onHopAck(hopAcked);
  const tree = cfg.routeMode == RouteMode.Tree;
  const tn: TreeNeighbours | null = tree ? new TreeNeighbours(<i32>cfg.treeMaxChildren) : null;
  const nb: NeighbourSet = tree ? tn! : new MeshNeighbours(s);
  const r = new RouteState(node_id, cfg, s, nb);
  bindRoute(r);
  const dl = deliveryInit(node_id, cfg);
  const os: OrchState | null = oc !== null ? orchInit(node_id, oc!, hal.rand()) : null;
  if (os !== null) os.model = st;
  let lc: Lifecycle | null = null;
  if (tree) {
    defineLifeCounters();
    lc = new Lifecycle(node_id, cfg, s, r, tn!);
    onDeliver(announced);
    onHopFailure(hopFailed);
  }
  let dump = max(countersDumpBytes(), max(neighboursDumpBytes(cfg.neighbourCapacity), routesDumpBytes(cfg.routeCapacity)));
  if (tree) dump = max(dump, lifeDumpBytes(cfg.treeMaxChildren));
  allocateOutbox(dump);
  const now = hal.now_ms();
  linkStart(s, now);
  routeStart(r, now);
  link = s;
  route = r;
  delivery = dl;
  life = lc;
  step = st;
  orch = os;
  if (fc !== null) fuse = fuseInit(fc!, now);
  if (lc !== null) {
    lifeStart(lc!, now);
    routeLinkChanges(r, s.changes, now);
  }
  logAt(LogLevel.Info, "node ready");
  return 0;
}

export function on_frame(src: u32, len: u32, rssi: i32): void {
  if (link === null) return;
  const s = link!;
  if (receiveFrame(inboxPtr, len, s.cfg.mtu, NETWORK_HAS_KEY, s.rx)) {
    const now = hal.now_ms();
    // Hop-by-hop acknowledgements first: LINK_ACKs end here, duplicates go no further.
    if (!reliableReceive(inboxPtr, s.rx, src)) return;
    if (life !== null) {
      const lc = life!;
      lifeHeard(lc, src);
      const type = s.rx.type;
      if (isLifecycleHop(type)) lifeFrame(lc, inboxPtr, src, now);
      else if (isLinkTraffic(s.rx, src)) linkFrame(s, inboxPtr, src, rssi, now);
      else {
        routeFrame(route!, inboxPtr, len, src, now);
        if (type == MsgType.RouteUpdate) lifeUpdateHeard(lc, inboxPtr + HEADER_SIZE, src, now);
      }
    } else if (isLinkTraffic(s.rx, src)) linkFrame(s, inboxPtr, src, rssi, now);
    else routeFrame(route!, inboxPtr, len, src, now);
    routeLinkChanges(route!, s.changes, now);
  }
}

export function on_link(event: u32, peer: u32): void {
  if (link === null) return;
  const now = hal.now_ms();
  // In tree mode the Wi-Fi events, not hellos, say who the neighbours are.
  if (life === null || event == LinkEvent.TxFailed) linkEvent(link!, event, peer);
  if (life !== null) lifeLinkEvent(life!, event, peer, now);
  routeLinkChanges(route!, link!.changes, now);
}

export function submit(kind: u32, len: u32): i32 {
  if (link === null) return SubmitError.UnknownKind;
  if (len > INBOX_SIZE) return SubmitError.BadLength;
  if (kind == SubmitKind.Ping) {
    const now = hal.now_ms();
    const r = linkSubmitPing(link!, inboxPtr, len, now);
    return r == SubmitError.NotNeighbour ? routeSubmitPing(route!, inboxPtr, len, now) : r;
  }
  if (kind == SubmitKind.Send) return submitSend(delivery!, inboxPtr, len, hal.now_ms());
  if (kind == SubmitKind.SendBlob) return submitSendBlob(delivery!, inboxPtr, len, hal.now_ms());
  if (kind == SubmitKind.Infer || kind == SubmitKind.InferBlob) {
    if (step === null) return SubmitError.NoStep;
    return kind == SubmitKind.Infer ? submitInfer(step!, inboxPtr, len) : submitInferBlob(step!, inboxPtr, len);
  }
  if (kind == SubmitKind.Orch) return orch === null ? SubmitError.NoOrch : orchSubmit(orch!, inboxPtr, len);
  if (kind == SubmitKind.OrchSteps) return orch === null ? SubmitError.NoOrch : orchSetSteps(orch!, inboxPtr, len);
  if (kind == SubmitKind.OrchTrigger) return orch === null ? SubmitError.NoOrch : orchTrigger(orch!, inboxPtr, len);
  if (kind == SubmitKind.OrchBlob) return orch === null ? SubmitError.NoOrch : orchSubmitBlob(orch!, inboxPtr, len);
  if (kind == SubmitKind.Job && life !== null) {
    const r = lifeSubmitJob(life!, inboxPtr, len, hal.now_ms());
    routeLinkChanges(route!, link!.changes, hal.now_ms());
    return r;
  }
  return SubmitError.UnknownKind;
}

export function tick(now: u32): u32 {
  if (link === null) return NO_DEADLINE;
  // Tree mode sends no hellos: neighbours are the Wi-Fi associations.
  const linkWait = life === null ? linkTick(link!, now) : lifeTick(life!, now);
  routeLinkChanges(route!, link!.changes, now);
  const routeWait = routeTick(route!, now);
  // Orchestration hands packages and control messages to the delivery layer: it ticks first,
  // so what it queued is sent in this tick, not whenever the node next wakes.
  const orchWait = orch !== null ? orchTick(orch!, delivery!, now) : NO_DEADLINE;
  const deliveryWait = min(deliveryTick(delivery!, now), reliableTick(now));
  // A step computes one slice per tick and asks for the next tick at once; a run for a work
  // package is advanced by orchestration instead.
  const stepWait = step !== null && stepTick(step!) ? 0 : NO_DEADLINE;
  const fuseWait = fuse !== null ? fuseTick(fuse!, now) : NO_DEADLINE;
  return min(min(min(linkWait, routeWait), min(deliveryWait, stepWait)), min(orchWait, fuseWait));
}

export function inspect(what: u32): u32 {
  if (link === null) return 0;
  if (what == InspectWhat.Counters) return writeCounters(outboxPtr(), outboxCapacity());
  if (what == InspectWhat.Neighbours) return writeNeighbours(link!, outboxPtr(), outboxCapacity(), hal.now_ms());
  if (what == InspectWhat.Routes) return writeRoutes(route!, outboxPtr(), outboxCapacity(), hal.now_ms());
  if (what == InspectWhat.Tree && life !== null) return writeLife(life!, outboxPtr(), outboxCapacity());
  return 0;
}
