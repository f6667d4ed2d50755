import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

/** The pack folder is used on its own by other repositories (policies/README.md, "Using the pack from another repository"). */
const PACK = path.join(__dirname, "../../policies");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? ["node_modules", "bin"].includes(e.name)
        ? []
        : sources(path.join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe("the policies folder is self-contained", () => {
  it("imports nothing from outside the folder", () => {
    const outside = sources(PACK).flatMap((file) => {
      const specs = [...readFileSync(file, "utf8").matchAll(/(?:from\s+|require\()\s*["'](\.[^"']+)["']/g)].map((m) => m[1]!);
      return specs.filter((s) => !path.resolve(path.dirname(file), s).startsWith(PACK + path.sep)).map((s) => `${path.relative(PACK, file)}: ${s}`);
    });
    expect(outside).toEqual([]);
  });

  it("has a lockfile that matches its package.json, so `npm ci` works in the folder", () => {
    const pkg = JSON.parse(readFileSync(path.join(PACK, "package.json"), "utf8")) as { dependencies: object; devDependencies: object };
    const lock = JSON.parse(readFileSync(path.join(PACK, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dependencies?: object; devDependencies?: object }>;
    };
    expect(lock.packages[""]!.dependencies).toEqual(pkg.dependencies);
    expect(lock.packages[""]!.devDependencies).toEqual(pkg.devDependencies);
  });
});
