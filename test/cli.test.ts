import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { main } from '../tools/cli/main.ts';

const BIN = fileURLToPath(new URL('../bin/myco.mjs', import.meta.url));

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stderr: process.stderr });
  return { code, out, err };
}

function spawnCli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('myco help', () => {
  it('--help lists every command and examples', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    for (const word of ['Usage: myco <command>', 'sim', 'scenario', 'boards', 'help [command]', 'Examples:', '--version']) expect(out).toContain(word);
  });

  it('help sim and sim --help describe every option with its default', async () => {
    const a = await cli('help', 'sim');
    const b = await cli('sim', '--help');
    expect(a.out).toBe(b.out);
    for (const flag of ['--seed N', '--out DIR', '--duration D', '--quiet', '--trace-frames', '--help']) expect(a.out).toContain(flag);
    expect(a.out).toContain('(default: runs/<scenario>-seed<N>/)');
    expect(a.out).toContain('Examples:');
    expect(a.out).toContain('Exit codes');
  });

  it('every command has help', async () => {
    for (const cmd of ['scenario', 'boards']) {
      const { code, out } = await cli(cmd, '--help');
      expect(code).toBe(0);
      expect(out).toContain(`Usage: myco ${cmd}`);
    }
  });
});

describe('usage errors exit with code 2', () => {
  it('unknown flag', async () => {
    const { code, err } = await cli('sim', '--sede', '3');
    expect(code).toBe(2);
    expect(err).toContain('unknown option --sede for "myco sim"');
  });
  it('unknown command, with a suggestion', async () => {
    const { code, err } = await cli('simm');
    expect(code).toBe(2);
    expect(err).toContain('unknown command "simm"; did you mean "sim"?');
  });
  it('bad values', async () => {
    expect((await cli('sim', '--seed', 'abc')).code).toBe(2);
    expect((await cli('sim', '--duration', '10 parsecs')).code).toBe(2);
    expect((await cli('sim', '--seed')).code).toBe(2);
    expect((await cli('scenario', 'lint', 'x.yaml')).code).toBe(2);
    expect((await cli('--frobnicate')).code).toBe(2);
  });
});

describe('myco scenario check and boards', () => {
  it('validates files and reports file:line: field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myco-cli-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: x\nduration: 5s\nnodes:\n  - id: 1\n    bord: esp32\n    pos: [0, 0]\n');
    const r = await cli('scenario', 'check', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.yaml:5:5: nodes\[0\]\.bord: unknown field; did you mean "board"\?/);
    const ok = await cli('scenario', 'check', fileURLToPath(new URL('../scenarios/default.yaml', import.meta.url)));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/default\.yaml: ok \(12 nodes, 60s, range medium, seed 1\)/);
  });

  it('boards prints a table of every board', async () => {
    const { code, out } = await cli('boards');
    expect(code).toBe(0);
    for (const b of ['esp32', 'esp8266', 'elasticnode-v4', 'elasticnode-v5', 'rpi3', 'wasm budget', '24 KiB', 'orch cap']) expect(out).toContain(b);
  });
});

describe('bin/myco.mjs', () => {
  it('`myco sim` runs the default scenario from any directory and writes the run folder', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'myco-sim-'));
    const r = spawnCli(['sim'], cwd);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('scenario default, seed 1: 12 nodes');
    expect(r.out).toContain('hello tx');
    expect(r.out).toContain('run folder: runs/default-seed1/');
    const metrics = JSON.parse(readFileSync(join(cwd, 'runs/default-seed1/metrics.json'), 'utf8'));
    expect(metrics.status).toBe('ok');
    expect(readFileSync(join(cwd, 'runs/default-seed1/events.csv'), 'utf8').split('\n')[0]).toBe('time_ms,node,event,detail');
  });

  it('--out, --seed, --duration and --quiet', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'myco-sim-'));
    const r = spawnCli(['sim', '--seed', '4', '--duration', '5s', '--out', 'here', '--quiet'], cwd);
    expect(r.code).toBe(0);
    expect(r.out).toBe('run folder: here/ (metrics.json, events.csv)\n');
    const metrics = JSON.parse(readFileSync(join(cwd, 'here/metrics.json'), 'utf8'));
    expect([metrics.seed, metrics.duration_ms]).toEqual([4, 5000]);
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
  });

  it('a bad flag exits with code 2', () => {
    const r = spawnCli(['sim', '--nope'], tmpdir());
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown option --nope');
  });
});
