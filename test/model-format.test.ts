// The Myco model format: encode/decode round trips, the checksum, truncation, semantic checks
// of records against tensors and blobs, and the slot plan.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools/build/asc.ts';
import { xorshift32 } from '../tools/build/stub-hal.ts';
import { ModelError } from '../tools/model/errors.ts';
import { importTfliteBytes } from '../tools/model/import.ts';
import { crc32, decodeModel, encodeModel, HEADER_BYTES, Op, type MycoModel } from '../tools/model/format.ts';
import { modelFigures } from '../tools/model/inspect.ts';

const MODELS = join(ROOT, '..', 'shared', 'models');
const file = (name: string) => new Uint8Array(readFileSync(join(MODELS, name)));
const model = (name: string) => importTfliteBytes(file(name), name);

/** Re-stamps the checksum so a test can reach the checks behind it. */
function restamp(bytes: Uint8Array): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  v.setUint32(12, 0, true);
  v.setUint32(12, crc32(bytes), true);
  return bytes;
}

describe('Myco model format', () => {
  it('crc32 is zlib\'s', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  for (const name of ['person_detect.tflite', 'micro_speech_quantized.tflite', 'hello_world_int8.tflite']) {
    it(`${name}: round trip, byte-stable`, () => {
      const m = model(name);
      const bytes = encodeModel(m);
      expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('MYCO');
      expect(bytes.length % 16).toBe(0);
      const d = decodeModel(bytes, 'x.myco');
      expect(d.layers.map((l) => [l.op, l.inputs, l.output, l.relocMask, l.filterBlob, l.dataBlob, l.macs, Array.from(l.params)]))
        .toEqual(m.layers.map((l) => [l.op, l.inputs, l.output, l.relocMask, l.filterBlob, l.dataBlob, l.macs, Array.from(l.params)]));
      expect(d.blobs.map((b) => Array.from(b))).toEqual(m.blobs.map((b) => Array.from(b)));
      expect(d.slots).toEqual(m.slots);
      expect(encodeModel(d)).toEqual(bytes);
    });
  }

  it('person_detect figures: MACs, weights, two ping-pong buffers', () => {
    const f = modelFigures(model('person_detect.tflite'));
    expect(f.layers).toHaveLength(31);
    expect(f.totalMacs).toBe(7_157_888);
    expect(f.totalWeightBytes).toBeGreaterThan(200_000);
    expect(f.activationBufferBytes).toBe(18432 + 36864);
  });

  it('rejects every truncation and every corrupted byte', () => {
    const bytes = encodeModel(model('micro_speech_quantized.tflite'));
    for (const cut of [0, 3, 4, 16, HEADER_BYTES - 1, HEADER_BYTES, 100, 1000, bytes.length - 16, bytes.length - 1]) {
      expect(() => decodeModel(bytes.subarray(0, cut), 't.myco'), `cut ${cut}`).toThrow(ModelError);
    }
    expect(() => decodeModel(bytes.subarray(0, 1000), 't.myco')).toThrow(/t\.myco: the header gives \d+ bytes but the file has 1000: truncated/);
    const next = xorshift32(3);
    for (let i = 0; i < 300; i++) {
      const copy = bytes.slice();
      const at = next() % copy.length;
      copy[at] ^= 1 << (next() % 8);
      expect(() => decodeModel(copy, 'c.myco'), `flip at ${at}`).toThrow(ModelError);
    }
    const copy = bytes.slice();
    copy[bytes.length - 20] ^= 0x40;
    expect(() => decodeModel(copy, 'c.myco')).toThrow(/c\.myco: checksum mismatch .*: the file is corrupt/);
    expect(() => decodeModel(new TextEncoder().encode('not a model at all, definitely not'), 'n.myco')).toThrow(/n\.myco: not a Myco model/);
  });

  it('stores the arithmetic in header byte 32; records must agree with it', () => {
    const tflite = importTfliteBytes(file('micro_speech_quantized.tflite'), 'm', { arithmetic: 'tflite' });
    const bytes = encodeModel(tflite);
    expect(bytes[32]).toBe(1);
    expect(encodeModel(importTfliteBytes(file('micro_speech_quantized.tflite'), 'm'))[32]).toBe(0);
    const back = decodeModel(bytes, 'a.myco');
    expect(back.arithmetic).toBe('tflite');
    expect(Buffer.from(encodeModel(back)).equals(Buffer.from(bytes))).toBe(true);
    const unknown = bytes.slice();
    unknown[32] = 2;
    expect(() => decodeModel(restamp(unknown), 'a.myco')).toThrow(/a\.myco: arithmetic 2 is unknown/);
    const mismatch = bytes.slice();
    mismatch[32] = 0;
    expect(() => decodeModel(restamp(mismatch), 'a.myco')).toThrow(/arithmetic field is 1; the model's arithmetic is tflm/);
    expect(() => importTfliteBytes(file('micro_speech_quantized.tflite'), 'm', { arithmetic: 'xnnpack' as 'tflite' })).toThrow(/tflm or tflite/);
  });

  it('checks structure and semantics behind a valid checksum', () => {
    const bytes = encodeModel(model('hello_world_int8.tflite'));
    const fuzz = xorshift32(5);
    // every single-byte change of the tables, re-checksummed, is either still consistent or rejected cleanly
    const dataOffset = new DataView(bytes.buffer).getUint32(28, true);
    for (let at = 4; at < dataOffset; at++) {
      if (at >= 12 && at < 16) continue;
      const copy = bytes.slice();
      copy[at] = fuzz() & 0xff;
      try { decodeModel(restamp(copy), 's.myco'); } catch (e) {
        expect(e, `byte ${at}`).toBeInstanceOf(ModelError);
      }
    }
    // a record that disagrees with its tensors
    const m = decodeModel(bytes);
    const bad: MycoModel = { ...m, layers: m.layers.map((l, i) => (i === 1 ? { ...l, params: (() => { const p = l.params.slice(); new DataView(p.buffer).setInt32(4, 17, true); return p; })() } : l)) };
    expect(() => encodeModel(bad)).toThrow(/layer 1 \(FULLY_CONNECTED\): input tensor holds 16 bytes, the record 1x17/);
    // a layer that overwrites a tensor still needed
    const clash: MycoModel = { ...m, tensors: m.tensors.map((t) => ({ ...t, slot: 0 })), slots: [16] };
    expect(() => encodeModel(clash)).toThrow(/writes activation buffer 0 while tensor \d+ in it is still needed/);
    expect(m.layers.every((l) => l.op === Op.FullyConnected)).toBe(true);
  });
});
