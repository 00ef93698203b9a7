// `npm run bench:infer`: multiply-accumulates per second of every person_detect layer with the
// node's AssemblyScript kernels under V8, the same Wasm module compiled ahead of time (wasm2c +
// cc -O2, the aot engine) and a plain C reference, side by side with ratios; outputs are
// checked equal byte for byte first. Then the boards' cost models: modelled latency per layer,
// per step and for the whole model on an ESP32 and an RP2040, against Espressif's published
// person-detection times. docs/benchmarks.md explains the columns.
//
//   npm run bench:infer               5 measurements of >= 50 ms per layer and engine
//   npm run bench:infer -- --quick    3 of >= 20 ms

import { cpus, loadavg } from 'node:os';
import { getBoard, loadBoards } from '../../host-sim/boards.ts';
import { ModelError } from '../model/errors.ts';
import { BenchError, MAC_OPS, measureLayers, PERSON_DETECT, personDetectLayers, type LayerCase } from './infer-harness.ts';
import { cpuModel, f, int, ratio, table } from './report.ts';
import { benchPlan } from './timing.ts';

const { model: MODEL, image: IMAGE } = PERSON_DETECT;
/** Espressif's published person_detection times on an ESP32 (esp-tflite-micro, ESP-NN README). */
const ESPRESSIF = { reference: 4084, espNn: 380 };
/** The target: V8's time within this factor of native C. */
const TARGET = 2;

const rate = (work: number, ns: number) => (work > 0 && ns > 0 ? f((work / ns) * 1e3, 1) : '-'); // M per s

/** Contiguous steps with about equal work: cut after the layer where the running sum crosses k/n. */
function evenSteps(cases: readonly LayerCase[], n: number): [number, number][] {
  const total = cases.reduce((a, c) => a + c.work, 0);
  const steps: [number, number][] = [];
  let start = 0;
  let sum = 0;
  for (let i = 0; i < cases.length; i++) {
    sum += cases[i].work;
    if (steps.length < n - 1 && sum >= (total * (steps.length + 1)) / n && i < cases.length - 1) {
      steps.push([start, i]);
      start = i + 1;
    }
  }
  steps.push([start, cases.length - 1]);
  return steps;
}

