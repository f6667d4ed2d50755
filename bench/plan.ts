/**
 * Wall time of the offline plan per shipped stack, next to the time to load the SDKs alone, each
 * in a fresh process (what a user or CI pays), interleaved round by round so every command sees the
 * same machine load. Target: planning a stack <= 2.0x loading the SDKs.
 *
 *   npx tsx bench/plan.ts [runs]
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.join(__dirname, "..");
const runs = Number(process.argv[2] ?? 5);
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const TARGET = 2.0;

function timeOnce([file, ...args]: string[]): number {
  const start = process.hrtime.bigint();
  execFileSync(file!, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// The SDKs the program imports, whatever the platform.
const SDK_LABEL = "load SDKs (pulumi, aws, awsx, random, kubernetes)";
const sdkArgs = [
  tsx,
  "-e",
  "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/awsx'); require('@pulumi/random'); require('@pulumi/kubernetes');",
];
const cases: [string, string[]][] = [
  ["plan --stack staging --json", ["--stack", "staging"]],
  ["plan --stack prod --json", ["--stack", "prod"]],
  ["plan examples/eks-prod.yaml --json", ["--config-file", "examples/eks-prod.yaml"]],
  ["plan examples/membrane.yaml --json", ["--config-file", "examples/membrane.yaml"]],
  ["plan examples/langfuse-eks.yaml --json", ["--config-file", "examples/langfuse-eks.yaml"]],
];
/** The command as a user types it: npm's own start-up included. */
const NPM_PROD = "npm run -s plan -- --stack prod --json";
const commands: [string, string[]][] = [
  [SDK_LABEL, sdkArgs],
  ...cases.map(([label, args]): [string, string[]] => [label, [tsx, "cli/plan.ts", ...args, "--json"]]),
  [NPM_PROD, ["npm", "run", "-s", "plan", "--", "--stack", "prod", "--json"]],
];

for (const [, args] of commands) timeOnce(args); // warm the file cache, tsx's transform cache and the Lambda bundle cache
const times = new Map<string, number[]>(commands.map(([label]) => [label, []]));
for (let i = 0; i < runs; i++) for (const [label, args] of commands) times.get(label)!.push(timeOnce(args));

const medians = new Map([...times].map(([label, ts]) => [label, median(ts)]));
const sdk = medians.get(SDK_LABEL)!;
for (const [label, ts] of times) {
  console.log(`${label.padEnd(50)} median ${medians.get(label)!.toFixed(0).padStart(6)} ms  (runs: ${ts.map((t) => t.toFixed(0)).join(", ")})`);
  if (label !== SDK_LABEL) console.log(`${"".padEnd(50)} ratio to SDK load: ${(medians.get(label)! / sdk).toFixed(2)}x (target <= ${TARGET.toFixed(1)}x)`);
}
const prod = medians.get(NPM_PROD)! / sdk;
console.log(`\nprod: ${NPM_PROD} takes ${prod.toFixed(2)}x the SDK load (target <= ${TARGET.toFixed(1)}x): ${prod <= TARGET ? "ok" : "OVER TARGET"}`);
