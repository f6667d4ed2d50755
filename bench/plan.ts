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
  console.log(`${label.padEnd(38)} median ${m.toFixed(0).padStart(6)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(", ")})`);
  return m;
}

// A Fargate stack loads the AWS SDKs only; an EKS stack also loads the Kubernetes SDK.
const awsSdks = "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/awsx'); require('@pulumi/random');";
const fargateSdk = measure("load SDKs (pulumi, aws, awsx, random)", ["-e", awsSdks]);
const eksSdk = measure("load SDKs (+ kubernetes)", ["-e", `${awsSdks} require('@pulumi/kubernetes');`]);
const cases: [string, string[], number][] = [
  ["plan --stack staging --json", ["--stack", "staging"], fargateSdk],
  ["plan --stack prod --json", ["--stack", "prod"], fargateSdk],
  ["plan examples/eks-prod.yaml --json", ["--config-file", "examples/eks-prod.yaml"], eksSdk],
];
for (const [label, args, sdk] of cases) {
  const t = measure(label, ["cli/plan.ts", ...args, "--json"]);
  console.log(`${"".padEnd(38)} ratio to its SDK load: ${(t / sdk).toFixed(2)}x (target <= 1.5x)`);
}
