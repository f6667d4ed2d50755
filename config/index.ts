export { StackConfigSchema } from "./schema";
export { imageProblem } from "./fields";
export type { StackConfigInput, ParsedStackConfig } from "./schema";
export { resolveDefaults, type StackConfig } from "./defaults";
export { ConfigError, type ConfigProblem } from "./errors";
export { PROJECT, parseStackConfig, rawFromNamespaced, rawFromStackFile, loadStackFile, encodeRuntimeConfig, decodeRuntimeValue } from "./load";
