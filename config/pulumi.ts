import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./errors";
import { decodeNamespacedConfig } from "./decode";
import { parseAnyStackConfig, type AnyStackConfig } from "./load";

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

/**
 * The stack config from the Pulumi runtime (`pulumi up`, or the offline plan under mocks). The
 * engine passes every key as a string; the same decoder as the offline plan's (config/decode.ts)
 * types them, so both read one stack file the same way. A stack that sets `profile` gives a
 * ProfileStackConfig (isProfileConfig), any other the ActivePieces StackConfig.
 */
export function loadPulumiConfig(): AnyStackConfig {
  return orRunError(() => {
    const source = `Pulumi.${pulumi.getStack()}.yaml`;
    return parseAnyStackConfig(decodeNamespacedConfig(pulumi.runtime.allConfig(), source), source);
  });
}
