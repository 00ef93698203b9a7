// Where things are in a YAML file: maps a field path to file:line:column so every error,
// from the schema or from a semantic check, points at the text that caused it.

import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

export type FieldPath = (string | number)[];

export interface Issue {
  path: FieldPath;
  /** For unknown fields: point at the key itself rather than its parent. */
  key?: string;
  message: string;
}

export class ScenarioError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

export function formatPath(path: FieldPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out || '(top level)';
}

export class ScenarioSource {
  readonly doc: Document;
  private lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  /** YAML syntax errors, already formatted. */
  syntaxErrors(): string[] {
    return this.doc.errors.map((e) => {
      const { line, col } = this.lines.linePos(e.pos[0]);
      return `${this.file}:${line}:${col}: ${e.message.split('\n')[0]}`;
    });
  }

  /**
   * Offset of the text for `path`: the key of the last map field, or the start of the last
   * list item. Stops at the deepest part that exists, so a missing field points at its parent.
   */
  private locate(path: FieldPath, key?: string): number {
    let node: unknown = this.doc.contents;
    let offset = (node as Node | null)?.range?.[0] ?? 0;
    const segments: FieldPath = key !== undefined ? [...path, key] : path;
    for (const p of segments) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(p));
        if (!pair) break;
        if (isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
        node = pair.value;
      } else if (isSeq(node) && typeof p === 'number' && node.items[p]) {
        node = node.items[p];
        const r = (node as Node).range;
        if (r) offset = r[0];
      } else {
        break;
      }
    }
    return offset;
  }

  where(path: FieldPath, key?: string): string {
    const { line, col } = this.lines.linePos(this.locate(path, key));
    return `${this.file}:${line}:${col}`;
  }

  format(issue: Issue): string {
    const full = issue.key !== undefined ? [...issue.path, issue.key] : issue.path;
    return `${this.where(issue.path, issue.key)}: ${formatPath(full)}: ${issue.message}`;
  }

  /** Line number of an issue; used to sort reports in file order. */
  line(issue: Issue): number {
    return this.lines.linePos(this.locate(issue.path, issue.key)).line;
  }
}
