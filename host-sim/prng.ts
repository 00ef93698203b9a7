// Seeded randomness. Every random draw in a run comes from a stream derived from the
// scenario seed and a label, so adding a node or a draw in one place never shifts the
// numbers another node or the medium sees.

/** One step of splitmix32: a good 32-bit mixer, used to seed and to derive streams. */
export function splitmix32(state: number): { value: number; state: number } {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return { value: (z ^ (z >>> 16)) >>> 0, state: next };
}

/** FNV-1a over a label, so stream names can be readable strings. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** xoshiro128**: fast, small state, passes BigCrush; plenty for a simulator. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let st = seed >>> 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = splitmix32(st);
      st = r.state;
      words.push(r.value);
    }
    // An all-zero state would stay zero forever; splitmix32 never yields four zeros in a
    // row, but guard anyway because the cost is one comparison.
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  /** 32 random bits as an unsigned number. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n) for n up to 2^32 (tiny modulo bias is irrelevant here). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.nextFloat() < p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** An independent stream for `label` (e.g. "node/3", "medium") under a run seed. */
export function deriveStream(seed: number, label: string): Rng {
  const a = splitmix32((seed >>> 0) ^ 0x5eed5eed).value;
  const b = splitmix32(a ^ hashLabel(label)).value;
  return new Rng(b);
}
