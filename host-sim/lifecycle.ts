// The node lifecycle of tree mode as the host sees it: STATE records (docs/abi.md) turned into
// integration times (boot to leaving Join Network: Init + Search + Join Network, HERMES §4.1),
// parent recovery times (entering Parent Recovery to Active again) and time spent per state.

import { LIFE_STATE_NAMES, LifeState } from '../tools/wire/abi.ts';

export interface StateRecord {
  state: number;
  prev: number;
  parent: number;
  depth: number;
  event: number;
}

export function decodeState(bytes: Uint8Array): StateRecord | null {
  if (bytes.length !== 6 || bytes[0] >= LIFE_STATE_NAMES.length || bytes[1] >= LIFE_STATE_NAMES.length) return null;
  return { state: bytes[0], prev: bytes[1], parent: bytes[2] | (bytes[3] << 8), depth: bytes[4], event: bytes[5] };
}

export const stateName = (s: number) => LIFE_STATE_NAMES[s] ?? `state${s}`;

export interface Integration {
  /** Microseconds of virtual time at power-on. */
  bootUs: number;
  /** Boot to Active (the root: Init -> Active at once). */
  ms: number;
  search_ms: number;
  join_ms: number;
  root: boolean;
}

export interface Recovery {
  startUs: number;
  ms: number;
  /** The recovery went through Node Restart (the subtree was released). */
  restarted: boolean;
}

const ms = (us: number) => Math.round(us) / 1000;

export class LifeTracker {
  readonly integrations: Integration[] = [];
  readonly recoveries: Recovery[] = [];
  /** Microseconds spent per state, over every boot. */
  readonly stateUs = new Array<number>(LIFE_STATE_NAMES.length).fill(0);
  records = 0;
  state: number | null = null;
  parent = 0;
  depth = 255;
  private since = 0;
  private bootUs = 0;
  private integrated = false;
  private phaseUs = [0, 0, 0];
  private recoveryStart: number | null = null;
  private restarted = false;

  boot(atUs: number): void {
    this.bootUs = this.since = atUs;
    this.state = LifeState.Init;
    this.integrated = false;
    this.phaseUs = [0, 0, 0];
    this.recoveryStart = null;
  }

  /** Powered off or failed: the open state ends, an unfinished recovery is not counted. */
  stop(atUs: number): void {
    if (this.state !== null) this.stateUs[this.state] += atUs - this.since;
    this.state = null;
    this.recoveryStart = null;
  }

  record(atUs: number, r: StateRecord): void {
    this.records++;
    const prev = this.state ?? r.prev;
    const spent = atUs - this.since;
    this.stateUs[prev] += spent;
    if (!this.integrated && prev <= LifeState.JoinNetwork) this.phaseUs[prev] += spent;
    this.since = atUs;
    this.state = r.state;
    this.parent = r.parent;
    this.depth = r.depth;
    if (!this.integrated && r.state === LifeState.Active) {
      this.integrated = true;
      this.integrations.push({
        bootUs: this.bootUs,
        ms: ms(atUs - this.bootUs),
        search_ms: ms(this.phaseUs[LifeState.Search]),
        join_ms: ms(this.phaseUs[LifeState.JoinNetwork]),
        root: prev === LifeState.Init,
      });
    }
    if (r.state === LifeState.ParentRecovery && this.recoveryStart === null) {
      this.recoveryStart = atUs;
      this.restarted = false;
    }
    if (r.state === LifeState.NodeRestart) this.restarted = true;
    if (r.state === LifeState.Active && this.recoveryStart !== null) {
      this.recoveries.push({ startUs: this.recoveryStart, ms: ms(atUs - this.recoveryStart), restarted: this.restarted });
      this.recoveryStart = null;
    }
  }

  /** Time per state up to `atUs` (the open state included), by state name, in ms. */
  durations(atUs: number): Record<string, number> {
    const out: Record<string, number> = {};
    LIFE_STATE_NAMES.forEach((name, i) => {
      const open = this.state === i ? atUs - this.since : 0;
      out[name] = ms(this.stateUs[i] + open);
    });
    return out;
  }
}

export function mean(xs: number[]): number | null {
  return xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000 : null;
}
