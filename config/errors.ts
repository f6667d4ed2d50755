import type { z } from "zod";

/** One problem with the config: the dotted key, the value given and what is allowed. */
export interface ConfigProblem {
  readonly key: string;
  readonly value: unknown;
  readonly message: string;
}

/** Raised before any resource is registered; carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly source: string,
  ) {
    super(`invalid config in ${source}:\n` + problems.map((p) => `  - ${p.key}: ${p.message} (got ${showValue(p.value)})`).join("\n"));
    this.name = "ConfigError";
  }
}

export function showValue(v: unknown): string {
  if (v === undefined) return "nothing";
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** Flattens zod issues into one problem per bad key, with the value the user gave. */
export function problemsFromZod(error: z.ZodError, input: unknown): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...base, key];
        out.push({ key: path.join("."), value: valueAt(input, path), message: "unknown key (check the spelling against the config reference)" });
      }
      continue;
    }
    const given = "input" in issue && issue.input !== undefined ? issue.input : valueAt(input, issue.path);
    const message = issue.code === "invalid_type" && given === undefined ? "is required" : issue.message;
    out.push({ key: base.join(".") || "(root)", value: given, message });
  }
  return out;
}
