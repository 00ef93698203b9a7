// The fusion layer's face to the node program: one of the two roles, set up at init from
// the fuse_* keys, ticked with the other layers, fed FUSE_READING frames by the route layer.

import { rand } from "../hal";
import { NO_DEADLINE } from "../hal";
import { Header } from "../wire/header";
import { onFusion } from "../route/dispatch";
import { FuseConfig, FuseRole } from "./config";
import { SensorState, sensorTick } from "./sensor";
import { SinkState, sinkReceive, sinkTick } from "./sink";

export class FuseState {
  sensor: SensorState | null = null;
  sink: SinkState | null = null;
}

let bound: SinkState | null = null;

function readingHook(frame: usize, h: Header, now: u32): bool {
  if (bound === null) return false;
  sinkReceive(bound!, frame, h);
  return true;
}

export function fuseInit(cfg: FuseConfig, now: u32): FuseState {
  const f = new FuseState();
  if (cfg.role == FuseRole.Sensor) {
    f.sensor = new SensorState(cfg, now);
  } else {
    const sink = new SinkState(cfg, rand(), now);
    f.sink = sink;
    bound = sink;
    onFusion(readingHook);
  }
  return f;
}

/** ms until the layer's next due work. */
export function fuseTick(f: FuseState, now: u32): u32 {
  if (f.sensor !== null) return sensorTick(f.sensor!, now);
  if (f.sink !== null) return sinkTick(f.sink!, now);
  return NO_DEADLINE;
}
