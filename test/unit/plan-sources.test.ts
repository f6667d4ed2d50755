import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxWorkers } from "../../config/fleet";
import { loadStackFile } from "../../config";
import { needsPrivilegedContainer } from "../../policies/facts/activepieces";
import { plan } from "../../sizing/plan";
import { planFor } from "../stack";

/** Each derived value has one source: these tests pin where, and that the plan carries it. */
describe("one source for every derived value", () => {
  it("gives an EKS plan its node groups and a Fargate plan none", () => {
    const fargate = planFor("prod");
    const eks = plan(loadStackFile("examples/eks-prod.yaml"));
    expect(fargate.platform).toBe("fargate");
    expect("eks" in fargate).toBe(false);
    expect(eks.platform).toBe("eks");
    if (eks.platform !== "eks") throw new Error("unreachable");
    // Pod requests are the roles' planned millicores, not a second conversion.
    expect(eks.eks.appPod).toEqual({ cpuMillis: eks.app.cpuMillicores, memoryMiB: eks.app.memory });
    expect(eks.eks.workerPod).toEqual({ cpuMillis: eks.worker.cpuMillicores, memoryMiB: eks.worker.memory });
  });

  it("marks EKS workers privileged exactly for the execution modes that need it", () => {
    for (const executionMode of ["UNSANDBOXED", "SANDBOX_CODE_ONLY", "SANDBOX_PROCESS", "SANDBOX_CODE_AND_PROCESS"]) {
      const p = planFor("prod", { platform: "eks", executionMode });
      if (p.platform !== "eks") throw new Error("unreachable");
      expect(p.eks.workerPrivileged, executionMode).toBe(needsPrivilegedContainer(executionMode));
      expect(p.eks.workerPrivileged, executionMode).toBe(executionMode.endsWith("PROCESS"));
    }
  });

  it("refuses the same modes on Fargate that it runs privileged on EKS", () => {
    expect(() => planFor("prod", { executionMode: "SANDBOX_CODE_AND_PROCESS" })).toThrow(/privileged/);
    expect(() => planFor("prod", { executionMode: "SANDBOX_PROCESS" })).toThrow(/privileged/);
    expect(() => planFor("prod", { executionMode: "SANDBOX_CODE_ONLY" })).not.toThrow();
  });

  it("sizes the fleet with the function the schema checks onDemandBase against", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 5 }), (peak, concurrency) => {
        const p = planFor("staging", { peakConcurrentFlows: peak, workerConcurrency: concurrency, workersPerApp: 50, worker: { cpu: 1024, memory: 4096 } });
        expect(p.worker.max).toBe(maxWorkers({ peakConcurrentFlows: peak, workerConcurrency: concurrency, worker: { scaling: { mode: "static" } } }));
      }),
      { numRuns: 25 },
    );
  });

  it("keeps config/ free of sizing/ imports (sizing reads config, never the reverse)", () => {
    const offenders = readdirSync("config")
      .filter((f) => f.endsWith(".ts"))
      .filter((f) => /from\s+["']\.\.\/sizing\//.test(readFileSync(`config/${f}`, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("drains the app for the deregistration delay before its stop timeout, on both platforms", () => {
    const lb = planFor("prod").loadBalancer;
    expect(lb.deregistrationDelaySeconds).toBe(30);
    expect(lb.preStopSleepSeconds).toBeGreaterThan(lb.deregistrationDelaySeconds);
    expect(lb.appTerminationGracePeriodSeconds).toBe(lb.preStopSleepSeconds + planFor("prod").app.stopTimeoutSeconds);
  });
});
