#!/usr/bin/env node
// The `myco` command. The CLI is TypeScript; tsx compiles it on the fly, so there is no
// build step and the command works from any directory.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../tools/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
