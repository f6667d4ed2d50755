/**
 * The import layering rules of eslint.config.mjs (`layering`): each fires on a violating import
 * and stays quiet on an allowed one. Files are linted from text under a made-up path, so the
 * layering rules run alone (without the type-checked set, which needs the file on disk); a last
 * check proves the real config gives those paths the same rule.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.join(__dirname, "..", "..");
const RULE = "no-restricted-imports";

let layering: Linter.Config[];
let eslint: ESLint;

beforeAll(async () => {
  const config = (await import(pathToFileURL(path.join(ROOT, "eslint.config.mjs")).href)) as { layering: Linter.Config[] };
  layering = config.layering;
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser as Linter.Parser } }, ...layering],
  });
});

/** The layering messages for one import statement in a file at `file` (relative to the root). */
async function violations(file: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as m from "${specifier}";\nexport { m };\n`, { filePath: path.join(ROOT, file) });
  expect(result, `${file} is linted`).toBeDefined();
  expect(
    result!.messages.filter((m) => m.ruleId !== RULE),
    `${file}: no other problem`,
  ).toEqual([]);
  return result!.messages.map((m) => m.message);
}

interface Case {
  readonly file: string;
  readonly imports: string;
}

function layer(name: string, { fires, allowed }: { fires: readonly Case[]; allowed: readonly Case[] }, message: RegExp): void {
  describe(name, () => {
    it.each(fires)("fires: $file imports $imports", async ({ file, imports }) => {
      const messages = await violations(file, imports);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(message);
    });
    it.each(allowed)("allows: $file imports $imports", async ({ file, imports }) => {
      expect(await violations(file, imports)).toEqual([]);
    });
  });
}

layer(
  "only tests import from test/",
  {
    fires: [
      { file: "cli/plan.ts", imports: "../test/harness" },
      { file: "index.ts", imports: "./test/mocks" },
      { file: "components/eks/cluster.ts", imports: "../../test/mocks" },
      { file: "bench/plan.ts", imports: "../test/fixtures/stacks" },
      { file: "bin/activepieces-plan.js", imports: "../test/harness" },
    ],
    allowed: [
      { file: "cli/plan.ts", imports: "../offline/capture" },
      { file: "test/unit/plan.test.ts", imports: "../../offline/mocks" },
      { file: "test/unit/plan.test.ts", imports: "../stack" },
      { file: "test/policy/support.ts", imports: "../../test/fixtures/stacks" },
    ],
  },
  /Only tests import from test\//,
);

layer(
  "the pure core imports no Pulumi package",
  {
    fires: [
      { file: "sizing/plan.ts", imports: "@pulumi/pulumi" },
      { file: "cost/fargate.ts", imports: "@pulumi/aws" },
      { file: "contract/lines.ts", imports: "@pulumi/pulumi/runtime" },
      { file: "contract/check/stack.ts", imports: "@pulumi/kubernetes" },
      { file: "config/schema.ts", imports: "@pulumi/pulumi" },
    ],
    allowed: [
      { file: "config/pulumi.ts", imports: "@pulumi/pulumi" },
      { file: "config/update-guard.ts", imports: "@pulumi/pulumi" },
      { file: "components/network.ts", imports: "@pulumi/aws" },
      { file: "sizing/plan.ts", imports: "zod" },
      { file: "sizing/plan.ts", imports: "../config/errors" },
      { file: "cost/fargate.ts", imports: "../sizing/types" },
    ],
  },
  /pure core .* imports no Pulumi package/,
);

layer(
  "the pure core reaches Pulumi through no other module",
  {
    fires: [
      { file: "sizing/plan.ts", imports: "../components/network" },
      { file: "cost/fargate.ts", imports: "../offline/sdk/pulumi" },
      { file: "sizing/plan.ts", imports: "../config/pulumi" },
      { file: "contract/check/stack.ts", imports: "../../config/update-guard" },
      { file: "config/schema.ts", imports: "./pulumi" },
    ],
    allowed: [
      { file: "config/update-guard.ts", imports: "../offline/sdk/pulumi" },
      { file: "config/schema.ts", imports: "./eks-schema" },
      { file: "sizing/plan.ts", imports: "../config/schema" },
    ],
  },
  /pure core imports neither components\/, offline\//,
);

layer(
  "the pure core imports nothing from test/ either",
  { fires: [{ file: "sizing/plan.ts", imports: "../test/mocks" }], allowed: [] },
  /Only tests import from test\//,
);

layer(
  "the policy pack imports nothing from outside policies/",
  {
    fires: [
      { file: "policies/index.ts", imports: "../sizing/plan" },
      { file: "policies/rules/require-pinned-image.ts", imports: "../../config/schema" },
      { file: "policies/engine/check.ts", imports: "../../offline/capture" },
      { file: "policies/engine/check.ts", imports: "../../test/harness" },
    ],
    allowed: [
      { file: "policies/index.ts", imports: "./rules" },
      { file: "policies/rules/require-pinned-image.ts", imports: "../lib/define" },
      { file: "policies/engine/policy-server.ts", imports: "./sdk-policy" },
      { file: "policies/engine/check.ts", imports: "../package.json" },
    ],
  },
  /import nothing from outside policies\//,
);

layer(
  "the policy pack imports only its own dependencies",
  {
    fires: [
      { file: "policies/lib/values.ts", imports: "zod" },
      { file: "policies/engine/check.ts", imports: "@pulumi/aws" },
      { file: "policies/engine/check.ts", imports: "yaml" },
    ],
    allowed: [
      { file: "policies/lib/define.ts", imports: "@pulumi/policy" },
      { file: "policies/engine/sdk-pulumi.ts", imports: "@pulumi/pulumi/proto/analyzer_pb" },
      { file: "policies/engine/policy-server.ts", imports: "google-protobuf/google/protobuf/struct_pb" },
      { file: "policies/engine/check.ts", imports: "ajv" },
      { file: "policies/engine/check.ts", imports: "node:fs" },
      { file: "policies/engine/check.ts", imports: "path" },
    ],
  },
  /import only packages listed in policies\/package.json/,
);

describe("eslint.config.mjs applies the layering rules", () => {
  it.each(["cli/plan.ts", "sizing/plan.ts", "config/schema.ts", "config/pulumi.ts", "policies/index.ts", "policies/lib/define.ts", "policies/engine/check.ts"])(
    "%s gets the same no-restricted-imports as the layering block",
    async (file) => {
      const real = (await new ESLint({ cwd: ROOT }).calculateConfigForFile(path.join(ROOT, file))) as Linter.Config;
      const alone = (await eslint.calculateConfigForFile(path.join(ROOT, file))) as Linter.Config;
      expect(real.rules?.[RULE]).toBeDefined();
      expect(real.rules?.[RULE]).toEqual(alone.rules?.[RULE]);
    },
  );
});
