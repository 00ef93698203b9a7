// The Wi-Fi tree medium (host-sim/wifi.ts) and the host side of the `wifi` import, driven by
// tiny modules that scan, join, advertise and send, and record every event they get.

import { beforeAll, describe, expect, it } from 'vitest';
import { Simulation } from '../host-sim/simulation.ts';
import { getBoard, loadBoards } from '../host-sim/boards.ts';
import { rssiAt } from '../host-sim/link.ts';
import { eventsToCsv } from '../host-sim/events.ts';
import { linkedSetup } from './sim-fixtures/fake-node.ts';
import { linkEvents, REC, recs, scans, wifiBoard, wifiProgram, wifiSetup } from './sim-fixtures/wifi-node.ts';
import type { Program } from '../host-sim/program.ts';

const ms = 1000;
const SCAN_DONE = 4;
const UP = 1;
const DOWN = 2;
const TX_FAILED = 3;
const JOIN_FAILED = 5;
const CHILD_UP = 6;
const CHILD_DOWN = 7;
const rows = (sim: Simulation, event: string, node?: number) =>
  sim.events.rows.filter((r) => r.event === event && (node === undefined || r.node === node)).map((r) => [r.at, r.node, r.detail]);
/** Results of the `wifi` calls a node made, in order. */
const wifiResults = (sim: Simulation, node: number) => recs(sim, node, REC.WIFI).map((r) => [r.a, r.b]);
const sends = (sim: Simulation, node: number) => recs(sim, node, REC.SEND).map((r) => [r.a, r.b]);
const frames = (sim: Simulation, node: number) => recs(sim, node, REC.FRAME).map((r) => [r.at, r.a, r.b]);

/** Root 1 accepts children; everyone else scans at its first tick and joins the strongest AP. */
const JOIN_STRONGEST = {
  onTick: 'if (ticks == 1) { if (nodeId == 1) advertise(0, 0, 1); else wifi(1, 0); } return 0xFFFFFFFF;',
  onLink: 'if (event == 4 && peer > 0) wifi(2, scanned(0));',
};

describe('wifi medium: scanning', () => {
  let scanner: Program;
  let tiny: Program;
  beforeAll(async () => {
    const onTick = `if (ticks == 1) {
      if (nodeId == 1) { wifi(2, 2); wifi(1, 0); wifi(1, 0); wifi(2, 2); }
      if (nodeId == 2) advertise(0, 3, 3);
      if (nodeId == 3) advertise(1, 0, 1);
    } return 0xFFFFFFFF;`;
    scanner = await wifiProgram({ onTick });
    tiny = await wifiProgram({ onTick, inboxSize: 32 });
  }, 120_000);

  const nodes = (duration: number) => [
    { id: 1, pos: { x: 0, y: 0 } },
    { id: 2, pos: { x: 10, y: 0 } },
    { id: 3, pos: { x: 30, y: 0 } },
    { id: 4, pos: { x: 200, y: 0 } }, // out of range
    { id: 5, pos: { x: 20, y: 0 }, outages: [{ from: 0, to: duration }] }, // never on
    { id: 6, pos: { x: 0, y: 50 } }, // on, never advertises
  ];

  it('lists the powered softAPs in range, strongest first, with their last ADVERTISE', () => {
    const sim = new Simulation(wifiSetup(scanner, nodes(1_000 * ms), { duration: 1_000 * ms }));
    sim.run();
    expect(sim.failure).toBeNull();
    // JOIN before any scan: -3; SCAN: 0; a second SCAN or a JOIN while scanning: -1.
    expect(wifiResults(sim, 1)).toEqual([[2, -3], [1, 0], [1, -1], [2, -1]]);
    expect(linkEvents(sim, 1)).toEqual([[100 * ms, SCAN_DONE, 3]]);
    expect(scans(sim, 1)).toEqual([
      [
        { id: 2, rssi: rssiAt(10), depth: 0, children: 3, flags: 3 },
        { id: 3, rssi: rssiAt(30), depth: 1, children: 0, flags: 1 },
        { id: 6, rssi: rssiAt(50), depth: 255, children: 0, flags: 0 },
      ],
    ]);
    expect(rows(sim, 'wifi_scan')).toEqual([[100 * ms, 1, 'found=3 aps=2 3 6']]);
  });

  it('hands over only the records that fit the inbox', () => {
    const more = [7, 8, 9].map((id) => ({ id, pos: { x: 0, y: 10 * id } }));
    const sim = new Simulation(wifiSetup(tiny, [...nodes(1_000 * ms), ...more], { duration: 1_000 * ms }));
    sim.run();
    // A 32-byte inbox holds 5 of the 6 records.
    expect(linkEvents(sim, 1)).toEqual([[100 * ms, SCAN_DONE, 5]]);
    expect(scans(sim, 1)[0].map((r) => r.id)).toEqual([2, 3, 6, 7, 8]);
  });
});

