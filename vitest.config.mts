import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Pulumi mocks are process-global: one capture at a time per worker process.
    pool: "forks",
    // Test files share their worker's module cache: @pulumi/aws and the other SDKs load once per
    // worker instead of once per file (most of the suite's time otherwise). capture()
    // (offline/capture.ts) starts every run from fresh mocks, config and stack; a file that changes
    // other global state (env, timers) puts it back in afterEach.
    isolate: false,
    // Every core (vitest's default leaves one idle: on a 2-core CI machine that is one worker). The
    // files that start processes or talk to Redis/Postgres use their own databases and ports.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
