// `myco flash <board>`: build the board's firmware with the node module and upload it, by
// PlatformIO (`pio run -e <env> -t upload`; platformio.ini, docs/boards.md).

import { HELP_FLAG, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { BOARD_ENVS, envForBoard, findPio, PIO_MISSING, runPio, showCommand } from './pio.ts';

export const flashCommand: Command = {
  name: 'flash',
  summary: 'build a board’s firmware and upload it (PlatformIO)',
  usage: 'myco flash <board> [options]',
  description:
    'Builds the firmware of <board> (the firmware shell, its Wasm engine and board shim, with\n' +
    'build/node.wasm embedded by the pre-build step) and uploads it over USB, by running\n' +
    '`pio run -e <env> -t upload` in the repository. Boards and their platformio.ini environments:\n' +
    `${Object.entries(BOARD_ENVS).map(([b, e]) => `  ${b.padEnd(15)} ${e}`).join('\n')}\n` +
    'An Elastic Node v5 needs two images: the RP2040 node and, once, its ESP32 network module\n' +
    '(--bridge). Needs PlatformIO (`pip install platformio`); without it the command says so\n' +
    'and exits 1. Settings (node id, config keys) are set afterwards on the serial console:\n' +
    '`myco monitor --serial`, then `help`. Exit codes: 0 uploaded, 1 PlatformIO missing or failed,\n' +
    '2 usage.',
  args: [['<board>', `one of ${Object.keys(BOARD_ENVS).join(', ')}`]],
  flags: [
    { name: 'port', value: 'PORT', description: 'serial port to upload to (default: PlatformIO finds it)' },
    { name: 'bridge', description: 'upload the Elastic Node v5 network module’s image instead' },
    { name: 'dry-run', description: 'print the pio command instead of running it' },
    HELP_FLAG,
  ],
  examples: [
    ['myco flash esp32', 'build and upload the ESP32 firmware'],
    ['myco flash esp8266 --port /dev/ttyUSB0', 'upload to a given port'],
    ['myco flash elasticnode-v5 --bridge', 'the Elastic Node’s ESP32 module (once per board)'],
    ['myco flash esp32 --dry-run', 'show what would run'],
  ],
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError(`flash takes one board, got ${args.positionals.length ? args.positionals.join(' ') : 'none'}; e.g. myco flash esp32`);
    const env = envForBoard(args.positionals[0], args.flags.bridge === true);
    const pioArgs = ['run', '-e', env, '-t', 'upload'];
    if (typeof args.flags.port === 'string') {
      if (!args.flags.port) throw new UsageError('--port needs a port, e.g. /dev/ttyUSB0');
      pioArgs.push('--upload-port', args.flags.port);
    }
    if (args.flags['dry-run']) {
      io.out(`${showCommand(pioArgs)}\n`);
      return 0;
    }
    const pio = findPio();
    if (!pio) {
      io.err(`myco flash: ${PIO_MISSING}\n`);
      return 1;
    }
    io.err(`myco flash: ${showCommand(pioArgs)}\n`);
    const code = await runPio(pio, pioArgs);
    if (code !== 0) {
      io.err(`myco flash: pio exited with code ${code}\n`);
      return 1;
    }
    return 0;
  },
};
