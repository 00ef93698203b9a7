// Shared helpers for turning ajv errors into sentences a person can act on.

import type { ErrorObject } from 'ajv';

/** JSON pointer "/nodes/2/board" -> ["nodes", 2, "board"] */
export function pointerSegments(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
}

/** "/nodes/2/board" -> "nodes[2].board" */
export function pointerToPath(pointer: string, extra?: string): string {
  const parts: (string | number)[] = pointerSegments(pointer);
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** Levenshtein distance; the lists compared are short, so the quadratic cost is fine. */
export function editDistance(a: string, b: string): number {
  const prev = new Array(b.length + 1).fill(0).map((_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === null) return null;
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return bestD <= limit ? best : null;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c ? `; did you mean "${c}"?` : '';
}

/** One ajv error as "path: message", with a suggestion for unknown fields. */
export function describeAjvError(e: ErrorObject): { path: string; message: string } {
  if (e.keyword === 'additionalProperties') {
    const field = (e.params as { additionalProperty: string }).additionalProperty;
    const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
    return { path: pointerToPath(e.instancePath, field), message: `unknown field${didYouMean(field, known)}` };
  }
  const path = pointerToPath(e.instancePath) || '(top level)';
  switch (e.keyword) {
    case 'required':
      return { path, message: `missing required field "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'type':
      return { path, message: `expected ${(e.params as { type: string }).type}` };
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      return { path, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    case 'pattern':
      return { path, message: e.message ?? 'bad format' };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}
