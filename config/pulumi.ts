import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./defaults";
import { ConfigError } from "./errors";
import { decodeRuntimeValue, parseStackConfig, rawFromNamespaced } from "./load";

/**
 * Runs `fn`, turning a ConfigError into a Pulumi RunError: the CLI then prints our message
 * (every bad key, its value and what is allowed) without a stack trace, before any resource exists.
 */
export function orRunError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

/** The stack config from the Pulumi runtime (`pulumi up`, or the offline plan under mocks). */
export function loadPulumiConfig(): StackConfig {
  return orRunError(() => {
    const entries: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) entries[k] = decodeRuntimeValue(v);
    return parseStackConfig(rawFromNamespaced(entries, `Pulumi.${pulumi.getStack()}.yaml`), `Pulumi.${pulumi.getStack()}.yaml`);
  });
}
