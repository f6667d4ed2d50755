/**
 * Wall time of the offline plan per shipped stack, next to the time to load the SDKs alone, each
 * in a fresh process (what a user or CI pays). Target: planning a stack <= 1.5x loading the SDKs.
 *
 *   npx tsx bench/plan.ts [runs]
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.join(__dirname, "..");
const runs = Number(process.argv[2] ?? 5);
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function timeOnce(args: string[]): number {
  const start = process.hrtime.bigint();
  execFileSync(tsx, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(label: string, args: string[]): number {
  timeOnce(args); // warm the file cache and tsx's transform cache
  const times = Array.from({ length: runs }, () => timeOnce(args));
  const m = median(times);
  console.log(`${label.padEnd(50)} median ${m.toFixed(0).padStart(6)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(", ")})`);
  return m;
}

// The SDKs the program imports, whatever the platform.
const sdk = measure("load SDKs (pulumi, aws, awsx, random, kubernetes)", ["-e",
  "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/awsx'); require('@pulumi/random'); require('@pulumi/kubernetes');"]);
const cases: [string, string[]][] = [
  ["plan --stack staging --json", ["--stack", "staging"]],
  ["plan --stack prod --json", ["--stack", "prod"]],
  ["plan examples/eks-prod.yaml --json", ["--config-file", "examples/eks-prod.yaml"]],
];
for (const [label, args] of cases) {
  const t = measure(label, ["cli/plan.ts", ...args, "--json"]);
  console.log(`${"".padEnd(50)} ratio to SDK load: ${(t / sdk).toFixed(2)}x (target <= 1.5x)`);
}
