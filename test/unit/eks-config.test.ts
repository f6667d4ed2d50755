import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig, rawFromStackFile } from "../../config";

const base = () => rawFromStackFile("examples/eks-prod.yaml");

function problems(raw: Record<string, unknown>): { key: string; message: string }[] {
  try {
    parseStackConfig(raw, "test");
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => ({ key: p.key, message: p.message }));
    throw e;
  }
  return [];
}

const withEks = (eks: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...base(), eks: { ...(base().eks as object), ...eks }, ...extra });

describe("EKS config rules", () => {
  it("accepts the shipped example", () => {
    expect(problems(base())).toEqual([]);
  });

  it("rejects a Spot pool with a single instance type, naming the key", () => {
    expect(problems(withEks({ workerInstanceTypes: ["c7g.large"] }))).toEqual([
      { key: "eks.workerInstanceTypes", message: expect.stringContaining("Spot pool with a single instance type") },
    ]);
  });

  it("rejects an instance type that cannot hold one worker pod, naming the entry", () => {
    const found = problems(
      withEks({ workerInstanceTypes: ["c7g.large", "c6g.large"] }, { worker: { cpu: 2048, memory: 4096, scaling: { mode: "queue", min: 1, max: 10 } } }),
    );
    expect(found.map((p) => p.key)).toEqual(["eks.workerInstanceTypes.0", "eks.workerInstanceTypes.1"]);
    expect(found[0]!.message).toContain("c7g.large cannot hold one worker pod (2000m CPU, 4096 MiB)");
  });

  it("rejects types of the other architecture and mixed vCPU counts in a pool", () => {
    expect(problems(withEks({ workerInstanceTypes: ["c7i.large", "c7g.xlarge"] })).map((p) => p.key)).toEqual([
      "eks.workerInstanceTypes.0",
      "eks.workerInstanceTypes",
    ]);
  });

  it("rejects an unknown instance type with the allowed values", () => {
    const [p] = problems(withEks({ appInstanceTypes: ["m7g.huge"] }));
    expect(p).toMatchObject({ key: "eks.appInstanceTypes.0", message: expect.stringContaining("expected an EC2 instance type") });
  });

  it("rejects Fargate-only options with platform eks", () => {
    expect(
      problems({ ...base(), worker: { capacity: { onDemandBase: 2 }, scaling: { mode: "queue", min: 5, max: 50 } }, app: { requestsPerTarget: 500 } }).map(
        (p) => p.key,
      ),
    ).toEqual(["worker.capacity.onDemandBase", "app.requestsPerTarget"]);
  });

  it("keeps requiring a maximum for queue scaling", () => {
    expect(problems({ ...base(), worker: { scaling: { mode: "queue", min: 1 } } })).toEqual([{ key: "worker.scaling.max", message: "is required" }]);
  });

  it("rejects a typo inside the eks block", () => {
    expect(problems(withEks({ workerInstanceType: ["c7g.large"] })).map((p) => p.key)).toEqual(["eks.workerInstanceType"]);
  });

  it("refuses the price expander (not implemented for AWS: Cluster Autoscaler crash-loops), naming the allowed values", () => {
    expect(problems(withEks({ autoscalerExpander: "price" }))).toEqual([
      {
        key: "eks.autoscalerExpander",
        message: "expected least-waste, random, most-pods (price is not implemented for AWS and crash-loops Cluster Autoscaler)",
      },
    ]);
    for (const expander of ["least-waste", "random", "most-pods"]) expect(problems(withEks({ autoscalerExpander: expander }))).toEqual([]);
  });

  it("takes eks.extendedSupport as a boolean, off by default", () => {
    expect(problems(withEks({ extendedSupport: true }))).toEqual([]);
    expect(problems(withEks({ extendedSupport: "yes" })).map((p) => p.key)).toEqual(["eks.extendedSupport"]);
    expect(parseStackConfig(base(), "test").eks.extendedSupport).toBe(false);
  });

  it("does not apply EKS rules to a Fargate stack", () => {
    expect(problems({ ...rawFromStackFile("Pulumi.prod.yaml"), worker: { capacity: { onDemandBase: 2 } } })).toEqual([]);
  });
});
