#!/usr/bin/env node
// The `vulnzero` command: loads the built CLI (npm run build writes out/main/cli.js).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('error: the CLI is not built yet; run `npm run build` first\n');
  process.exit(1);
}
import(pathToFileURL(cli).href)
  .then((mod) => mod.main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`error: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
