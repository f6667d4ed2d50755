import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { bundleHandler } from "../../components/lambda-bundle";

describe("bundleHandler's cache", () => {
  it("returns what esbuild built, and rebuilds when any file the bundle was built from changes", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lambda-bundle-"));
    const entry = path.join(dir, "handler.ts");
    const dep = path.join(dir, "answer.ts");
    writeFileSync(entry, 'import { answer } from "./answer";\nexport const handler = async () => answer;\n');
    writeFileSync(dep, "export const answer = 41;\n");
    const first = bundleHandler(entry); // built (a fresh directory has no cache entry)
    expect(first).toContain("41");
    expect(bundleHandler(entry)).toBe(first); // from the cache
    writeFileSync(dep, "export const answer = 42;\n"); // only an imported file changes
    const second = bundleHandler(entry);
    expect(second).toContain("42");
    expect(second).not.toContain("41");
  });
});
