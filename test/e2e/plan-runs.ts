/**
 * The plan command in-process, for the end-to-end tests: `main()` with the real argument parsing,
 * checks, output and exit codes, and the real run (index.ts under mocks, the policy pack, the
 * contract check), but each config file planned at most once per test file and its result shared by
 * every command line of that file that plans it. What only a process shows (exit status, stdout and
 * stderr as streams, the bin launcher) stays in test/e2e/plan-process.test.ts.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { type PlanResult, main, runPlan } from "../../cli/plan";

export const root = path.join(__dirname, "..", "..");
export const tsx = path.join(root, "node_modules", ".bin", "tsx");

// The program's entry point (index.ts, `export =`) is CommonJS TypeScript: runPlan requires it as
// the CLI does, through tsx's CommonJS hook (vitest's own loader cannot load it).
let registered = false;
function registerTsx(): void {
  if (registered) return;
  (createRequire(__filename)("tsx/cjs/api") as { register(): unknown }).register();
  registered = true;
}

interface Planned {
  readonly result: PlanResult;
  /** What the run wrote to stderr (the program's log lines), replayed to every command line that reuses it. */
  readonly log: readonly string[];
}

const planned = new Map<string, Promise<Planned>>();

/** The run of `configFile` as stack `stack`, done once per test file (per process). */
export function planOnce(configFile: string, stack: string): Promise<Planned> {
  const key = `${path.resolve(root, configFile)}\0${stack}`;
  let p = planned.get(key);
  if (!p) {
    registerTsx();
    const log: string[] = [];
    p = runPlan(configFile, stack, (line) => log.push(line)).then((result) => ({ result, log }));
    planned.set(key, p);
  }
  return p;
}

/** The runs to do up front (in beforeAll), one after another: captures cannot overlap. */
export async function planAll(runs: readonly (readonly [configFile: string, stack: string])[]): Promise<void> {
  for (const [configFile, stack] of runs) await planOnce(configFile, stack);
}

/** The run main() gets: the shared result of the same config file and stack, its log replayed. */
async function sharedRun(configFile: string, stack: string, log: (line: string) => void = () => undefined): Promise<PlanResult> {
  const p = await planOnce(configFile, stack);
  for (const line of p.log) log(line);
  return p.result;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npm run -s plan -- <argv>` in-process: stdout and stderr as the process would write them
 * (one line per call). The process starts in the repository root, so relative paths resolve there.
 */
export async function plan(...argv: string[]): Promise<CommandResult> {
  let stdout = "";
  let stderr = "";
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const code = await main(
      argv,
      {
        out: (s) => {
          stdout += `${s}\n`;
        },
        err: (s) => {
          stderr += `${s}\n`;
        },
      },
      { run: sharedRun },
    );
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

/** A real process, for what only a process shows. */
export function spawn(command: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