async function main(argv: string[]): Promise<number> {
  const plan = benchPlan(argv, 'bench:infer');
  if (plan === null) return 2;
  const { quick, minMs, runs } = plan;
  const started = performance.now();
  const load = loadavg()[0];

  const cases = await personDetectLayers();
  const last = cases[cases.length - 1].expected;
  const native = await measureLayers(cases, minMs, runs, () =>
    process.stderr.write(`outputs equal on all ${cases.length} layers (aot and C reference vs V8); timing...\n`));
  const results = native.results;

  const boards = loadBoards();
  const esp32 = getBoard(boards, 'esp32');
  const rp2040 = getBoard(boards, 'elasticnode-v5');
  const modelled = (work: number, ns: number) => (work * ns) / 1e6; // ms

  console.log(`${MODEL} on ${IMAGE} (output [${Array.from(last, (b) => (b << 24) >> 24).join(', ')}]), ${cases.length} layers`);
  console.log(`machine: ${cpuModel()}, ${cpus().length} CPUs, load average ${load.toFixed(2)} at start; node ${process.version}; ${native.ccVersion}; wasm2c ${native.wasm2cVersion}`);
  console.log(`median of ${runs} measurements of >= ${minMs} ms per layer and engine${quick ? ' (--quick)' : ''}`);
  console.log('rates: MMAC/s for conv / depthwise / FC, million values/s for the rest; ratios: V8 time / C time (1.00x = as fast as C)\n');

  const rows: string[][] = [];
  for (const r of results) {
    const c = cases[r.index];
    const unit = MAC_OPS.has(c.opName) ? '' : ' v';
    rows.push([
      String(c.index), c.opName, c.shape, `${int(c.work)}${unit}`,
      rate(c.work, r.v8.ns), rate(c.work, r.aot.ns), rate(c.work, r.ref.ns),
      c.work ? ratio(r.v8.ns, r.aot.ns) : '-', c.work ? ratio(r.v8.ns, r.ref.ns) : '-',
      f(r.v8.ns / 1e3, 1),
      f(modelled(c.work, esp32.compute.ns_per_unit), 2), f(modelled(c.work, rp2040.compute.ns_per_unit), 2),
    ]);
  }
  const sum = (pick: (r: (typeof results)[number]) => number) => results.reduce((a, r) => a + pick(r), 0);
  const macWork = sum((r) => (MAC_OPS.has(cases[r.index].opName) ? cases[r.index].work : 0));
  const allWork = sum((r) => cases[r.index].work);
  const t = { v8: sum((r) => r.v8.ns), aot: sum((r) => r.aot.ns), ref: sum((r) => r.ref.ns) };
  const macT = {
    v8: sum((r) => (MAC_OPS.has(cases[r.index].opName) ? r.v8.ns : 0)),
    aot: sum((r) => (MAC_OPS.has(cases[r.index].opName) ? r.aot.ns : 0)),
    ref: sum((r) => (MAC_OPS.has(cases[r.index].opName) ? r.ref.ns : 0)),
  };
  rows.push([]);
  rows.push(['', 'conv/dw/FC layers', '', int(macWork), rate(macWork, macT.v8), rate(macWork, macT.aot), rate(macWork, macT.ref),
    ratio(macT.v8, macT.aot), ratio(macT.v8, macT.ref), f(macT.v8 / 1e3, 1), '', '']);
  rows.push(['', 'whole model', '', int(macWork), rate(macWork, t.v8), rate(macWork, t.aot), rate(macWork, t.ref),
    ratio(t.v8, t.aot), ratio(t.v8, t.ref), f(t.v8 / 1e3, 1),
    f(modelled(allWork, esp32.compute.ns_per_unit), 1), f(modelled(allWork, rp2040.compute.ns_per_unit), 1)]);
  table(['#', 'op', 'shape', 'MACs', 'V8', 'aot C', 'ref C', 'V8/aot', 'V8/ref', 'V8 us',
    `esp32 ms`, `rp2040 ms`], rows, 3);

  console.log(`\nwhole model, one inference: V8 ${f(t.v8 / 1e6, 2)} ms, aot C ${f(t.aot / 1e6, 2)} ms, reference C ${f(t.ref / 1e6, 2)} ms`);
  // Per layer, among the layers that carry the MACs (the tiny tail layers measure call overhead).
  const macLayers = results.filter((r) => MAC_OPS.has(cases[r.index].opName));
  const worst = macLayers.reduce((w, r) => (r.v8.ns / r.aot.ns > w.v8.ns / w.aot.ns ? r : w), macLayers[0]);
  const worstRef = macLayers.reduce((w, r) => (r.v8.ns / r.ref.ns > w.v8.ns / w.ref.ns ? r : w), macLayers[0]);
  const metAot = t.v8 / t.aot <= TARGET;
  const metRef = t.v8 / t.ref <= TARGET;
  const best = { v8: sum((r) => r.v8.best), aot: sum((r) => r.aot.best), ref: sum((r) => r.ref.best) };
  console.log(`fastest measurements summed (least disturbed by other load): V8 ${f(best.v8 / 1e6, 2)} ms, aot C ${f(best.aot / 1e6, 2)} ms, ` +
    `reference C ${f(best.ref / 1e6, 2)} ms; V8/aot ${ratio(best.v8, best.aot)}, V8/ref ${ratio(best.v8, best.ref)}`);
  console.log(`target: V8 within ${TARGET}x of native C -> whole model ${ratio(t.v8, t.aot)} of aot C (${metAot ? 'MET' : 'NOT MET'}), ` +
    `${ratio(t.v8, t.ref)} of reference C (${metRef ? 'MET' : 'NOT MET'})`);
  console.log(`conv/dw/FC layer furthest from C: layer ${worst.index} ${ratio(worst.v8.ns, worst.aot.ns)} of aot C, ` +
    `layer ${worstRef.index} ${ratio(worstRef.v8.ns, worstRef.ref.ns)} of reference C`);

  console.log(`\nmodelled latency = kernel work units x board compute.ns_per_unit (esp32 ${esp32.compute.ns_per_unit} ns, ` +
    `elasticnode-v5 / RP2040 ${rp2040.compute.ns_per_unit} ns); total ${int(allWork)} units (nominal MACs ${int(cases.reduce((a, c) => a + (MAC_OPS.has(c.opName) ? c.nominal : 0), 0))})`);
  const stepRows: string[][] = [];
  for (const n of [1, 3, 4, 6]) {
    for (const [k, [a, b]] of evenSteps(cases, n).entries()) {
      const w = cases.slice(a, b + 1).reduce((s, c) => s + c.work, 0);
      stepRows.push([String(n), String(k + 1), `${a}-${b}`, int(w),
        f(modelled(w, esp32.compute.ns_per_unit), 1), f(modelled(w, rp2040.compute.ns_per_unit), 1)]);
    }
  }
  table(['steps', 'step', 'layers', 'work', 'esp32 ms', 'rp2040 ms'], stepRows, 3);

  const espTotal = modelled(allWork, esp32.compute.ns_per_unit);
  console.log(`\nESP32 whole model: modelled ${f(espTotal, 0)} ms; Espressif publishes ${ESPRESSIF.reference} ms with TFLite Micro's ` +
    `reference kernels (modelled / published ${ratio(espTotal, ESPRESSIF.reference)}) and ${ESPRESSIF.espNn} ms with ESP-NN ` +
    `(${ratio(espTotal, ESPRESSIF.espNn)})`);
  const impliedRef = (ESPRESSIF.reference * 1e6) / allWork;
  const impliedNn = (ESPRESSIF.espNn * 1e6) / allWork;
  console.log(`published times per work unit: ${f(impliedRef, 0)} ns (reference kernels), ${f(impliedNn, 0)} ns (ESP-NN); ` +
    `boards/esp32.json has ${esp32.compute.ns_per_unit} ns`);
  console.log(`\nwall time ${f((performance.now() - started) / 1000, 1)} s`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof BenchError || err instanceof ModelError) {
    console.error(`bench:infer: ${err.message}`);
    process.exitCode = 1;
  } else throw err;
}
