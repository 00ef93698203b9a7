// The C mirror of the HAL ABI (hal/include/myco_hal.h) must carry the same numbers as
// tools/wire/abi.ts; a drift would make the firmware shell misread a module the
// simulator runs correctly.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as abi from '../tools/wire/abi.ts';
import { CONFIG_KEYS, encodeConfig, isArrayKey, type ConfigKey, type NodeConfig } from '../tools/wire/config.ts';
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
      ['MYCO_SUBMIT_ORCH_BLOB', abi.SubmitKind.OrchBlob],
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

  it('config keys of the link layer, reliable delivery, tree mode, steps and orchestration', () => {
    for (const [name, spec] of Object.entries(CONFIG_KEYS)) {
      if (spec.key >= 16 && spec.key < 32) continue; // the route layer's block
      expect(c(`MYCO_CFG_${name.toUpperCase()}`), name).toBe(spec.key);
    }
    const arrays = Object.values(CONFIG_KEYS as Record<string, ConfigKey>).filter(isArrayKey);
    expect(arrays.map((a) => a.key)).toEqual([c('MYCO_CFG_ORCH_STEP_COSTS'), c('MYCO_CFG_ORCH_STEP_BYTES')]);
    for (const a of arrays) expect(a.maxEntries).toBe(c('MYCO_CFG_ARRAY_MAX'));
  });
});

// hal/shell/myco_config.c's key table, read as text: {"name", MYCO_CFG_X, size, min, max, def, max_entries}.
const configC = readFileSync(join(ROOT, 'hal/shell/myco_config.c'), 'utf8');
const cNumber = (t: string) => (/^MYCO_/.test(t) ? c(t)! : Number(t.replace(/u$/i, '')));

describe('hal/shell/myco_config.c mirrors tools/wire/config.ts', () => {
  it('has every key with its number, width, range, default and u32[] entry count', () => {
    const rows: Record<string, object> = {};
    for (const m of configC.matchAll(/^\s*\{"(\w+)", (MYCO_CFG_\w+), (\d), (\w+), (\w+), (\w+), (\w+)\},/gm)) {
      const entries = cNumber(m[7]);
      rows[m[1]] = { key: cNumber(m[2]), size: +m[3], min: cNumber(m[4]), max: cNumber(m[5]), default: entries ? null : cNumber(m[6]), entries };
    }
    const expected = Object.fromEntries(
      Object.entries(CONFIG_KEYS as Record<string, ConfigKey>).map(([name, k]) => [
        name,
        { key: k.key, size: k.size, min: k.min, max: k.max, default: k.default, entries: isArrayKey(k) ? k.maxEntries : 0 },
      ]),
    );
    expect(rows).toEqual(expected);
  });

  describe('encodes --set assignments as the TypeScript encoder does', () => {
    // A driver around myco_config_set: one blob from the assignments, printed as hex, or the error.
    const dir = mkdtempSync(join(tmpdir(), 'myco-cfg-'));
    const driver = join(dir, 'cfg');
    beforeAll(() => {
      const src = join(dir, 'cfg.c');
      writeFileSync(
        src,
        `#include <stdio.h>
#include "myco_config.h"
int main(int argc, char **argv)
{
    myco_config_blob blob;
    char err[600];
    int i;
    uint32_t k;
    myco_config_clear(&blob);
    for (i = 1; i < argc; i++) {
        if (myco_config_set(&blob, argv[i], err, sizeof err) != 0) {
            printf("error %s\\n", err);
            return 1;
        }
    }
    for (k = 0; k < blob.len; k++) printf("%02x", blob.bytes[k]);
    printf("\\n");
    return 0;
}
`,
      );
      const cc = process.env.CC ?? 'cc';
      const inc = ['hal/include', 'hal/shell'].flatMap((d) => ['-I', join(ROOT, d)]);
      const r = spawnSync(cc, ['-std=c99', '-Wall', '-Wextra', '-Werror', ...inc, src, join(ROOT, 'hal/shell/myco_config.c'), '-o', driver], { encoding: 'utf8' });
      if (r.error || r.status !== 0) throw new Error(`${cc}: ${r.error?.message ?? r.stderr}`);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const runC = (...assignments: string[]) => spawnSync(driver, assignments, { encoding: 'utf8' }).stdout.trim();
    const assignment = (name: string, v: number | readonly number[]) => `${name}=${typeof v === 'number' ? v : v.join(',')}`;

    it.each<[string, NodeConfig]>([
      ['scalars', { hello_interval_ms: 250, mtu: 1024, orch_cost_jitter_pct: 100, orch_custody_ms: 3_600_000, orch_deadline_ms: 86_400_000, orch_can_steps: 0x7fff_ffff }],
      ['one entry', { orch_enable: 1, orch_step_costs: [100_000_000] }],
      ['several entries', { orch_assume: 1, orch_assume_rounds: 255, orch_step_costs: [0, 1, 0xffff, 70_000] }],
      ['31 entries', { orch_step_costs: Array.from({ length: 31 }, (_, i) => i * 1000) }],
    ])('%s', (_, config) => {
      const args = Object.entries(config).map(([n, v]) => assignment(n, v as number | number[]));
      expect(runC(...args)).toBe(Buffer.from(encodeConfig(config)).toString('hex'));
    });

    it('a repeated u32[] key replaces the earlier list', () => {
      expect(runC('orch_step_costs=1,2,3', 'log_level=2', 'orch_step_costs=9')).toBe(Buffer.from(encodeConfig({ log_level: 2, orch_step_costs: [9] })).toString('hex'));
    });

    it('refuses what the TypeScript encoder refuses', () => {
      expect(runC(`orch_step_costs=${new Array(32).fill(1).join(',')}`)).toMatch(/^error config orch_step_costs: more than 31 entries/);
      expect(runC('orch_step_costs=1,100000001')).toBe('error config orch_step_costs: entry 1 = 100000001 is out of range 0..100000000');
      expect(runC('orch_step_costs=1,,2')).toMatch(/^error config orch_step_costs: entry 1 "" is not an unsigned 32-bit number/);
      expect(runC('orch_step_costs=')).toMatch(/^error config orch_step_costs: entry 0 "" is not/);
      expect(runC('orch_step_cost=1,2')).toMatch(/^error config orch_step_cost: "1,2" is not an unsigned 32-bit number/);
      expect(runC('orch_cost_jitter_pct=101')).toBe('error config orch_cost_jitter_pct = 101 is out of range 0..100');
    });
  });
});
