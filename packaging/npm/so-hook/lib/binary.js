'use strict';
// Finds the so-hook binary that npm installed for this machine: the platform package
// @so-hook/<platform>-<arch> (an optional dependency of this package; npm installs the one whose
// `os` and `cpu` match) holds it as bin/so-hook, or bin/so-hook.exe on Windows.

const path = require('path');
const fs = require('fs');

const platform = `${process.platform}-${process.arch}`;
const packageName = `@so-hook/${platform}`;
const exe = process.platform === 'win32' ? 'so-hook.exe' : 'so-hook';

// The platforms this release has a package for (filled in when the package is made).
function supported() {
  const own = require('../package.json');
  return Object.keys(own.optionalDependencies || {}).map((n) => n.replace('@so-hook/', ''));
}

// The absolute path of the binary; throws an Error whose message says what is missing and how to
// get it.
function binaryPath() {
  let dir;
  try {
    dir = path.dirname(require.resolve(`${packageName}/package.json`));
  } catch (_) {
    const known = supported();
    if (!known.includes(platform)) {
      throw new Error(
        `so-hook: there is no prebuilt binary for ${platform} (this release has ${known.join(', ') || 'none'}). ` +
          'Build it from source with the Rust toolchain: cargo install --locked --path <a so-hook checkout>.'
      );
    }
    throw new Error(
      `so-hook: the package ${packageName}, which holds the binary for ${platform}, is not installed. ` +
        'npm installs it with so-hook as an optional dependency: reinstall so-hook without ' +
        `--omit=optional (or --no-optional), or install ${packageName} beside it.`
    );
  }
  const bin = path.join(dir, 'bin', exe);
  if (!fs.existsSync(bin)) {
    throw new Error(`so-hook: ${packageName} is installed at ${dir} but has no bin/${exe}; reinstall it.`);
  }
  return bin;
}

module.exports = { binaryPath, packageName };
