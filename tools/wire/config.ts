// The config blob handed to `init` (docs/abi.md, "Config"): records `key:u8 len:u8 value`.

/** A scalar key: an unsigned little-endian integer. */
export interface ScalarConfigKey {
  key: number;
  /** Width of the value on the wire: 1, 2 or 4 bytes. */
  size: 1 | 2 | 4;
  default: number;
  min: number;
  max: number;
  doc: string;
}

/** Most entries a `u32[]` key holds: a record of 4..124 bytes. */
export const CONFIG_ARRAY_MAX = 31;

/**
 * A `u32[]` key: `len` is 4 x the entry count; each entry is a little-endian u32 in
 * min..max. Absent unless given (no default value).
 */
export interface ArrayConfigKey {
  key: number;
  kind: 'u32[]';
  /** Bytes per entry. */
  size: 4;
  minEntries: number;
  maxEntries: number;
  default: null;
  /** Range of each entry. */
  min: number;
  max: number;
  doc: string;
}

export type ConfigKey = ScalarConfigKey | ArrayConfigKey;

export function isArrayKey(spec: ConfigKey): spec is ArrayConfigKey {
  return 'kind' in spec && spec.kind === 'u32[]';
}

export const CONFIG_KEYS = {
  hello_interval_ms: { key: 1, size: 4, default: 1000, min: 50, max: 65_535, doc: 'period of hello beacons (HELLO carries it as u16)' },
  neighbour_timeout_ms: { key: 2, size: 4, default: 3500, min: 51, max: 3_600_000, doc: 'a neighbour not heard for this long is dropped' },
  neighbour_capacity: { key: 3, size: 1, default: 16, min: 1, max: 254, doc: 'entries in the neighbour table' },
  ping_interval_ms: { key: 4, size: 4, default: 0, min: 0, max: 600_000, doc: 'period of pings to neighbours, 0 = never' },
  mtu: { key: 5, size: 2, default: 250, min: 32, max: 1024, doc: 'largest frame the link carries' },
  log_level: { key: 6, size: 1, default: 1, min: 0, max: 3, doc: 'highest log level passed to the host' },
  // Routing (docs/routing.md): keys 16..31.
  route_capacity: { key: 16, size: 2, default: 32, min: 1, max: 1024, doc: 'entries in the routing table (destinations)' },
  hop_limit: { key: 17, size: 1, default: 16, min: 1, max: 255, doc: 'hops a routed or flooded frame may travel' },
  trickle_imin_ms: { key: 18, size: 2, default: 500, min: 50, max: 60_000, doc: 'shortest Trickle interval between routing updates' },
  trickle_doublings: { key: 19, size: 1, default: 8, min: 0, max: 16, doc: 'Trickle doublings: the longest interval is imin x 2^doublings' },
  trickle_k: { key: 20, size: 1, default: 2, min: 0, max: 255, doc: 'Trickle redundancy constant: skip a full update after hearing this many consistent ones, 0 = never skip' },
  holddown_ms: { key: 21, size: 4, default: 0, min: 0, max: 3_600_000, doc: 'after boot, learn no multi-hop route and forward nothing for this long; 0 = neighbour_timeout_ms' },
  update_gap_ms: { key: 22, size: 2, default: 100, min: 10, max: 60_000, doc: 'least time between two triggered (partial) routing updates' },
  flood_cache: { key: 23, size: 1, default: 32, min: 1, max: 255, doc: 'recent network broadcasts remembered to drop duplicates' },
  flood_jitter_ms: { key: 24, size: 2, default: 20, min: 0, max: 1000, doc: 'random delay before rebroadcasting a network broadcast' },
  link_fail_limit: { key: 25, size: 1, default: 8, min: 0, max: 255, doc: 'failed transmissions in a row that drop a neighbour, 0 = never' },
  // Reliable delivery (docs/delivery.md): keys 32..47.
  ack_timeout_ms: { key: 32, size: 2, default: 40, min: 5, max: 10_000, doc: 'wait for a hop-by-hop LINK_ACK before sending an ACK_REQ frame again' },
  link_retries: { key: 33, size: 1, default: 4, min: 0, max: 15, doc: 'retransmissions of an unacknowledged ACK_REQ frame before the hop fails' },
  reliable_pool: { key: 34, size: 1, default: 4, min: 1, max: 64, doc: 'ACK_REQ frames held for retransmission at once' },
  dup_cache: { key: 35, size: 1, default: 16, min: 1, max: 255, doc: 'recent (src, type, seq) of ACK_REQ frames remembered to drop duplicates' },
  frag_buffer_bytes: { key: 36, size: 2, default: 2048, min: 256, max: 65_535, doc: 'size of each reassembly and send buffer: the longest message' },
  frag_buffers: { key: 37, size: 1, default: 1, min: 0, max: 16, doc: 'messages reassembled at once' },
  send_buffers: { key: 38, size: 1, default: 1, min: 0, max: 16, doc: 'messages waiting or in flight from this node at once' },
  frag_timeout_ms: { key: 39, size: 2, default: 250, min: 10, max: 60_000, doc: 'end-to-end wait for a FRAG_ACK (sender) or for more fragments (receiver)' },
  frag_retries: { key: 40, size: 1, default: 8, min: 1, max: 255, doc: 'end-to-end retransmission rounds of a message before it fails' },
  frag_deadline_ms: { key: 41, size: 4, default: 30_000, min: 100, max: 3_600_000, doc: 'a message not delivered this long after it started fails' },
  msg_sources: { key: 42, size: 1, default: 8, min: 1, max: 64, doc: 'sources whose message order the receiver tracks' },
  // Tree mode and the node lifecycle (docs/routing.md, "Tree mode"): keys 48..63.
  route_mode: { key: 48, size: 1, default: 0, min: 0, max: 1, doc: '0 mesh (broadcast radio), 1 tree (HERMES lifecycle over Wi-Fi softAP/STA links)' },
  tree_root: { key: 49, size: 1, default: 0, min: 0, max: 1, doc: 'tree mode: 1 = this node is the root of the tree' },
  tree_scan_retry_ms: { key: 50, size: 2, default: 1000, min: 100, max: 60_000, doc: 'tree mode: wait before scanning again after a scan found no parent (doubles per miss)' },
  tree_scan_retry_max_ms: { key: 51, size: 4, default: 16_000, min: 100, max: 600_000, doc: 'tree mode: longest wait between scans (the backoff cap; taken as tree_scan_retry_ms if smaller)' },
  tree_scan_timeout_ms: { key: 52, size: 2, default: 10_000, min: 1000, max: 60_000, doc: 'tree mode: a scan that has not reported after this long counts as finding nothing' },
  tree_join_timeout_ms: { key: 53, size: 2, default: 15_000, min: 1000, max: 60_000, doc: 'tree mode: wait for the association (UP or JOIN_FAILED) after a JOIN' },
  tree_register_timeout_ms: { key: 54, size: 2, default: 2000, min: 100, max: 60_000, doc: "tree mode: wait for the parent's JOIN_ACCEPT after sending JOIN_REQ" },
  tree_max_join_attempts: { key: 55, size: 1, default: 3, min: 1, max: 16, doc: 'tree mode: candidate parents tried from one scan before scanning again' },
  tree_recovery_timeout_ms: { key: 56, size: 4, default: 30_000, min: 1000, max: 3_600_000, doc: 'tree mode: longest Parent Recovery before Node Restart releases the subtree' },
  tree_await_timeout_ms: { key: 57, size: 4, default: 60_000, min: 1000, max: 3_600_000, doc: 'tree mode: longest Recovery Await before the node seeks a parent itself' },
  tree_max_children: { key: 58, size: 1, default: 8, min: 1, max: 32, doc: 'tree mode: children this node registers (the softAP may admit fewer)' },
  tree_fail_limit: { key: 59, size: 1, default: 4, min: 0, max: 255, doc: 'tree mode: failed unicasts in a row to a child that drop it, 0 = never' },
  // Inference steps (docs/steps.md): keys 64..79.
  infer_step: { key: 64, size: 1, default: 0, min: 0, max: 1, doc: '1 = this node runs a step (layers infer_first_layer..infer_last_layer) of the model in blob infer_model_blob' },
  infer_model_blob: { key: 65, size: 4, default: 0, min: 0, max: 0xffff_fffe, doc: 'blob id holding the whole .myco model file' },
  infer_first_layer: { key: 66, size: 2, default: 0, min: 0, max: 65_534, doc: 'first layer of the step' },
  infer_last_layer: { key: 67, size: 2, default: 0, min: 0, max: 65_534, doc: 'last layer of the step (at least infer_first_layer)' },
  infer_chunk_bytes: { key: 68, size: 2, default: 4096, min: 64, max: 65_535, doc: 'weight chunk buffer: weights are streamed in blocks of output channels of at most this many bytes (more if one channel needs it)' },
  infer_slice_macs: { key: 69, size: 4, default: 20_000, min: 100, max: 100_000_000, doc: 'work (multiply-accumulates) computed per tick before the node returns to answer frames' },
  // Orchestration (docs/orchestration.md): keys 80..95.
  orch_enable: { key: 80, size: 1, default: 0, min: 0, max: 1, doc: '1 = this node takes part in the auction orchestration of work packages' },
  orch_steps: { key: 81, size: 4, default: 0, min: 0, max: 0x7fff_ffff, doc: 'steps loaded here as a bitmask: bit k-1 = step k (1..31)' },
  orch_packages: { key: 82, size: 1, default: 2, min: 1, max: 32, doc: 'work packages held at once (input and output queues share this pool)' },
  orch_payload_bytes: { key: 83, size: 2, default: 256, min: 16, max: 65535, doc: 'largest package payload; 16 + this must fit frag_buffer_bytes' },
  orch_seen: { key: 84, size: 1, default: 16, min: 1, max: 255, doc: 'recently taken (package, step) pairs remembered to drop duplicates' },
  orch_request_interval_ms: { key: 85, size: 2, default: 200, min: 10, max: 60000, doc: 'wait between REQUEST rounds for a step' },
  orch_request_retries: { key: 86, size: 1, default: 20, min: 0, max: 255, doc: 'REQUEST rounds before a package fails (no node has the step); 0 = no limit (until its deadline, if it has one)' },
  orch_ack_timeout_ms: { key: 87, size: 2, default: 1000, min: 10, max: 60000, doc: "wait for the receiver's ACK before sending a package again" },
  orch_dispatch_retries: { key: 88, size: 1, default: 3, min: 0, max: 15, doc: 'resends of a package to one receiver before it is auctioned again (or the next target tried)' },
  orch_reserve_ms: { key: 89, size: 2, default: 2000, min: 10, max: 60000, doc: 'how long an ACCEPT holds a seat for the package' },
  orch_accept_limit: { key: 90, size: 1, default: 1, min: 1, max: 32, doc: 'accept while fewer packages than this are queued, running or reserved here (1 = only when idle)' },
  orch_bidding: { key: 91, size: 1, default: 0, min: 0, max: 1, doc: 'bidding strategy: 0 first-accept, 1 weighted (best score of the offers heard within half a request interval)' },
  orch_step_cost: { key: 92, size: 4, default: 0, min: 0, max: 0x5f5e100, doc: 'work units (compute) of one simulated step' },
  orch_slice_cost: { key: 93, size: 4, default: 20000, min: 100, max: 0x5f5e100, doc: 'work computed per tick before the node returns to answer frames' },
  orch_capability: { key: 94, size: 1, default: 0, min: 0, max: 255, doc: 'compute capability this node reports in ACCEPTs for weighted bidding (0 = unknown)' },
  orch_battery: { key: 95, size: 1, default: 255, min: 0, max: 255, doc: 'battery level this node reports in ACCEPTs, 0..254 (255 = unknown: no penalty)' },
  // Orchestration, continued: keys 96..111.
  orch_step_costs: {
    key: 96, kind: 'u32[]', size: 4, minEntries: 1, maxEntries: CONFIG_ARRAY_MAX, default: null, min: 0, max: 0x5f5e100,
    doc: 'work units of each step here: entry k-1 = step k; steps past the end cost orch_step_cost',
  },
  orch_cost_jitter_pct: { key: 97, size: 1, default: 0, min: 0, max: 100, doc: "each step's cost is varied uniformly by +- this percent" },
  orch_custody_ms: { key: 98, size: 4, default: 5000, min: 0, max: 3_600_000, doc: "0 = custody ends with the receiver's ACK; else the sender keeps its copy until the receiver confirms the next handoff, probing after this long" },
  orch_deadline_ms: { key: 99, size: 4, default: 0, min: 0, max: 86_400_000, doc: 'packages submitted here fail when older than this, 0 = no deadline' },
  orch_assume: { key: 100, size: 1, default: 0, min: 0, max: 1, doc: '1 = the step-assumption heuristic is on' },
  orch_assume_rounds: { key: 101, size: 1, default: 5, min: 1, max: 255, doc: 'a REQUEST round at least this high for a step this node could load makes it assume the step' },
  orch_can_steps: { key: 102, size: 4, default: 0, min: 0, max: 0x7fff_ffff, doc: 'steps this node could load (for orch_assume) as a bitmask: bit k-1 = step k (1..31)' },
  orch_step_bytes: {
    key: 103, kind: 'u32[]', size: 4, minEntries: 1, maxEntries: CONFIG_ARRAY_MAX, default: null, min: 0, max: 65_535,
    doc: 'payload bytes a simulated step hands on: entry k-1 = after step k, 0 = unchanged; steps past the end leave it unchanged',
  },
  orch_keep_free: { key: 105, size: 1, default: 1, min: 0, max: 31, doc: 'package slots a submit leaves free for packages from other nodes (so a busy origin still takes the last steps of its own packages); at most orch_packages - 1 are kept' },
  orch_trace: { key: 104, size: 1, default: 0, min: 0, max: 1, doc: '1 = emit an ORCH_TRACE record at each step start and end, dispatch and take-over (timelines)' },
  // Sensor fusion (docs/fusion.md): keys 112..127.
  fuse_role: { key: 112, size: 1, default: 0, min: 0, max: 2, doc: 'sensor fusion: 0 off, 1 sensor (send readings to fuse_sink), 2 fusion node (fuse the readings it gets)' },
  fuse_sink: { key: 113, size: 2, default: 0, min: 0, max: 65534, doc: 'sensor: the fusion node its readings go to (required for role 1)' },
  fuse_period_ms: { key: 114, size: 4, default: 1000, min: 100, max: 3_600_000, doc: 'the time step: a sensor reads and sends once per period, a fusion node fuses once' },
  fuse_channel: { key: 115, size: 1, default: 0, min: 0, max: 255, doc: 'sensor: the HAL sensor channel read (an f32 value, optionally followed by an f32 accuracy)' },
  fuse_accuracy_milli: { key: 116, size: 4, default: 1000, min: 1, max: 1_000_000_000, doc: 'sensor: the accuracy sent when the channel gives only a value, in thousandths of its unit' },
  fuse_phenomenon: { key: 117, size: 1, default: 0, min: 0, max: 255, doc: 'what a sensor measures / what a fusion node fuses: readings of another are not mixed in' },
  fuse_qos: { key: 118, size: 1, default: 1, min: 1, max: 3, doc: 'fusion node: FTI QoS level, f = ceil(n/10), ceil(n/5) or floor((n-1)/2) of n readings' },
  fuse_sensors: { key: 119, size: 1, default: 16, min: 1, max: 32, doc: 'fusion node: sensors followed at once (slots)' },
  fuse_window: { key: 120, size: 1, default: 32, min: 4, max: 64, doc: 'fusion node: samples per sensor kept for clustering' },
  fuse_cluster: { key: 121, size: 1, default: 0, min: 0, max: 3, doc: 'fusion node: fuse only the reference sensor\'s cluster, found by 1 label propagation, 2 modularity, 3 OSort; 0 = fuse every sensor' },
  fuse_reference: { key: 122, size: 2, default: 0, min: 0, max: 65534, doc: 'fusion node: the reference sensor clustering groups around (required when fuse_cluster is set)' },
  fuse_cluster_every: { key: 123, size: 2, default: 16, min: 1, max: 65535, doc: 'fusion node: steps between clustering runs' },
  fuse_threshold_milli: { key: 124, size: 2, default: 700, min: 0, max: 1000, doc: 'fusion node: correlation (x1000) at which two sensors count as measuring the same' },
  fuse_sensor_timeout: { key: 125, size: 1, default: 3, min: 1, max: 255, doc: 'fusion node: silent steps after which a sensor loses its slot' },
} as const satisfies Record<string, ConfigKey>;

