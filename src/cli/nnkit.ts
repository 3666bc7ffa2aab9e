#!/usr/bin/env node
/**
 * The `nnkit` command (package.json `bin`, so `npx nnkit …` in a project
 * that installed nnkit):
 *
 *   nnkit plot <activation> [--derivative] [--<option> V ...] [--out f.svg|f.png]
 *   nnkit tour [--quick] [--seed N] [--out DIR] [--only a,b] [--no-progress]
 *   nnkit --help | nnkit <command> --help
 *
 * Exit codes: 0 done, 1 failed (e.g. no browser for a PNG), 2 a usage error
 * (printed as one line, without a stack trace).
 */
import '../index.js';
import { cli } from './command.js';

process.exitCode = cli(process.argv.slice(2));
