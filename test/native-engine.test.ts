// Choosing the engine of the native build. wasm3 is not in this repository (nor on npm or
// in Debian), so these checks stop before compiling anything: what must hold everywhere is
// that a missing or wrong wasm3 checkout is named, not met with a compiler error.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNative, NativeBuildError, wasm3SourceDir } from '../tools/firmware/native.ts';

const dir = mkdtempSync(join(tmpdir(), 'myco-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('native build engines', () => {
  it('asks for a wasm3 checkout when none is given', async () => {
    await expect(buildNative({ engine: 'wasm3', outDir: join(dir, 'out') })).rejects.toThrow(
      /--engine wasm3 needs --wasm3-src DIR, a checkout of https:\/\/github.com\/wasm3\/wasm3/,
    );
  });

  it('names the files a folder lacks to be a wasm3 checkout', () => {
    const fake = join(dir, 'fake', 'source');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'wasm3.h'), '');
    writeFileSync(join(fake, 'm3_env.c'), '');
    let error: unknown;
    try {
      wasm3SourceDir(join(dir, 'fake'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NativeBuildError);
    const message = (error as Error).message;
    expect(message).toContain('is not a wasm3 checkout: source/ lacks m3_env.h, m3_bind.c');
    expect(message).not.toContain('m3_env.c');
    expect(() => wasm3SourceDir(join(dir, 'nowhere'))).toThrow('no such folder');
  });

  it('refuses an engine it does not know', async () => {
    await expect(buildNative({ engine: 'wamr' as never })).rejects.toThrow('unknown engine "wamr" (aot, wasm3)');
  });
});