describe('wifi medium: joining', () => {
  let joiner: Program;
  let rootJoiner: Program;
  beforeAll(async () => {
    joiner = await wifiProgram(JOIN_STRONGEST);
    rootJoiner = await wifiProgram({ ...JOIN_STRONGEST, onLink: 'if (event == 4 && peer > 0) wifi(2, 1);' });
  }, 120_000);

  it("takes the joiner's own board's scan, association and DHCP times", () => {
    const boards = loadBoards();
    const [rpi3, esp32, esp8266] = ['rpi3', 'esp32', 'esp8266'].map((b) => getBoard(boards, b));
    const sim = new Simulation(
      wifiSetup(joiner, [
        { id: 1, board: rpi3, pos: { x: 0, y: 0 } },
        { id: 2, board: esp32, pos: { x: 10, y: 0 } },
        { id: 3, board: esp8266, pos: { x: 0, y: 10 } },
      ]),
    );
    sim.run();
    const join = (b: typeof esp32) => (b.wifi!.scan_ms + b.wifi!.assoc_ms + b.wifi!.dhcp_ms) * ms;
    expect(linkEvents(sim, 2)).toEqual([[esp32.wifi!.scan_ms * ms, SCAN_DONE, 2], [join(esp32), UP, 1]]);
    expect(linkEvents(sim, 3)).toEqual([[esp8266.wifi!.scan_ms * ms, SCAN_DONE, 2], [join(esp8266), UP, 1]]);
    expect(linkEvents(sim, 1)).toEqual([[join(esp32), CHILD_UP, 2], [join(esp8266), CHILD_UP, 3]]);
    expect(rows(sim, 'wifi_join')).toEqual([
      [esp32.wifi!.scan_ms * ms, 2, 'parent=1'],
      [esp8266.wifi!.scan_ms * ms, 3, 'parent=1'],
    ]);
    expect(rows(sim, 'wifi_up').map((r) => r[1])).toEqual([2, 3]);
    expect(rows(sim, 'child_up')).toEqual([[join(esp32), 1, 'child=2'], [join(esp8266), 1, 'child=3']]);
    expect(sim.wifi!.childrenOf(1)).toEqual([2, 3]);
    expect(sim.wifi!.parentOf(3)).toBe(1);
  });

  it('refuses the joiner beyond max_children, and joins to a softAP that does not accept', () => {
    const nodes = [1, 2, 3, 4].map((id) => ({ id, pos: { x: 10 * id, y: 0 } }));
    const insist = new Simulation(wifiSetup(rootJoiner, nodes));
    insist.run();
    // max_children 2: nodes 2 and 3 associate first (same times, scheduled in id order).
    expect(linkEvents(insist, 2)).toEqual([[100 * ms, SCAN_DONE, 3], [200 * ms, UP, 1]]);
    expect(linkEvents(insist, 3)).toEqual([[100 * ms, SCAN_DONE, 3], [200 * ms, UP, 1]]);
    expect(linkEvents(insist, 4)).toEqual([[100 * ms, SCAN_DONE, 3], [130 * ms, JOIN_FAILED, 1]]);
    expect(rows(insist, 'join_failed')).toEqual([[130 * ms, 4, 'parent=1 reason=full']]);
    expect(insist.wifi!.childrenOf(1)).toEqual([2, 3]);
    expect(linkEvents(insist, 1)).toEqual([[200 * ms, CHILD_UP, 2], [200 * ms, CHILD_UP, 3]]);
  });

  it('fails a join to a softAP whose ADVERTISE does not accept children', async () => {
    const p = await wifiProgram({ onTick: 'if (ticks == 1 && nodeId == 2) wifi(1, 0); return 0xFFFFFFFF;', onLink: JOIN_STRONGEST.onLink });
    const sim = new Simulation(wifiSetup(p, [{ id: 1 }, { id: 2, pos: { x: 5, y: 0 } }]));
    sim.run();
    expect(linkEvents(sim, 2)).toEqual([[100 * ms, SCAN_DONE, 1], [130 * ms, JOIN_FAILED, 1]]);
    expect(rows(sim, 'join_failed')).toEqual([[130 * ms, 2, 'parent=1 reason=not_accepting']]);
    expect(linkEvents(sim, 1)).toEqual([]);
  });
});

