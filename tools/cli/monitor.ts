// `myco monitor --serial [port]`: a board's serial console (its event lines and the settings
// console, docs/boards.md), through PlatformIO's `pio device monitor`.

import { HELP_FLAG, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { BOARD_ENVS, envForBoard, findPio, PIO_MISSING, runPio, showCommand } from './pio.ts';

export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'watch a board’s serial console (PlatformIO device monitor)',
  usage: 'myco monitor --serial [port] [options]',
  description:
    'Opens the serial console of a board running the Myco firmware, by running\n' +
    '`pio device monitor`: the board prints one event per line (ready ..., emit ..., log ...,\n' +
    'panic ...) as a posix node does, and takes console commands (help, show,\n' +
    'set <name>=<value>, id <n>, save, reboot, inspect). Without a port PlatformIO picks the\n' +
    'board it finds. With --board the environment of that board supplies the speed.\n' +
    'Needs PlatformIO (`pip install platformio`); without it the command says so and exits 1.\n' +
    'Exit codes: 0 closed, 1 PlatformIO missing or failed, 2 usage.',
  args: [['[port]', 'serial port, e.g. /dev/ttyUSB0 or COM3 (default: PlatformIO finds it)']],
  flags: [
    { name: 'serial', description: 'a board on a serial port (the only kind of monitor so far; required)' },
    { name: 'board', value: 'BOARD', description: `board whose platformio.ini environment to use: ${Object.keys(BOARD_ENVS).join(', ')}` },
    { name: 'baud', value: 'N', description: 'serial speed', default: '115200' },
    { name: 'dry-run', description: 'print the pio command instead of running it' },
    HELP_FLAG,
  ],
  examples: [
    ['myco monitor --serial', 'the board PlatformIO finds'],
    ['myco monitor --serial /dev/ttyUSB0', 'a given port'],
    ['myco monitor --serial --board esp8266', 'with the esp8266 environment’s settings'],
  ],
  async run(args, io) {
    if (args.flags.serial !== true) throw new UsageError('monitor needs --serial (a board on a serial port): myco monitor --serial [port]');
    if (args.positionals.length > 1) throw new UsageError(`monitor takes at most one port, got: ${args.positionals.join(' ')}`);
    const pioArgs = ['device', 'monitor'];
    if (args.positionals.length === 1) pioArgs.push('-p', args.positionals[0]);
    const baudText = typeof args.flags.baud === 'string' ? args.flags.baud : '115200';
    const baud = Number(baudText);
    if (!Number.isInteger(baud) || baud < 300 || baud > 4_000_000) throw new UsageError(`--baud must be a serial speed such as 115200, not "${baudText}"`);
    pioArgs.push('-b', String(baud));
    if (typeof args.flags.board === 'string') pioArgs.push('-e', envForBoard(args.flags.board));
    if (args.flags['dry-run']) {
      io.out(`${showCommand(pioArgs)}\n`);
      return 0;
    }
    const pio = findPio();
    if (!pio) {
      io.err(`myco monitor: ${PIO_MISSING}\n`);
      return 1;
    }
    const code = await runPio(pio, pioArgs);
    if (code !== 0) {
      io.err(`myco monitor: pio exited with code ${code}\n`);
      return 1;
    }
    return 0;
  },
};
