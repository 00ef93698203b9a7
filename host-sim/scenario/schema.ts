// JSON schema of scenario files. Every object is closed (additionalProperties: false) so a
// misspelt field is an error with a suggestion, never silently ignored.

import { CONFIG_KEYS, isArrayKey, type ConfigKey } from '../../tools/wire/config.ts';
import { DURATION_PATTERN } from '../duration.ts';

export const duration = { type: 'string', pattern: DURATION_PATTERN };
const nodeId = { type: 'integer', minimum: 1, maximum: 0xfffe };
const probability = { type: 'number', minimum: 0, maximum: 1 };
const positive = { type: 'number', exclusiveMinimum: 0 };
const point = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 };

/** A scalar key takes one integer, a `u32[]` key a list of them. */
function configValueSchema(spec: ConfigKey) {
  const integer = { type: 'integer', minimum: spec.min, maximum: spec.max };
  if (!isArrayKey(spec)) return { ...integer, description: spec.doc };
  return { type: 'array', items: integer, minItems: spec.minEntries, maxItems: spec.maxEntries, description: spec.doc };
}

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(Object.entries(CONFIG_KEYS).map(([name, spec]) => [name, configValueSchema(spec)])),
};

/** A node's config as written: numbers, and lists of numbers for `u32[]` keys. */
export type RawConfig = Record<string, number | number[]>;

/** An outage is either a start and a length or a start and an end. */
function outageSchema(withNode: boolean) {
  const base = withNode ? { node: nodeId } : {};
  const byLength = { ...base, at: duration, for: duration };
  const byEnd = { ...base, from: duration, to: duration };
  const all = { ...byLength, ...byEnd };
  return {
    type: 'object',
    properties: all,
    if: { required: ['at'] },
    then: { required: [...(withNode ? ['node'] : []), 'at', 'for'], properties: byLength, additionalProperties: false },
    else: { required: [...(withNode ? ['node'] : []), 'from', 'to'], properties: byEnd, additionalProperties: false },
  };
}

const nodeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: nodeId,
    board: { type: 'string' },
    pos: point,
    config: configSchema,
    outages: { type: 'array', items: outageSchema(false) },
  },
};

const generatorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['random'],
  properties: {
    random: {
      type: 'object',
      additionalProperties: false,
      required: ['count', 'area'],
      properties: {
        count: { type: 'integer', minimum: 1, maximum: 10000 },
        area: { type: 'array', items: positive, minItems: 2, maxItems: 2 },
        board: { type: 'string' },
        config: configSchema,
        connected: { type: 'boolean' },
      },
    },
  },
};

export const scenarioSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'duration', 'nodes'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    description: { type: 'string' },
    seed: { type: 'integer', minimum: 0, maximum: 0xffffffff },
    duration,
    program: { type: 'string', minLength: 1 },
    boot_jitter: duration,
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: { board: { type: 'string' }, config: configSchema },
    },
    medium: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kind: { enum: ['range', 'links', 'wifi'] },
        range_m: positive,
        base_latency_ms: { type: 'number', minimum: 0 },
        hop_latency_ms: { type: 'number', minimum: 0 },
        jitter_ms: { type: 'number', minimum: 0 },
        bandwidth_bps: positive,
        loss: probability,
        links: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['a', 'b'],
            properties: { a: nodeId, b: nodeId, loss: probability, latency_ms: { type: 'number', minimum: 0 }, bandwidth_bps: positive },
          },
        },
      },
    },
    nodes: {
      type: 'array',
      minItems: 1,
      items: { if: { type: 'object', required: ['random'] }, then: generatorSchema, else: nodeSchema },
    },
    outages: { type: 'array', items: outageSchema(true) },
    sensors: {
      type: 'object',
      additionalProperties: false,
      required: ['nodes'],
      properties: {
        wind_seed: { type: 'integer', minimum: 0, maximum: 0xffffffff },
        nodes: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['node', 'quality'],
            properties: {
              node: nodeId,
              quality: { enum: ['high', 'low'] },
              broken: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: duration, to: duration } },
            },
          },
        },
      },
    },
    pings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to', 'every'],
        properties: { from: nodeId, to: nodeId, every: duration, start: duration, stop: duration },
      },
    },
    packages: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'target', 'steps', 'every'],
        properties: {
          from: nodeId,
          target: nodeId,
          backups: { type: 'array', items: nodeId, maxItems: 2 },
          steps: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 31 }, minItems: 2, maxItems: 2 },
          bytes: { type: 'integer', minimum: 0, maximum: 65535 },
          every: duration,
          start: duration,
          stop: duration,
          count: { type: 'integer', minimum: 1, maximum: 10_000_000 },
          queue: { type: 'integer', minimum: 1, maximum: 1_000_000 },
        },
      },
    },
    hermes: {
      type: 'object',
      additionalProperties: false,
      required: ['root', 'steady_from'],
      properties: { root: nodeId, steady_from: duration },
    },
  },
};

/** The raw shape a file has once it passes the schema. */
export interface RawOutage {
  node?: number;
  at?: string;
  for?: string;
  from?: string;
  to?: string;
}

export interface RawNode {
  id: number;
  board?: string;
  pos?: [number, number];
  config?: RawConfig;
  outages?: RawOutage[];
}

export interface RawGenerator {
  random: { count: number; area: [number, number]; board?: string; config?: RawConfig; connected?: boolean };
}

export interface RawScenario {
  name: string;
  description?: string;
  seed?: number;
  duration: string;
  program?: string;
  boot_jitter?: string;
  defaults?: { board?: string; config?: RawConfig };
  medium?: {
    kind?: 'range' | 'links' | 'wifi';
    range_m?: number;
    base_latency_ms?: number;
    hop_latency_ms?: number;
    jitter_ms?: number;
    bandwidth_bps?: number;
    loss?: number;
    links?: { a: number; b: number; loss?: number; latency_ms?: number; bandwidth_bps?: number }[];
  };
  nodes: (RawNode | RawGenerator)[];
  outages?: RawOutage[];
  sensors?: { wind_seed?: number; nodes: { node: number; quality: 'high' | 'low'; broken?: { from: string; to: string } }[] };
  pings?: { from: number; to: number; every: string; start?: string; stop?: string }[];
  packages?: { from: number; target: number; backups?: number[]; steps: [number, number]; bytes?: number; every: string; start?: string; stop?: string; count?: number; queue?: number }[];
  hermes?: { root: number; steady_from: string };
}
