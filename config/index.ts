export { StackConfigSchema } from "./schema";
export { imageProblem } from "./fields";
export type { StackConfigInput, ParsedStackConfig } from "./schema";
export { resolveDefaults, type StackConfig } from "./defaults";
export { ConfigError, type ConfigProblem } from "./errors";
export {
  PROJECT,
  parseStackConfig,
  parseAnyStackConfig,
  loadAnyStackFile,
  type AnyStackConfig,
  rawFromNamespaced,
  rawFromStackFile,
  loadStackFile,
  encodeRuntimeConfig,
  decodeRuntimeValue,
} from "./load";
export { isProfileConfig, type ProfileStackConfig } from "./profile-schema";
