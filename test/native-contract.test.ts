// The C mirror of the HAL ABI (hal/include/myco_hal.h) must carry the same numbers as
// tools/wire/abi.ts; a drift would make the firmware shell misread a module the
// simulator runs correctly.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as abi from '../tools/wire/abi.ts';
import { CONFIG_KEYS } from '../tools/wire/config.ts';
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
      ['MYCO_SUBMIT_SEND', abi.SubmitKind.Send],
      ['MYCO_SUBMIT_SEND_BLOB', abi.SubmitKind.SendBlob],
      ['MYCO_SUBMIT_UNKNOWN_KIND', abi.SubmitError.UnknownKind],
      ['MYCO_SUBMIT_BAD_LENGTH', abi.SubmitError.BadLength],
      ['MYCO_SUBMIT_NOT_NEIGHBOUR', abi.SubmitError.NotNeighbour],
      ['MYCO_SUBMIT_REFUSED', abi.SubmitError.Refused],
      ['MYCO_SUBMIT_NO_ROUTE', abi.SubmitError.NoRoute],
      ['MYCO_SUBMIT_TOO_LONG', abi.SubmitError.TooLong],
      ['MYCO_SUBMIT_BUSY', abi.SubmitError.Busy],
      ['MYCO_SUBMIT_NO_BLOB', abi.SubmitError.NoBlob],
      ['MYCO_SUBMIT_BAD_FLAGS', abi.SubmitError.BadFlags],
      ['MYCO_EMIT_DELIVERED', abi.EmitKind.Delivered],
      ['MYCO_EMIT_SEND_DONE', abi.EmitKind.SendDone],
      ['MYCO_SEND_FLAG_RELIABLE', abi.SendFlag.Reliable],
      ['MYCO_SEND_DELIVERED', abi.SendStatus.Delivered],
      ['MYCO_SEND_NO_ROUTE', abi.SendStatus.NoRoute],
      ['MYCO_SEND_RETRIES_EXHAUSTED', abi.SendStatus.RetriesExhausted],
      ['MYCO_SEND_DEADLINE', abi.SendStatus.Deadline],
      ['MYCO_SEND_REFUSED', abi.SendStatus.Refused],
      ['MYCO_INSPECT_COUNTERS', abi.InspectWhat.Counters],
      ['MYCO_INSPECT_NEIGHBOURS', abi.InspectWhat.Neighbours],
      ['MYCO_INSPECT_ROUTES', abi.InspectWhat.Routes],
      ['MYCO_EMIT_ROUTED_RTT', abi.EmitKind.RoutedRtt],
      ['MYCO_EMIT_STATE', abi.EmitKind.State],
      ['MYCO_INSPECT_TREE', abi.InspectWhat.Tree],
      ['MYCO_SUBMIT_JOB', abi.SubmitKind.Job],
      ['MYCO_SUBMIT_INFER', abi.SubmitKind.Infer],
      ['MYCO_SUBMIT_INFER_BLOB', abi.SubmitKind.InferBlob],
      ['MYCO_SUBMIT_ORCH', abi.SubmitKind.Orch],
      ['MYCO_SUBMIT_ORCH_STEPS', abi.SubmitKind.OrchSteps],
      ['MYCO_SUBMIT_NO_STEP', abi.SubmitError.NoStep],
      ['MYCO_SUBMIT_NO_ORCH', abi.SubmitError.NoOrch],
      ['MYCO_EMIT_INFER_OUTPUT', abi.EmitKind.InferOutput],
      ['MYCO_EMIT_ORCH_RESULT', abi.EmitKind.OrchResult],
      ['MYCO_EMIT_ORCH_FAILED', abi.EmitKind.OrchFailed],
      ['MYCO_SUBMIT_NOT_ACTIVE', abi.SubmitError.NotActive],
      ['MYCO_INIT_MALFORMED_CONFIG', abi.InitError.MalformedConfig],
      ['MYCO_INIT_OUT_OF_RANGE', abi.InitError.OutOfRange],
    ];
    for (const [name, value] of pairs) expect(c(name), name).toBe(value);
  });

  it('Wi-Fi tree codes', () => {
    const pairs: [string, number][] = [
      ['MYCO_LINK_SCAN_DONE', abi.LinkEvent.ScanDone],
      ['MYCO_LINK_JOIN_FAILED', abi.LinkEvent.JoinFailed],
      ['MYCO_LINK_CHILD_UP', abi.LinkEvent.ChildUp],
      ['MYCO_LINK_CHILD_DOWN', abi.LinkEvent.ChildDown],
      ['MYCO_WIFI_SCAN', abi.WifiOp.Scan],
      ['MYCO_WIFI_JOIN', abi.WifiOp.Join],
      ['MYCO_WIFI_LEAVE', abi.WifiOp.Leave],
      ['MYCO_WIFI_ADVERTISE', abi.WifiOp.Advertise],
      ['MYCO_WIFI_RELEASE', abi.WifiOp.Release],
      ['MYCO_WIFI_BUSY', abi.WifiError.Busy],
      ['MYCO_WIFI_UNKNOWN', abi.WifiError.Unknown],
      ['MYCO_WIFI_NOT_AVAILABLE', abi.WifiError.NotAvailable],
      ['MYCO_WIFI_FLAG_ACCEPTING', abi.WifiFlag.Accepting],
      ['MYCO_WIFI_FLAG_ROOT_ATTACHED', abi.WifiFlag.RootAttached],
      ['MYCO_WIFI_DEPTH_NONE', abi.WIFI_DEPTH_NONE],
      ['MYCO_WIFI_SCAN_RECORD_BYTES', abi.WIFI_SCAN_RECORD_BYTES],
    ];
    for (const [name, value] of pairs) expect(c(name), name).toBe(value);
  });

  it('config keys of the link layer, reliable delivery and tree mode', () => {
    for (const [name, spec] of Object.entries(CONFIG_KEYS)) {
      if (spec.key >= 16 && spec.key < 32) continue; // the route layer's block
      expect(c(`MYCO_CFG_${name.toUpperCase()}`), name).toBe(spec.key);
    }
  });
});
