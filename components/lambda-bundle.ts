import { buildSync } from "esbuild";
import { LAMBDA_NODE_RUNTIMES, LAMBDA_RUNTIME } from "../catalog/lambda-runtimes";

/**
 * Bundles a function's handler into one CommonJS file for the program's Lambda runtime
 * (LAMBDA_RUNTIME, catalog/lambda-runtimes.ts), at program time, so `pulumi up` needs no separate
 * build step. The Node.js Lambda runtimes ship AWS SDK v3, so `@aws-sdk/*` stays out of the bundle.
 */
export function bundleHandler(entry: string): string {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: `node${LAMBDA_NODE_RUNTIMES[LAMBDA_RUNTIME].nodeMajor}`,
    format: "cjs",
    write: false,
    minify: true,
    external: ["@aws-sdk/*"],
    logLevel: "silent",
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`esbuild produced no output for ${entry}`);
  return out.text;
}
