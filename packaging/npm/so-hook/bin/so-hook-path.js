#!/usr/bin/env node
'use strict';
// Prints the absolute path of the native so-hook binary that `so-hook` (the Node.js launcher)
// runs, so an agent's hook can call the binary directly and skip Node.js's start-up.

const { binaryPath } = require('../lib/binary.js');

try {
  process.stdout.write(`${binaryPath()}\n`);
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
