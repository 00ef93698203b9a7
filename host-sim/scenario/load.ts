// Reading scenarios from disk, and the built-in default.

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseScenario, type Scenario } from './validate.ts';
import { ScenarioError } from './source.ts';
import type { BoardSet } from '../boards.ts';
import { SCENARIOS_DIR } from '../paths.ts';

/**
 * The default scenario is scenarios/default.yaml itself, read from the installed tree: one
 * text, so the file users copy and the run `myco sim` does without arguments cannot drift.
 */
export const DEFAULT_SCENARIO_PATH = join(SCENARIOS_DIR, 'default.yaml');

export function defaultScenarioText(): string {
  return readFileSync(DEFAULT_SCENARIO_PATH, 'utf8');
}

/** Paths in messages are shown relative to the working directory when that is shorter. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

export function loadScenario(path: string, boards: BoardSet): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError([`${displayPath(path)}: cannot read scenario${code === 'ENOENT' ? ': no such file' : `: ${(e as Error).message}`}`]);
  }
  return parseScenario(displayPath(path), text, { boards, baseDir: join(path, '..') });
}

export function loadDefaultScenario(boards: BoardSet): Scenario {
  return parseScenario(displayPath(DEFAULT_SCENARIO_PATH), defaultScenarioText(), { boards, baseDir: SCENARIOS_DIR });
}
