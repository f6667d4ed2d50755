#!/usr/bin/env node
/* global require, process, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher */
// `npm run policy` without a TypeScript loader at start-up: runs cli/policy-check.ts from an
// esbuild bundle in node_modules/.cache/activepieces-aws/, rebuilt whenever a file it was built
// from changed. tsx alone takes longer to start than @pulumi/policy takes to load, and a CI check
// of an empty or small export is mostly start-up. Same code, flags, output and exit codes as
// `tsx cli/policy-check.ts`; packages are not bundled, they load from node_modules as usual.
// If the bundle cannot be built (no esbuild, a read-only tree), it falls back to tsx.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const entry = "cli/policy-check.ts";
const dir = path.join(root, "node_modules", ".cache", "activepieces-aws");
const bundle = path.join(dir, "policy-check.cjs");
const inputsFile = path.join(dir, "policy-check.inputs.json");

/** The bundle exists and no file it was built from is newer than the build. */
function isFresh() {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
    return inputs.length > 0 && inputs.every((f) => fs.statSync(path.join(root, f)).mtimeMs <= built);
  } catch {
    return false;
  }
}

function build() {
  const started = new Date();
  const esbuild = require("esbuild");
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    sourcemap: true,
    metafile: true,
    logLevel: "error",
  });
  // Stamp the bundle with the build's start, so a source saved during the build counts as newer.
  fs.utimesSync(tmp, started, started);
  fs.renameSync(`${tmp}.map`, `${bundle}.map`);
  fs.writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(Object.keys(result.metafile.inputs)));
  fs.renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  fs.renameSync(tmp, bundle);
}

let ready = isFresh();
if (!ready) {
  try {
    build();
    ready = true;
  } catch (e) {
    process.stderr.write(`note: running ${entry} through tsx (bundle not built: ${e instanceof Error ? e.message.split("\n")[0] : e})\n`);
  }
}
if (ready) {
  // Run the bundle as the main module, so its own `require.main === module` starts the command.
  process.argv[1] = bundle;
  require("node:module").runMain();
} else {
  require("tsx/cjs");
  require(path.join(root, entry)).runCli(process.argv.slice(2));
}
