import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

/** Tests and plain JavaScript are linted without type information (see CONTRIBUTING.md). */
const UNTYPED = ["test/**", "**/*.js", "**/*.cjs", "**/*.mjs", "**/*.mts"];
const JS_AND_TS = ["**/*.ts", "**/*.mts", "**/*.cts", "**/*.js", "**/*.cjs", "**/*.mjs"];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Import layering. ESLint keeps only the last options given for a rule, so each group below
// repeats the patterns of the groups it refines; a later group overrides an earlier one.
const NO_TEST = {
  regex: "^\\.{1,2}/(?:\\.\\./)*test(?:/|$)",
  message: "Only tests import from test/: move shared offline code to offline/.",
};
const NO_PULUMI = {
  regex: "^@pulumi/",
  message: "The pure core (config/ sizing/ cost/ contract/) imports no Pulumi package: read config in config/pulumi.ts and wire resources in components/.",
};
const NO_SHELL = {
  regex: "(?:^|/)(?:components|offline)(?:/|$)|(?:^\\.\\./|/)config/(?:pulumi|update-guard)$|^\\./(?:pulumi|update-guard)$",
  message: "The pure core imports neither components/, offline/ nor the Pulumi readers config/pulumi.ts and config/update-guard.ts.",
};
const policiesPackage = JSON.parse(readFileSync(join(import.meta.dirname, "policies/package.json"), "utf8"));
const POLICY_DEPENDENCIES = [...Object.keys(policiesPackage.dependencies ?? {}), ...builtinModules];
const POLICIES_BARE = {
  regex: `^(?!\\.|/|node:|(?:${POLICY_DEPENDENCIES.map(escape).join("|")})(?:/|$))`,
  message: "The policy pack is published alone: import only packages listed in policies/package.json dependencies.",
};
/** For a file `depth` folders below the root, a relative path that climbs out of policies/. */
const policiesEscape = (depth) => ({
  regex: `^(?:\\./)?(?:\\.\\./){${depth}}`,
  message: "The policy pack is published alone: import nothing from outside policies/.",
});
const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

/** The layering rules, exported for test/unit/layering.test.ts. */
export const layering = [
  { files: JS_AND_TS, ignores: ["test/**"], rules: restrict(NO_TEST) },
  {
    files: ["sizing/**", "cost/**", "contract/**", "config/**"].flatMap((d) => JS_AND_TS.map((e) => `${d}/${e}`)),
    // The thin shell: the two readers of the Pulumi runtime (stack config, dry run, mock monitor).
    ignores: ["config/pulumi.ts", "config/update-guard.ts"],
    rules: restrict(NO_TEST, NO_PULUMI, NO_SHELL),
  },
  ...[1, 2, 3].map((depth) => ({
    files: JS_AND_TS.map((e) => `policies/${"*/".repeat(depth - 1)}${e.replace("**/", "")}`),
    rules: restrict(policiesEscape(depth), POLICIES_BARE),
  })),
];

export default tseslint.config(
  { ignores: ["node_modules/**", "**/node_modules/**", "dist/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    ignores: UNTYPED,
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  ...layering,
);
