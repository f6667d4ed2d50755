import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { type BuildOptions, buildSync, version as esbuildVersion } from "esbuild";
import { LAMBDA_NODE_RUNTIMES, LAMBDA_RUNTIME } from "../catalog/lambda-runtimes";

/** Bundles already built, by build options; each names the files it was built from and their hashes. */
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "activepieces-aws", "lambda");
const LOCK_FILE = path.join(__dirname, "..", "package-lock.json");

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

interface CacheEntry {
  /** Input path (as esbuild's metafile names it, relative to the working directory) -> sha256 of its content. */
  readonly inputs: Record<string, string>;
  readonly text: string;
}

/** The cached bundle, when every file it was built from still has the content it had then. */
function fromCache(file: string, cwd: string): string | undefined {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(readFileSync(file, "utf8")) as CacheEntry;
  } catch {
    return undefined;
  }
  const inputs = Object.entries(entry.inputs ?? {});
  if (inputs.length === 0 || typeof entry.text !== "string") return undefined;
  for (const [input, hash] of inputs) {
    if (sha256(readOrEmpty(path.resolve(cwd, input))) !== hash) return undefined;
  }
  return entry.text;
}

/** Best effort: a read-only tree just builds every time. */
function toCache(file: string, cwd: string, inputs: readonly string[], text: string): void {
  try {
    const entry: CacheEntry = { inputs: Object.fromEntries(inputs.map((i) => [i, sha256(readOrEmpty(path.resolve(cwd, i)))])), text };
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
  } catch {
    // not cached
  }
}

/**
 * Bundles a function's handler into one CommonJS file for the program's Lambda runtime
 * (LAMBDA_RUNTIME, catalog/lambda-runtimes.ts), at program time, so `pulumi up` needs no separate
 * build step. The Node.js Lambda runtimes ship AWS SDK v3, so `@aws-sdk/*` stays out of the bundle.
 *
 * A build is reused (node_modules/.cache/activepieces-aws/lambda/) while the build options, the
 * esbuild version, package-lock.json and the content of every file esbuild read stay the same: the
 * text is the one esbuild would produce again, and every plan or preview skips the build.
 */
export function bundleHandler(entry: string): string {
  const options: BuildOptions = {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: `node${LAMBDA_NODE_RUNTIMES[LAMBDA_RUNTIME].nodeMajor}`,
    format: "cjs",
    write: false,
    minify: true,
    external: ["@aws-sdk/*"],
    logLevel: "silent",
  };
  const cwd = process.cwd();
  const key = sha256(JSON.stringify({ esbuild: esbuildVersion, cwd, options, lock: sha256(readOrEmpty(LOCK_FILE)) }));
  const cacheFile = path.join(CACHE_DIR, `${key}.json`);
  const cached = fromCache(cacheFile, cwd);
  if (cached !== undefined) return cached;
  const result = buildSync({ ...options, metafile: true });
  const out = result.outputFiles?.[0];
  if (!out) throw new Error(`esbuild produced no output for ${entry}`);
  toCache(cacheFile, cwd, Object.keys(result.metafile?.inputs ?? {}), out.text);
  return out.text;
}
