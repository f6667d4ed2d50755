import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Pulumi mocks are process-global: one capture at a time per worker process.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
