// Which message types this node understands and whether a payload matches its type's
// layout. A layer that adds a message type adds it here, so the wire layer can drop bad
// frames before any layer looks at them.

import { MsgType } from "./format";
import { helloValid } from "./hello";
import { pingValid } from "./ping";
import { routeSeqReqValid, routeUpdateValid } from "./routeupdate";
import { linkAckValid } from "./linkack";
import { fragValid } from "./frag";
import { fragAckValid } from "./fragack";
import { appDataValid } from "./appdata";
import { orchAcceptValid, orchAckValid, orchStepNameValid, orchPackageValid, orchRequestValid, orchStepsValid } from "./orch";
import { announceValid, joinAcceptValid, joinReqValid, treeStatusValid } from "./lifecycle";
import { fuseReadingValid } from "./fuse";

export function isKnownType(type: u32): bool {
  return type == MsgType.Hello || type == MsgType.Ping || type == MsgType.Pong || type == MsgType.RouteUpdate || type == MsgType.RouteSeqReq
    || type == MsgType.LinkAck || type == MsgType.Frag || type == MsgType.FragAck || type == MsgType.AppData
    || (type >= <u32>MsgType.JoinReq && type <= <u32>MsgType.Announce)
    || (type >= <u32>MsgType.OrchRequest && type <= <u32>MsgType.OrchTaken) || type == MsgType.FuseReading;
}

/** `p` points at the payload, `len` is its length; `type` is known. */
export function payloadValid(type: u32, p: usize, len: u32): bool {
  switch (type) {
    case MsgType.Hello: return helloValid(p, len);
    case MsgType.Ping:
    case MsgType.Pong: return pingValid(len);
    case MsgType.RouteUpdate: return routeUpdateValid(p, len);
    case MsgType.RouteSeqReq: return routeSeqReqValid(len);
    case MsgType.LinkAck: return linkAckValid(p, len);
    case MsgType.Frag: return fragValid(p, len);
    case MsgType.FragAck: return fragAckValid(p, len);
    case MsgType.AppData: return appDataValid(p, len);
    case MsgType.JoinReq: return joinReqValid(p, len);
    case MsgType.JoinAccept: return joinAcceptValid(p, len);
    case MsgType.TreeStatus: return treeStatusValid(p, len);
    case MsgType.Announce: return announceValid(p, len);
    case MsgType.OrchRequest: return orchRequestValid(p, len);
    case MsgType.OrchAccept: return orchAcceptValid(p, len);
    case MsgType.OrchCancel:
    case MsgType.OrchRelease:
    case MsgType.OrchProbe:
    case MsgType.OrchTaken: return orchStepNameValid(p, len);
    case MsgType.OrchSteps: return orchStepsValid(p, len);
    case MsgType.OrchAck: return orchAckValid(p, len);
    case MsgType.OrchPackage: return orchPackageValid(p, len);
    case MsgType.FuseReading: return fuseReadingValid(len);
  }
  return false;
}
