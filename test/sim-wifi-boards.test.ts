// The Wi-Fi figures of the board descriptors: present where the hardware has Wi-Fi, checked
// by the loader, and fitted to HERMES's testbed measurements (docs/simulator.md).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { getBoard, loadBoards, parseBoard } from '../host-sim/boards.ts';
import { integrationMs, meanRttMs } from '../host-sim/wifi.ts';

const boards = loadBoards();
const wifi = (name: string) => getBoard(boards, name).wifi!;

describe('board Wi-Fi figures', () => {
  it('exist exactly on the boards with Wi-Fi', () => {
    const withWifi = [...boards.values()].filter((b) => b.wifi).map((b) => b.name);
    expect(withWifi).toEqual(['esp32', 'esp8266', 'rpi3']);
  });

  it("keep HERMES's integration order and ratios (ESP8266 2.09x ESP32, 2.66x RPi)", () => {
    const [e8, e32, rpi] = ['esp8266', 'esp32', 'rpi3'].map((b) => integrationMs(wifi(b)));
    expect(e8 / e32).toBeCloseTo(2.09, 1);
    expect(e8 / rpi).toBeCloseTo(2.66, 1);
    expect(rpi).toBeLessThan(e32);
    // Join Network (association, DHCP, join exchange) is the longest phase; on the ESP32
    // search (the scan) and join are comparable.
    for (const b of ['esp8266', 'esp32', 'rpi3']) {
      const w = wifi(b);
      expect(integrationMs(w) - w.scan_ms).toBeGreaterThan(w.scan_ms * 0.85);
    }
    const e = wifi('esp32');
    expect(Math.abs(integrationMs(e) - 2 * e.scan_ms) / e.scan_ms).toBeLessThan(0.15);
  });

  it("give a one-hop round trip around HERMES's 42.6 ms, and the slowest recovery to the ESP8266", () => {
    for (const b of ['esp8266', 'esp32', 'rpi3']) {
      expect(meanRttMs(wifi(b))).toBeGreaterThan(30);
      expect(meanRttMs(wifi(b))).toBeLessThan(55);
    }
    expect(wifi('esp8266').beacon_loss_ms).toBeGreaterThan(wifi('esp32').beacon_loss_ms);
    expect(wifi('esp32').beacon_loss_ms).toBe(6000);
    expect(wifi('esp8266').max_children).toBeLessThan(wifi('esp32').max_children);
  });

  it('rejects a broken wifi block naming the file and field', () => {
    const good = JSON.parse(readFileSync(new URL('../boards/esp32.json', import.meta.url), 'utf8'));
    const { dhcp_ms: _dhcp, ...noDhcp } = good.wifi;
    expect(() => parseBoard({ ...good, wifi: { ...good.wifi, scan_mss: 5 } }, 'boards/esp32.json')).toThrow(
      /boards\/esp32.json: wifi.scan_mss: unknown field; did you mean "scan_ms"\?/,
    );
    expect(() => parseBoard({ ...good, wifi: noDhcp }, 'boards/esp32.json')).toThrow(/boards\/esp32.json: wifi: missing required field "dhcp_ms"/);
    expect(() => parseBoard({ ...good, wifi: { ...good.wifi, max_children: 0 } }, 'boards/esp32.json')).toThrow(/wifi.max_children/);
  });
});
