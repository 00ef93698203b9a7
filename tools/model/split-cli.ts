// `myco model split`: the flags, the boards and the node program's heap top for the planner.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/args.ts';
import { getBoard, loadBoards } from '../../host-sim/boards.ts';
import { BUILD_DIR } from '../../host-sim/paths.ts';
import { measure } from '../build/measure.ts';
import { ModelError } from './errors.ts';
import type { MycoModel } from './format.ts';
import { BOARD_ALIASES, planSplit, splitText, type BoardBudget } from './split.ts';

/** The default node program whose heap top a step adds to. */
export const NODE_WASM = join(BUILD_DIR, 'node.wasm');

/** Heap top of build/node.wasm after init with the default config. */
export async function nodeHeapTop(wasm = NODE_WASM): Promise<number> {
  if (!existsSync(wasm)) throw new ModelError(`${wasm} is missing: run npm run build first (the planner measures the node program's heap top)`);
  return (await measure(wasm)).heapTop;
}

/** Boards of a `--nodes` list. */
export function parseNodes(list: string): BoardBudget[] {
  const boards = loadBoards();
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--nodes needs at least one board name');
  return names.map((n) => {
    try {
      return getBoard(boards, BOARD_ALIASES[n] ?? n);
    } catch (e) {
      throw new UsageError(`--nodes: ${(e as Error).message}`);
    }
  });
}

export function parseCuts(list: string): number[] {
  return list.split(',').map((s) => {
    const v = Number(s.trim());
    if (!/^\d+$/.test(s.trim()) || !Number.isSafeInteger(v)) throw new UsageError(`--at: "${s}" is not a layer index`);
    return v;
  });
}

export async function splitCommand(model: MycoModel, file: string, flags: Record<string, string | true>): Promise<string> {
  if (typeof flags.nodes !== 'string') throw new UsageError('split needs --nodes board,board,... (one step per node)');
  const boards = parseNodes(flags.nodes);
  const at = typeof flags.at === 'string' ? parseCuts(flags.at) : undefined;
  if (flags.at === true) throw new UsageError('--at needs cut points, e.g. --at 5,12');
  const plan = planSplit(model, boards, { at, nodeHeapTop: await nodeHeapTop() });
  return splitText(model, plan, file);
}
