/**
 * Values a policy cannot read, and how to say why. @pulumi/policy hands a policy a value that is
 * not known yet as a proxy that throws on read; the offline check hands it an encrypted secret
 * (ciphertext only in the export) the same way. Which of the two it is depends on where the pack
 * runs: the engine starts a policy pack with `PULUMI_DRY_RUN` (`PULUMI_NODEJS_DRY_RUN` on older
 * CLIs) set to "true" for a preview and "false" for an update; the offline check runs in a process
 * the engine did not start, so neither is set. In a stack export every value is resolved, so the
 * only values the check cannot read are ciphertext: secrets the program marked.
 */
import { isUnknownValue } from "./define";

export const UNREADABLE: unique symbol = Symbol("unreadable");
export type Readable<T> = T | typeof UNREADABLE;

/** Runs a read and returns UNREADABLE instead of throwing when it touches a value the pack cannot read. */
export function readable<T>(read: () => T): Readable<T> {
  try {
    return read();
  } catch (e) {
    if (isUnknownValue(e)) return UNREADABLE;
    throw e;
  }
}

export type RunPhase = "preview" | "update" | "export";

export function runPhase(): RunPhase {
  const flag = process.env.PULUMI_DRY_RUN ?? process.env.PULUMI_NODEJS_DRY_RUN;
  if (flag === undefined || flag === "") return "export";
  return flag === "true" ? "preview" : "update";
}

/** `is not known during preview`, `is not known during this update`, `is encrypted in this stack export`. */
export function unreadablePhrase(plural = false): string {
  const verb = plural ? "are" : "is";
  switch (runPhase()) {
    case "preview":
      return `${verb} not known during preview`;
    case "update":
      return `${verb} not known during this update`;
    default:
      return `${verb} encrypted in this stack export`;
  }
}

/** The property path of an unreadable value from the proxy's error (`containerDefinitions`, `spec.template`). */
export function unreadablePath(e: unknown): string | undefined {
  if (!isUnknownValue(e)) return undefined;
  const props = (e as { props?: unknown }).props;
  return Array.isArray(props) ? props.filter((p): p is string => typeof p === "string").join(".") : undefined;
}
