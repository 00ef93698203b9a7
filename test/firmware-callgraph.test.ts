// The recursion check behind dropping wasm2c's call-depth count (tools/firmware/callgraph.ts):
// small modules assembled by wat2wasm, with and without recursion.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkModule, parseCallGraph, checkCallGraph, stackDepthDefines } from '../tools/firmware/callgraph.ts';

const dir = mkdtempSync(join(tmpdir(), 'myco-callgraph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
function assemble(wat: string): string {
  const name = `m${count++}`;
  const src = join(dir, `${name}.wat`);
  const wasm = join(dir, `${name}.wasm`);
  writeFileSync(src, wat);
  // --debug-names keeps the $names, so the check's messages name the functions.
  const r = spawnSync('wat2wasm', ['--debug-names', src, '-o', wasm], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`wat2wasm (Debian package wabt): ${r.error?.message ?? r.stderr}`);
  return wasm;
}

describe('call graph check', () => {
  it('reports the longest chain of an acyclic module exactly', () => {
    const wasm = assemble(`(module
      (import "hal" "now_ms" (func $now (result i32)))
      (func $leaf (result i32) (call $now))
      (func $mid (result i32) (i32.add (call $leaf) (call $leaf)))
      (func $deep (result i32) (call $mid))
      (func $short (result i32) (call $leaf))
      (func $top (export "top") (result i32) (i32.add (call $deep) (call $short)))
      (func $alone (export "alone")))`);
    const check = checkModule(wasm);
    expect(check).toEqual({
      ok: true,
      depth: 4,
      chain: ['func[5] <top>', 'func[3] <deep>', 'func[2] <mid>', 'func[1] <leaf>'],
    });
    expect(stackDepthDefines(wasm)).toEqual(['-DWASM_RT_USE_STACK_DEPTH_COUNT=0']);
  });

  it('counts call_indirect as reaching every function in the table', () => {
    const wasm = assemble(`(module
      (type $t (func (result i32)))
      (table 2 funcref)
      (elem (i32.const 0) $a $b)
      (func $a (result i32) (i32.const 1))
      (func $b (result i32) (call $c))
      (func $c (result i32) (i32.const 2))
      (func $dispatch (export "dispatch") (param i32) (result i32)
        (call_indirect (type $t) (local.get 0))))`);
    expect(checkModule(wasm)).toEqual({
      ok: true,
      depth: 3,
      chain: ['func[3] <dispatch>', 'func[1] <b>', 'func[2] <c>'],
    });
  });

  it('refuses direct recursion, naming the function', () => {
    const wasm = assemble(`(module
      (func $fact (export "fact") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 1))
          (else (i32.mul (local.get 0) (call $fact (i32.sub (local.get 0) (i32.const 1))))))))`);
    const check = checkModule(wasm);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.cycle).toEqual(['func[0] <fact>', 'func[0] <fact>']);
    expect(check.message).toBe('calls itself: func[0] <fact> -> func[0] <fact>');
    const log: string[] = [];
    expect(stackDepthDefines(wasm, (l) => log.push(l))).toEqual([]);
    expect(log.join('\n')).toMatch(/keeping wasm2c's call-depth count: calls itself: func\[0\] <fact>/);
  });

  it('refuses mutual recursion, naming the cycle', () => {
    const wasm = assemble(`(module
      (func $start (export "start") (call $even (i32.const 3)) (drop))
      (func $even (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
          (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
      (func $odd (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (call $even (i32.sub (local.get 0) (i32.const 1)))))))`);
    const check = checkModule(wasm);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.cycle).toEqual(['func[1] <even>', 'func[2] <odd>', 'func[1] <even>']);
    expect(check.message).toBe('recursion: func[1] <even> -> func[2] <odd> -> func[1] <even>');
  });

  it('refuses recursion through call_indirect', () => {
    const wasm = assemble(`(module
      (type $t (func (param i32)))
      (table 1 funcref)
      (elem (i32.const 0) $visit)
      (func $run (export "run") (call $walk (i32.const 0)))
      (func $walk (param i32) (call_indirect (type $t) (local.get 0) (i32.const 0)))
      (func $visit (param i32) (call $walk (local.get 0))))`);
    const check = checkModule(wasm);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.cycle).toEqual(['func[1] <walk>', 'func[2] <visit> (call_indirect)', 'func[1] <walk>']);
  });

  it('parses disassembly without names', () => {
    const disassembly = [
      '000010 func[1]:',
      ' 000011: 10 02                      | call 2',
      '000020 func[2]:',
      ' 000021: 11 00 00                   | call_indirect 0 0',
    ].join('\n');
    const details = ['Import[1]:', ' - func[0] sig=0 <hal.emit> <- hal.emit', 'Elem[1]:', ' - segment[0] flags=0 table=0 count=1 - init i32=0', '  - elem[0] = func[0]'].join('\n');
    expect(checkCallGraph(parseCallGraph(disassembly, details))).toEqual({
      ok: true,
      depth: 2,
      chain: ['func[1]', 'func[2]'],
    });
  });

  it('proves the node module recursion-free', () => {
    const check = checkModule('build/node.wasm');
    expect(check.ok, check.ok ? '' : check.message).toBe(true);
  });
});