export type ConfigName = keyof typeof CONFIG_KEYS;
/** A number for a scalar key, a list of numbers for a `u32[]` key. */
export type ConfigValue<S> = S extends { kind: 'u32[]' } ? readonly number[] : number;
export type NodeConfig = { -readonly [K in ConfigName]?: ConfigValue<(typeof CONFIG_KEYS)[K]> };

/** Why `value` cannot be given for `name`, or null when it can; scenario checks and the encoder share it. */
export function configValueProblem(name: string, value: unknown): string | null {
  const spec = (CONFIG_KEYS as Record<string, ConfigKey>)[name];
  if (!spec) return `unknown node config key "${name}"`;
  const intIn = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= spec.min && v <= spec.max;
  if (isArrayKey(spec)) {
    if (!Array.isArray(value)) return `expected a list of ${spec.minEntries}..${spec.maxEntries} integers ${spec.min}..${spec.max} (a u32[] key), got ${JSON.stringify(value)}`;
    if (value.length < spec.minEntries || value.length > spec.maxEntries) {
      return `has ${value.length} entries; a u32[] key takes ${spec.minEntries}..${spec.maxEntries}`;
    }
    const bad = value.findIndex((v) => !intIn(v));
    if (bad >= 0) return `entry [${bad}] = ${JSON.stringify(value[bad])} is not an integer in ${spec.min}..${spec.max}`;
    return null;
  }
  if (Array.isArray(value)) return `expected one integer ${spec.min}..${spec.max}, not a list`;
  if (!intIn(value)) return `${JSON.stringify(value)} is out of range ${spec.min}..${spec.max}`;
  return null;
}

/** Encodes only the keys given; the module applies its defaults to the rest. */
export function encodeConfig(config: NodeConfig): Uint8Array {
  const names = Object.keys(config) as ConfigName[];
  const bytes: number[] = [];
  for (const name of names) {
    const spec: ConfigKey = CONFIG_KEYS[name];
    if (!spec) throw new Error(`unknown node config key "${name}" (known: ${Object.keys(CONFIG_KEYS).join(', ')})`);
    const value = config[name]!;
    if (!isArrayKey(spec) && typeof value === 'number' && (!Number.isInteger(value) || value < spec.min || value > spec.max)) {
      throw new Error(`node config ${name} = ${value} is out of range ${spec.min}..${spec.max}`);
    }
    const problem = configValueProblem(name, value);
    if (problem) throw new Error(`node config ${name}: ${problem}`);
    const entries = isArrayKey(spec) ? (value as readonly number[]) : [value as number];
    bytes.push(spec.key, spec.size * entries.length);
    for (const v of entries) for (let i = 0; i < spec.size; i++) bytes.push((v >>> (8 * i)) & 0xff);
  }
  return Uint8Array.from(bytes);
}