describe('wifi medium: frames', () => {
  it('flow only over associations; broadcast reaches the parent and the children', async () => {
    const p = await wifiProgram({
      onTick: `if (ticks == 1) {
        if (nodeId == 1) advertise(0, 0, 1);
        if (nodeId == 2) { advertise(1, 0, 1); wifi(1, 0); }
        if (nodeId == 3) wifi(1, 0);
        if (nodeId == 4) { send(0xFFFF, 0x44); send(1, 0x41); }
      } return 0xFFFFFFFF;`,
      onLink: `if (event == 4) { if (nodeId == 2) wifi(2, 1); if (nodeId == 3) wifi(2, 2); }
        if (event == 1 && nodeId == 3) { send(1, 0x31); send(2, 0x32); send(4, 0x34); }
        if (event == 6 && nodeId == 2) send(0xFFFF, 0xB2);`,
    });
    // A chain 1 <- 2 <- 3, and node 4 in everybody's range but associated with nobody.
    const sim = new Simulation(
      wifiSetup(p, [
        { id: 1, pos: { x: 0, y: 0 } },
        { id: 2, pos: { x: 10, y: 0 } },
        { id: 3, pos: { x: 20, y: 0 } },
        { id: 4, pos: { x: 5, y: 5 } },
      ]),
    );
    sim.run();
    expect(sim.failure).toBeNull();
    // 5 ms hop latency + 4 bytes at 1 Mbit/s.
    const hop = 5 * ms + 32;
    expect(sends(sim, 4)).toEqual([[0xffff, 0], [1, -3]]);
    expect(sends(sim, 3)).toEqual([[1, -3], [2, 0], [4, -3]]);
    expect(sends(sim, 2)).toEqual([[0xffff, 0]]);
    expect(frames(sim, 1)).toEqual([[200 * ms + hop, 2, 0xb2]]);
    expect(frames(sim, 3)).toEqual([[200 * ms + hop, 2, 0xb2]]);
    expect(frames(sim, 2)).toEqual([[200 * ms + hop, 3, 0x32]]);
    expect(frames(sim, 4)).toEqual([]);
    expect(sim.trueNeighbours(2)).toEqual([1, 3]);
    expect(sim.trueNeighbours(4)).toEqual([]);
    expect(sim.medium.stats.dropped.bad_destination).toBe(3);
  });

  it('keep each hop in order and draw jitter and loss from the seed: same seed, same run', async () => {
    const p = await wifiProgram({
      onTick: `if (ticks == 1) { if (nodeId == 1) advertise(0, 0, 1); else wifi(1, 0); }
        if (isDue(now)) { if (ticks > 1) send(0xFFFF, now); due = now + 7; }
        return due - now;`,
      onLink: JOIN_STRONGEST.onLink,
    });
    const setup = (seed: number) =>
      wifiSetup(p, [{ id: 1 }, { id: 2, pos: { x: 10, y: 0 } }, { id: 3, pos: { x: 0, y: 10 } }], {
        seed,
        duration: 3_000 * ms,
        board: wifiBoard('jittery', { jitter_ms: 20 }),
        medium: { loss: 0.2 },
      });
    const a = new Simulation(setup(1));
    a.run();
    const b = new Simulation(setup(1));
    b.run();
    const c = new Simulation(setup(2));
    c.run();
    expect(a.failure).toBeNull();
    expect(eventsToCsv(a.events.rows)).toBe(eventsToCsv(b.events.rows));
    expect(eventsToCsv(a.events.rows)).not.toBe(eventsToCsv(c.events.rows));
    // Node 1 hears both children; each child's frames arrive in the order they were sent.
    const got = frames(a, 1);
    expect(a.medium.stats.lost.random).toBeGreaterThan(0);
    for (const child of [2, 3]) {
      const seq = got.filter((f) => f[1] === child).map((f) => f[2]);
      expect(seq.length).toBeGreaterThan(50);
      expect([...seq].sort((x, y) => x - y)).toEqual(seq);
    }
    // Children hear only the root, never each other.
    expect(new Set(frames(a, 2).map((f) => f[1]))).toEqual(new Set([1]));
  });
});

