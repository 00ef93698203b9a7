// The C mirror of the HAL ABI (hal/include/myco_hal.h) must carry the same numbers as
// tools/wire/abi.ts; a drift would make the firmware shell misread a module the
// simulator runs correctly.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as abi from '../tools/wire/abi.ts';
import { ROOT } from '../tools/firmware/native.ts';

const header = readFileSync(join(ROOT, 'hal/include/myco_hal.h'), 'utf8');
const defines = new Map<string, number>();
for (const m of header.matchAll(/^#define (MYCO_\w+) \(?(-?(?:0x[0-9A-Fa-f]+|\d+))u?\)?/gm)) {
  defines.set(m[1], Number(m[2]));
}
const c = (name: string) => {
  expect(defines.has(name), `${name} in myco_hal.h`).toBe(true);
  return defines.get(name);
};

describe('myco_hal.h mirrors tools/wire/abi.ts', () => {
  it('version, addresses and deadlines', () => {
    expect(c('MYCO_ABI_VERSION')).toBe(abi.ABI_VERSION);
    expect(c('MYCO_NODE_NONE')).toBe(abi.NODE_NONE);
    expect(c('MYCO_BROADCAST')).toBe(abi.BROADCAST);
    expect(c('MYCO_NO_DEADLINE')).toBe(abi.NO_DEADLINE);
  });

  it('numeric codes', () => {
    const pairs: [string, number][] = [
      ['MYCO_SEND_QUEUE_FULL', abi.SendError.QueueFull],
      ['MYCO_SEND_TOO_LONG', abi.SendError.TooLong],
      ['MYCO_SEND_BAD_DST', abi.SendError.BadDestination],
      ['MYCO_LOG_ERROR', abi.LogLevel.Error],
      ['MYCO_LOG_WARN', abi.LogLevel.Warn],
      ['MYCO_LOG_INFO', abi.LogLevel.Info],
      ['MYCO_LOG_DEBUG', abi.LogLevel.Debug],
      ['MYCO_LINK_UP', abi.LinkEvent.Up],
      ['MYCO_LINK_DOWN', abi.LinkEvent.Down],
      ['MYCO_LINK_TX_FAILED', abi.LinkEvent.TxFailed],
      ['MYCO_EMIT_NEIGHBOUR_UP', abi.EmitKind.NeighbourUp],
      ['MYCO_EMIT_NEIGHBOUR_DOWN', abi.EmitKind.NeighbourDown],
      ['MYCO_EMIT_PING_RTT', abi.EmitKind.PingRtt],
      ['MYCO_SUBMIT_PING', abi.SubmitKind.Ping],
      ['MYCO_INSPECT_COUNTERS', abi.InspectWhat.Counters],
      ['MYCO_INSPECT_NEIGHBOURS', abi.InspectWhat.Neighbours],
      ['MYCO_INIT_MALFORMED_CONFIG', abi.InitError.MalformedConfig],
      ['MYCO_INIT_OUT_OF_RANGE', abi.InitError.OutOfRange],
    ];
    for (const [name, value] of pairs) expect(c(name), name).toBe(value);
  });
});
