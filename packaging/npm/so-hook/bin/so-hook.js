#!/usr/bin/env node
'use strict';
// npm's `so-hook` command: runs the native binary from the platform package with the same
// arguments, standard streams and environment, and ends the way it ended (its exit code, or the
// signal that killed it). It costs one Node.js start-up per call; see README.md for registering
// the binary itself with your agent instead (`so-hook-path` prints its path).

const { spawnSync } = require('child_process');
const os = require('os');
const { binaryPath } = require('../lib/binary.js');

let bin;
try {
  bin = binaryPath();
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
const run = spawnSync(bin, process.argv.slice(2), { stdio: 'inherit' });
if (run.error) {
  process.stderr.write(`so-hook: cannot run ${bin}: ${run.error.message}\n`);
  process.exit(1);
}
if (run.signal) {
  // Die of the same signal, so the caller sees what the binary got; a signal Node ignores
  // (SIGPIPE) falls through to the shell's convention, 128 + its number.
  process.kill(process.pid, run.signal);
  process.exit(128 + (os.constants.signals[run.signal] || 0));
}
process.exit(run.status === null ? 1 : run.status);
