/**
 * What the command-line tools share for scripting: the `--json` error document, the exit codes,
 * and the checks of paths given on the command line (made before any work, so a typo costs a
 * second and one line, not a whole run and a stack trace).
 */
import { accessSync, constants, statSync } from "node:fs";
import * as path from "node:path";
import type { ConfigProblem } from "../config/errors";

/** Version of every `--json` document; bumped when a key is removed or changes meaning, not when one is added. */
export const SCHEMA_VERSION = 1;

/** A failure of the command line itself (a flag, a path): exit 2. */
export class UsageError extends Error {
  /** The usage line to print after the message in text mode, when the flags themselves were wrong. */
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

export type ErrorKind = "config" | "usage" | "internal";

export const EXIT_CODE: Readonly<Record<ErrorKind, number>> = { config: 2, usage: 2, internal: 3 };

export interface ErrorDocument {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly exitCode: number;
  readonly error: {
    readonly kind: ErrorKind;
    readonly message: string;
    /** Config errors: every bad key, the value given (absent when none was) and what is allowed. */
    readonly problems?: readonly { readonly key: string; readonly value?: unknown; readonly message: string }[];
  };
}

export function errorDocument(kind: ErrorKind, message: string, problems?: readonly ConfigProblem[]): ErrorDocument {
  return {
    schemaVersion: SCHEMA_VERSION,
    exitCode: EXIT_CODE[kind],
    error: {
      kind,
      message,
      ...(problems ? { problems: problems.map((p) => ({ key: p.key, ...(p.value === undefined ? {} : { value: p.value }), message: p.message })) } : {}),
    },
  };
}

/** Where a command writes: stdout and stderr, one call per line or block. Tests pass their own. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const processIo: Io = {
  out: (s) => {
    process.stdout.write(`${s}\n`);
  },
  err: (s) => {
    process.stderr.write(`${s}\n`);
  },
};

/** `--json` anywhere in the arguments, even when they fail to parse: the error must come as JSON too. */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a) => a === "--json" || a.startsWith("--json="));
}

/** One line for a failed file system call: `no such file or directory (ENOENT)`. */
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const text: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOTDIR: "a part of the path is not a directory",
    EISDIR: "is a directory",
  };
  return err.code ? `${text[err.code] ?? err.code} (${err.code})` : String(err.message ?? e);
}

/** Throws a UsageError unless `file` is a regular file this process can read. `note` says where the path came from. */
export function checkReadableFile(file: string, what: string, note?: string): void {
  const name = `${what} ${file}${note ? ` (${note})` : ""}`;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${name} cannot be read: it is a directory`);
    accessSync(file, constants.R_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${name} cannot be read: ${reason(e)}`);
  }
}

/**
 * Throws a UsageError unless `file` can be written: its directory exists and is writable, and the
 * file, if it exists, is a writable regular file. Nothing is created.
 */
export function checkWritableFile(file: string, what: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${what} ${file} cannot be written: ${dir} is not a directory`);
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${what} ${file} cannot be written: directory ${dir}: ${reason(e)}`);
  }
  let existing;
  try {
    existing = statSync(file);
  } catch {
    return; // will be created
  }
  if (existing.isDirectory()) throw new UsageError(`${what} ${file} cannot be written: it is a directory`);
  try {
    accessSync(file, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${what} ${file} cannot be written: ${reason(e)}`);
  }
}

/**
 * Runs a command's main as the process: exits with its code once stdout has drained (a pipe
 * takes large output asynchronously; exiting at once would cut the JSON short).
 */
export function runAsProcess(main: (argv: readonly string[]) => Promise<number>, argv: readonly string[]): void {
  main(argv).then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (e: unknown) => {
      // main reports every failure itself; this is a failure of the reporting.
      console.error("internal error:", e);
      process.exit(3);
    },
  );
}
