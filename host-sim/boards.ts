// Board descriptors (boards/*.json): the figures that give each simulated node its speed,
// radio and memory budget. The firmware build reads the same files, so field names here
// are a contract.

import { readdirSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { Ajv } from 'ajv';
import { BOARDS_DIR } from './paths.ts';
import { describeAjvError, didYouMean } from './schema-errors.ts';

export interface Radio {
  kind: string;
  mtu: number;
  bandwidth_bps: number;
  base_latency_ms: number;
  range_m: number;
  /** Frames the driver buffers for sending; a full queue makes `send` return -1. */
  tx_queue?: number;
  /** Frames the driver buffers while the CPU is busy; more are dropped and counted. */
  rx_queue?: number;
}

/**
 * Wi-Fi infrastructure interfaces (softAP + station) for the tree medium; docs/simulator.md,
 * "Wi-Fi tree medium", gives each figure's source.
 */
export interface WifiSpec {
  /** One scan of every channel, until the results are handed over. */
  scan_ms: number;
  /** Authentication and association with a softAP (WPA2 handshake included). */
  assoc_ms: number;
  /** DHCP: from association until the station holds an address. */
  dhcp_ms: number;
  /** Stations this board's softAP admits. */
  max_children: number;
  /** Silence from its AP after which the station reports it lost. */
  beacon_loss_ms: number;
  /** Silence from a station after which this softAP drops it. */
  ap_inactivity_ms: number;
  /** Fixed part of one UDP frame's trip over one hop, the node's own handling included. */
  hop_latency_ms: number;
  /** Mean of the random (exponential) part of one hop's latency. */
  jitter_ms: number;
  /** UDP goodput through the softAP. */
  bandwidth_bps: number;
}

export interface Board {
  name: string;
  description: string;
  mcu: string;
  arch: string;
  clock_mhz: number;
  ram_bytes: number;
  flash_bytes: number;
  wasm_memory_budget: number;
  engine: 'wasm3' | 'aot';
  radio: Radio;
  capability: number;
  compute: { ns_per_unit: number };
  /** Absent on boards without Wi-Fi: the `wifi` import answers -5 there. */
  wifi?: WifiSpec;
}

export const DEFAULT_TX_QUEUE = 8;
export const DEFAULT_RX_QUEUE = 16;

const positive = { type: 'number', exclusiveMinimum: 0 };
const positiveInt = { type: 'integer', minimum: 1 };

export const BOARD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'mcu', 'arch', 'clock_mhz', 'ram_bytes', 'flash_bytes', 'wasm_memory_budget', 'engine', 'radio', 'capability', 'compute'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    description: { type: 'string' },
    mcu: { type: 'string' },
    arch: { type: 'string' },
    clock_mhz: positive,
    ram_bytes: positiveInt,
    flash_bytes: positiveInt,
    wasm_memory_budget: positiveInt,
    engine: { enum: ['wasm3', 'aot'] },
    radio: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'mtu', 'bandwidth_bps', 'base_latency_ms', 'range_m'],
      properties: {
        kind: { type: 'string' },
        mtu: { type: 'integer', minimum: 32 },
        bandwidth_bps: positive,
        base_latency_ms: { type: 'number', minimum: 0 },
        range_m: positive,
        tx_queue: positiveInt,
        rx_queue: positiveInt,
      },
    },
    capability: positive,
    compute: {
      type: 'object',
      additionalProperties: false,
      required: ['ns_per_unit'],
      properties: { ns_per_unit: positive },
    },
    wifi: {
      type: 'object',
      additionalProperties: false,
      required: ['scan_ms', 'assoc_ms', 'dhcp_ms', 'max_children', 'beacon_loss_ms', 'ap_inactivity_ms', 'hop_latency_ms', 'jitter_ms', 'bandwidth_bps'],
      properties: {
        scan_ms: positive,
        assoc_ms: positive,
        dhcp_ms: { type: 'number', minimum: 0 },
        max_children: positiveInt,
        beacon_loss_ms: positive,
        ap_inactivity_ms: positive,
        hop_latency_ms: { type: 'number', minimum: 0 },
        jitter_ms: { type: 'number', minimum: 0 },
        bandwidth_bps: positive,
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, verbose: true }).compile(BOARD_SCHEMA);

/** Checks one parsed descriptor; `source` names it in errors. */
export function parseBoard(value: unknown, source: string): Board {
  if (!validate(value)) {
    const lines = (validate.errors ?? []).map((e) => {
      const { path, message } = describeAjvError(e);
      return `${source}: ${path}: ${message}`;
    });
    throw new Error(`invalid board descriptor\n${lines.join('\n')}`);
  }
  const board = value as unknown as Board;
  const expected = basename(source).replace(/\.json$/, '');
  if (source.endsWith('.json') && board.name !== expected) {
    throw new Error(`${source}: name: "${board.name}" does not match the file name "${expected}"`);
  }
  if (board.wasm_memory_budget > board.ram_bytes) {
    throw new Error(`${source}: wasm_memory_budget: ${board.wasm_memory_budget} exceeds ram_bytes ${board.ram_bytes}`);
  }
  return board;
}

export type BoardSet = Map<string, Board>;

export function loadBoards(dir = BOARDS_DIR): BoardSet {
  const boards: BoardSet = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`${path}: not valid JSON: ${(e as Error).message}`);
    }
    const board = parseBoard(json, path);
    boards.set(board.name, board);
  }
  return boards;
}

export function getBoard(boards: BoardSet, name: string): Board {
  const b = boards.get(name);
  if (!b) throw new Error(`unknown board "${name}"${didYouMean(name, boards.keys())} (known: ${[...boards.keys()].join(', ')})`);
  return b;
}

/** Microseconds a node of this board is busy for `cost` units of work. */
export function computeTimeUs(board: Board, cost: number): number {
  return Math.ceil((cost * board.compute.ns_per_unit) / 1000);
}

/**
 * The `orch_capability` figure (1..255) a node of this board reports when its scenario gives
 * none: 128 + 24·log2(capability), rounded and clamped, so the ESP32 (1.0) is 128 and every
 * doubling of speed adds 24 (esp8266 80, elasticnode-v5 96, elasticnode-v4 41, rpi3 255).
 */
export function orchCapabilityOf(board: Pick<Board, 'capability'>): number {
  return Math.min(255, Math.max(1, Math.round(128 + 24 * Math.log2(board.capability))));
}