describe('wifi medium: losing associations', () => {
  const parentBoard = wifiBoard('parentboard', { beacon_loss_ms: 999, ap_inactivity_ms: 3000 });
  const childBoard = wifiBoard('childboard', { beacon_loss_ms: 600, ap_inactivity_ms: 7777 });
  let prog: Program;
  beforeAll(async () => {
    // Every 100 ms after its first tick the child sends its parent (node 1) a frame.
    prog = await wifiProgram({
      onTick: `if (ticks == 1) { if (nodeId == 1) advertise(0, 0, 1); else wifi(1, 0); due = now + 100; }
        else if (isDue(now)) { if (nodeId != 1) send(1, now); due = now + 100; }
        return due - now;`,
      onLink: JOIN_STRONGEST.onLink,
    });
  }, 120_000);

  const pair = (outages: { node: number; from: number; to: number }) =>
    wifiSetup(prog, [
      { id: 1, board: parentBoard, outages: outages.node === 1 ? [outages] : [] },
      { id: 2, board: childBoard, pos: { x: 10, y: 0 }, outages: outages.node === 2 ? [outages] : [] },
    ], { duration: 6_000 * ms });

  it('parent off: the child sees DOWN after its own beacon-loss timeout', () => {
    const sim = new Simulation(pair({ node: 1, from: 1_000 * ms, to: 5_000 * ms }));
    sim.run();
    const ev = linkEvents(sim, 2);
    expect(ev.filter((e) => e[1] !== TX_FAILED)).toEqual([[100 * ms, SCAN_DONE, 1], [200 * ms, UP, 1], [1_600 * ms, DOWN, 1]]);
    expect(rows(sim, 'wifi_down')).toEqual([[1_600 * ms, 2, 'parent=1 reason=beacon_loss']]);
    // Until DOWN the child still sends to its parent (frames at 1.0 .. 1.5 s) and learns of
    // each loss; from DOWN on, the parent is no destination any more.
    const failed = ev.filter((e) => e[1] === TX_FAILED).map((e) => e[0]);
    expect(failed.length).toBe(6);
    expect(failed.every((t) => t > 1_000 * ms && t < 1_600 * ms)).toBe(true);
    const results = recs(sim, 2, REC.SEND);
    expect(results.filter((r) => r.at >= 300 * ms && r.at < 1_600 * ms).map((r) => r.b)).toEqual(Array(13).fill(0));
    expect(results.filter((r) => r.at >= 1_600 * ms).every((r) => r.b === -3)).toBe(true);
    // The rebooted parent has no children.
    expect(sim.wifi!.childrenOf(1)).toEqual([]);
  });

  it("child off: the parent sees CHILD_DOWN after its own softAP's inactivity timeout", () => {
    const sim = new Simulation(pair({ node: 2, from: 1_000 * ms, to: 6_000 * ms }));
    sim.run();
    expect(linkEvents(sim, 1)).toEqual([[200 * ms, CHILD_UP, 2], [4_000 * ms, CHILD_DOWN, 2]]);
    expect(rows(sim, 'child_down')).toEqual([[4_000 * ms, 1, 'child=2 reason=inactivity']]);
  });

  it('a child that reboots and rejoins replaces its stale association at once', () => {
    const sim = new Simulation(pair({ node: 2, from: 1_000 * ms, to: 1_500 * ms }));
    sim.run();
    // Back at 1.5 s: scan 100 ms, association 30 ms (the stale entry goes), DHCP 70 ms.
    expect(linkEvents(sim, 1)).toEqual([[200 * ms, CHILD_UP, 2], [1_630 * ms, CHILD_DOWN, 2], [1_700 * ms, CHILD_UP, 2]]);
    expect(rows(sim, 'child_down')).toEqual([[1_630 * ms, 1, 'child=2 reason=rejoined']]);
  });
});

