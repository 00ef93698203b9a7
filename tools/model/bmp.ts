// 8-bit grayscale BMP images as model input, laid out as TFLite Micro's person detection
// test does: pixel rows top-down (a BMP with a positive height stores them bottom-up), one
// byte per pixel, each byte taken as int8 unchanged.

import { ModelError } from './errors.ts';

export interface GrayImage {
  width: number;
  height: number;
  /** Rows top-down, `width` bytes each. */
  pixels: Uint8Array;
}

export function readGrayBmp(bytes: Uint8Array, file = 'image.bmp'): GrayImage {
  const fail = (what: string): never => { throw new ModelError(`${file}: ${what}`); };
  if (bytes.length < 54 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) fail('not a BMP file');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = v.getUint32(10, true);
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bits = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  if (bits !== 8 || compression !== 0) fail(`${bits}-bit BMP (compression ${compression}); an uncompressed 8-bit grayscale image is needed`);
  const height = Math.abs(rawHeight);
  if (width < 1 || height < 1 || width > 1 << 14 || height > 1 << 14) fail(`image size ${width}x${rawHeight}`);
  const stride = Math.ceil(width / 4) * 4;
  if (dataOffset + stride * height > bytes.length) fail(`pixel data (${stride * height} bytes at ${dataOffset}) runs past the end of the file`);
  const pixels = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const src = dataOffset + stride * (rawHeight > 0 ? height - 1 - r : r);
    pixels.set(bytes.subarray(src, src + width), r * width);
  }
  return { width, height, pixels };
}
