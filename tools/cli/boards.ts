// `myco boards`: the board descriptors as a table (or JSON).

import { HELP_FLAG, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { renderTable, formatBytes } from './table.ts';
import { loadBoards, orchCapabilityOf } from '../../host-sim/boards.ts';

export const boardsCommand: Command = {
  name: 'boards',
  summary: 'list the board descriptors (boards/*.json)',
  usage: 'myco boards [options]',
  description:
    'Lists every board descriptor: MCU, clock, memory, the Wasm memory budget the simulator and the\n' +
    'firmware enforce, engine, radio, the compute model (capability relative to esp32 = 1.0, and the\n' +
    'orch_capability an orchestrating node of the board reports unless its scenario sets one), and the\n' +
    'Wi-Fi figures of the wifi medium: scan, association and DHCP times, softAP station limit,\n' +
    'beacon-loss timeout and per-hop latency (mean jitter after the +); "-" for boards without Wi-Fi.',
  args: [],
  flags: [{ name: 'json', description: 'print the descriptors as JSON' }, HELP_FLAG],
  examples: [
    ['myco boards', 'the table'],
    ['myco boards --json', 'machine-readable'],
  ],
  run(args, io) {
    if (args.positionals.length) throw new UsageError(`boards takes no arguments, got: ${args.positionals.join(' ')}`);
    const boards = [...loadBoards().values()];
    if (args.flags.json) {
      io.out(JSON.stringify(boards, null, 2) + '\n');
      return 0;
    }
    const rows = boards.map((b) => [
      b.name,
      b.mcu,
      `${b.clock_mhz}`,
      formatBytes(b.ram_bytes),
      formatBytes(b.flash_bytes),
      formatBytes(b.wasm_memory_budget),
      b.engine,
      b.radio.kind,
      `${b.radio.mtu}`,
      `${b.radio.bandwidth_bps / 1000}`,
      `${b.radio.range_m}`,
      `${b.capability}`,
      `${orchCapabilityOf(b)}`,
      `${b.compute.ns_per_unit}`,
      b.wifi ? `${b.wifi.scan_ms}+${b.wifi.assoc_ms}+${b.wifi.dhcp_ms}` : '-',
      b.wifi ? `${b.wifi.max_children}` : '-',
      b.wifi ? `${b.wifi.beacon_loss_ms / 1000}` : '-',
      b.wifi ? `${b.wifi.hop_latency_ms}+${b.wifi.jitter_ms}` : '-',
    ]);
    io.out(
      renderTable(
        [
          { title: 'board' },
          { title: 'mcu' },
          { title: 'MHz', align: 'right' },
          { title: 'RAM', align: 'right' },
          { title: 'flash', align: 'right' },
          { title: 'wasm budget', align: 'right' },
          { title: 'engine' },
          { title: 'radio' },
          { title: 'mtu', align: 'right' },
          { title: 'kbit/s', align: 'right' },
          { title: 'range m', align: 'right' },
          { title: 'capability', align: 'right' },
          { title: 'orch cap', align: 'right' },
          { title: 'ns/unit', align: 'right' },
          { title: 'wifi scan+assoc+dhcp ms', align: 'right' },
          { title: 'ap max', align: 'right' },
          { title: 'bcn loss s', align: 'right' },
          { title: 'hop ms', align: 'right' },
        ],
        rows,
      ) + '\n',
    );
    return 0;
  },
};
