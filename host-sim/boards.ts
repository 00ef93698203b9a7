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
