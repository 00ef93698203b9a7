// Where the repository's shared files live, found from this file rather than the working
// directory so `myco` works from anywhere.

import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BOARDS_DIR = join(REPO_ROOT, 'boards');
export const BUILD_DIR = join(REPO_ROOT, 'build');
export const SCENARIOS_DIR = join(REPO_ROOT, 'scenarios');
