// The config blob handed to `init` (docs/abi.md, "Config"): records `key:u8 len:u8 value`.

export interface ConfigKey {
  key: number;
  /** Width of the value on the wire: 1, 2 or 4 bytes. */
  size: 1 | 2 | 4;
  default: number;
  min: number;
  max: number;
  doc: string;
}

export const CONFIG_KEYS = {
  hello_interval_ms: { key: 1, size: 4, default: 1000, min: 50, max: 65_535, doc: 'period of hello beacons (HELLO carries it as u16)' },
  neighbour_timeout_ms: { key: 2, size: 4, default: 3500, min: 51, max: 3_600_000, doc: 'a neighbour not heard for this long is dropped' },
  neighbour_capacity: { key: 3, size: 1, default: 16, min: 1, max: 254, doc: 'entries in the neighbour table' },
  ping_interval_ms: { key: 4, size: 4, default: 0, min: 0, max: 600_000, doc: 'period of pings to neighbours, 0 = never' },
  mtu: { key: 5, size: 2, default: 250, min: 32, max: 1024, doc: 'largest frame the link carries' },
  log_level: { key: 6, size: 1, default: 1, min: 0, max: 3, doc: 'highest log level passed to the host' },
} as const satisfies Record<string, ConfigKey>;

export type ConfigName = keyof typeof CONFIG_KEYS;
export type NodeConfig = Partial<Record<ConfigName, number>>;

/** Encodes only the keys given; the module applies its defaults to the rest. */
export function encodeConfig(config: NodeConfig): Uint8Array {
  const names = Object.keys(config) as ConfigName[];
  const out = new Uint8Array(names.length * 6);
  let at = 0;
  for (const name of names) {
    const spec = CONFIG_KEYS[name];
    if (!spec) throw new Error(`unknown node config key "${name}" (known: ${Object.keys(CONFIG_KEYS).join(', ')})`);
    const value = config[name]!;
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
      throw new Error(`node config ${name} = ${value} is out of range ${spec.min}..${spec.max}`);
    }
    out[at++] = spec.key;
    out[at++] = spec.size;
    for (let i = 0; i < spec.size; i++) out[at++] = (value >>> (8 * i)) & 0xff;
  }
  return out.subarray(0, at);
}