describe('wifi medium: RELEASE and LEAVE', () => {
  it('RELEASE drops a child at once (DOWN there, CHILD_DOWN here); LEAVE drops the parent without DOWN', async () => {
    const p = await wifiProgram({
      onTick: 'if (ticks == 1) { if (nodeId == 1) advertise(0, 0, 1); else wifi(1, 0); } return 0xFFFFFFFF;',
      onLink: `if (event == 4 && peer > 0) wifi(2, 1);
        if (event == 6 && nodeId == 1 && peer == 2) { wifi(5, 2); wifi(5, 9); }
        if (event == 1 && nodeId == 3) { wifi(3, 0); send(1, 1); }`,
    });
    const sim = new Simulation(wifiSetup(p, [{ id: 1 }, { id: 2, pos: { x: 10, y: 0 } }, { id: 3, pos: { x: 0, y: 10 } }]));
    sim.run();
    expect(wifiResults(sim, 1)).toEqual([[4, 0], [5, 0], [5, -3]]);
    expect(linkEvents(sim, 2)).toEqual([[100 * ms, SCAN_DONE, 2], [200 * ms, UP, 1], [200 * ms, DOWN, 1]]);
    expect(linkEvents(sim, 3)).toEqual([[100 * ms, SCAN_DONE, 2], [200 * ms, UP, 1]]);
    expect(wifiResults(sim, 3)).toEqual([[1, 0], [2, 0], [3, 0]]);
    expect(sends(sim, 3)).toEqual([[1, -3]]);
    expect(linkEvents(sim, 1)).toEqual([
      [200 * ms, CHILD_UP, 2],
      [200 * ms, CHILD_UP, 3],
      [200 * ms, CHILD_DOWN, 2],
      [200 * ms, CHILD_DOWN, 3],
    ]);
    expect(rows(sim, 'child_down').map((r) => r[2])).toEqual(['child=2 reason=released', 'child=3 reason=left']);
    expect(rows(sim, 'wifi_down')).toEqual([[200 * ms, 2, 'parent=1 reason=released']]);
    expect(sim.wifi!.childrenOf(1)).toEqual([]);
  });
});

describe('the wifi import where there is no Wi-Fi', () => {
  let p: Program;
  beforeAll(async () => {
    p = await wifiProgram({ onTick: 'if (ticks == 1) { wifi(1, 0); wifi(4, 0x10000); send(0xFFFF, 1); } return 0xFFFFFFFF;' });
  }, 120_000);

  it('answers -5 on mesh media, even for boards with Wi-Fi', () => {
    const sim = new Simulation(linkedSetup(p, 2, { board: getBoard(loadBoards(), 'esp32') }));
    sim.run();
    expect(wifiResults(sim, 1)).toEqual([[1, -5], [4, -5]]);
    // The mesh medium itself is unchanged: the broadcast reaches the linked neighbour.
    expect(frames(sim, 2).map((f) => f[1])).toEqual([1]);
    expect(sim.wifi).toBeNull();
  });

  it('answers -5 on a wifi medium for a board without a wifi block (elasticnode)', () => {
    const boards = loadBoards();
    const sim = new Simulation(wifiSetup(p, [{ id: 1, board: getBoard(boards, 'elasticnode-v4') }, { id: 2, board: getBoard(boards, 'esp32') }]));
    sim.run();
    expect(wifiResults(sim, 1)).toEqual([[1, -5], [4, -5]]);
    expect(wifiResults(sim, 2)).toEqual([[1, 0], [4, 0]]);
    // The esp32's scan does not see the elasticnode.
    expect(linkEvents(sim, 2)).toEqual([[getBoard(boards, 'esp32').wifi!.scan_ms * ms, SCAN_DONE, 0]]);
  });
});
