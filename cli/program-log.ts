/**
 * What the program prints while it runs under mocks. With no engine to talk to, `pulumi.log`
 * writes to the console: `warning: [runtime] <message>` through console.warn, and `info:` through
 * console.log, that is on stdout, where it would break `--json`.
 */
import { format } from "node:util";

const RUNTIME_LINE = /^(debug|info|warning|error): \[runtime\] ([\s\S]*)$/;

type ConsoleMethod = "log" | "info" | "warn" | "error" | "debug";
const METHODS: readonly ConsoleMethod[] = ["log", "info", "warn", "error", "debug"];

/**
 * Runs `fn` with the console redirected: a `warning: [runtime]` line whose message is one of
 * `known` (the plan's own warnings, which the plan command prints itself) is dropped; every other
 * line goes to `err` (stderr), never to stdout.
 */
export async function withProgramLog<T>(known: readonly string[], err: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  // Saved only to be put back on `console` below, never called detached (Node binds them anyway).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const saved = METHODS.map((m) => [m, console[m]] as const);
  const originalError = console.error;
  let inErr = false;
  const route = (...args: unknown[]) => {
    const line = format(...args);
    const m = RUNTIME_LINE.exec(line);
    if (m && m[1] === "warning" && known.includes(m[2]!)) return;
    if (inErr) return originalError(line); // `err` itself writes through the console
    inErr = true;
    try {
      err(line);
    } finally {
      inErr = false;
    }
  };
  for (const m of METHODS) console[m] = route;
  try {
    return await fn();
  } finally {
    for (const [m, f] of saved) console[m] = f;
  }
}
