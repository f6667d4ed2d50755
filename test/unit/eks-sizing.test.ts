import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStackConfig, rawFromStackFile } from "../../config";
import { INSTANCE_TYPE_NAMES, instanceSpec } from "../../catalog/ec2-instances";
import { defaultInstanceTypes, type EksSettings } from "../../config/eks-settings";
import { eksPlanOf, planEks } from "../../sizing/eks";
import {
  DAEMONSET_OVERHEAD,
  allocatable,
  fits,
  kubeReservedCpuMillis,
  kubeReservedMemoryMiB,
  maxPods,
  millicores,
  podRequest,
  podsPerNode,
  poolNode,
  systemAppNodes,
  systemPod,
} from "../../catalog/eks-nodes";
import { RELEASE_LINES } from "../../contract/lines";
import { plan } from "../../sizing/plan";

const prodEks = (peak: number, extra: Record<string, unknown> = {}) =>
  plan(parseStackConfig({ ...rawFromStackFile("Pulumi.prod.yaml"), platform: "eks", peakConcurrentFlows: peak, ...extra }, "test"));

describe("node capacity (EKS AMI formulas)", () => {
  it.each([
    ["t4g.medium", 17],
    ["m7g.large", 29],
    ["c6g.large", 29],
    ["m7g.xlarge", 58],
    ["c7g.2xlarge", 58],
    ["m6i.4xlarge", 234],
  ])("%s runs at most %i pods: ENIs x (IPv4 per ENI - 1) + 2", (type, pods) => {
    expect(maxPods(instanceSpec(type))).toBe(pods);
  });

  it.each([
    [1, 60],
    [2, 70],
    [4, 80],
    [8, 90],
    [16, 110],
  ])("reserves %i vCPU -> %i millicores for kubelet", (vcpu, millis) => {
    expect(kubeReservedCpuMillis(vcpu)).toBe(millis);
  });

  it("reserves 255 MiB + 11 MiB per pod of memory", () => {
    expect(kubeReservedMemoryMiB(29)).toBe(574);
  });

  it("gives c7g.large 1930m CPU and 3114 MiB allocatable (4 GiB less 7.5% VM overhead, kube-reserved, eviction)", () => {
    expect(allocatable(instanceSpec("c7g.large"))).toEqual({ cpuMillis: 1930, memoryMiB: 3114, pods: 29 });
  });

  it("counts aws-node, kube-proxy and the Pod Identity agent on every node", () => {
    expect(DAEMONSET_OVERHEAD).toEqual({ cpuMillis: 125, memoryMiB: 0, pods: 3 });
  });

  it("sizes a mixed Spot pool by its smallest type", () => {
    expect(poolNode(["c7g.large", "m7g.large"])).toEqual(poolNode(["c7g.large"]));
  });
});

describe("pods per node", () => {
  it.each([
    [["c7g.large", "c6g.large", "m7g.large", "m6g.large"], { cpu: 512, memory: 1024 }, 3],
    [["m7g.xlarge"], { cpu: 512, memory: 1024 }, 7],
    [["c7g.xlarge"], { cpu: 512, memory: 1024 }, 6],
    [["m7g.xlarge"], { cpu: 1024, memory: 2048 }, 3],
    [["c7g.large"], { cpu: 2048, memory: 4096 }, 0],
  ])("%j holds %j x n", (types, size, n) => {
    expect(podsPerNode(types, podRequest(size))).toBe(n);
  });
});

describe("node groups of the prod config on EKS", () => {
  it.each([
    // peak, app pods min/max, app nodes min/desired/max, worker nodes min/max
    [10, [2, 4], [2, 2, 3], [4, 4]],
    [50, [5, 10], [2, 2, 5], [17, 17]],
    [200, [20, 40], [7, 7, 15], [67, 67]],
  ])("at %i peak flows", (peak, app, appNodes, workerNodes) => {
    const p = prodEks(peak);
    const e = p.eks!;
    expect([p.app.min, p.app.max]).toEqual(app);
    expect([e.appPool.minNodes, e.appPool.desiredNodes, e.appPool.maxNodes]).toEqual(appNodes);
    expect([e.workerPool.minNodes, e.workerPool.maxNodes]).toEqual(workerNodes);
    expect(e.appPool).toMatchObject({
      capacityType: "ON_DEMAND",
      instanceTypes: ["m7g.xlarge"],
      labels: { "activepieces.com/pool": "system-app" },
      taints: [],
    });
    expect(e.workerPool).toMatchObject({
      capacityType: "SPOT",
      instanceTypes: ["c7g.large", "c6g.large", "m7g.large", "m6g.large"],
      labels: { "activepieces.com/pool": "worker" },
      taints: [{ key: "activepieces.com/pool", value: "worker", effect: "NO_SCHEDULE" }],
    });
  });

  it("scales the worker pool from its queue minimum to its maximum", () => {
    const e = prodEks(50, { worker: { scaling: { mode: "queue", min: 0, max: 30 } } }).eks!;
    expect([e.workerPool.minNodes, e.workerPool.desiredNodes, e.workerPool.maxNodes]).toEqual([0, 0, 10]);
  });

  it("sets plan.eks only for platform eks, and sizes a Fargate plan with the default EKS settings", () => {
    const fargate = plan(parseStackConfig(rawFromStackFile("Pulumi.prod.yaml"), "test"));
    expect(fargate.eks).toBeUndefined();
    expect(eksPlanOf(fargate)).toEqual(prodEks(50).eks);
  });

  it("drains an app pod for longer than the ALB deregistration delay, inside a grace period that holds the stop timeout", () => {
    const p = prodEks(50);
    expect(p.loadBalancer).toMatchObject({ deregistrationDelaySeconds: 30, preStopSleepSeconds: 35, appTerminationGracePeriodSeconds: 65 });
    expect(p.loadBalancer.appTerminationGracePeriodSeconds).toBe(p.loadBalancer.preStopSleepSeconds + p.app.stopTimeoutSeconds);
  });

  it("counts KEDA's pods at no less than the chart's default requests", () => {
    for (const name of ["keda-operator", "keda-metrics-apiserver", "keda-admission-webhooks"]) {
      const pod = systemPod(name);
      expect(pod.cpuMillis, name).toBeGreaterThanOrEqual(100);
      expect(pod.memoryMiB, name).toBeGreaterThanOrEqual(100);
      expect(pod.limitMemoryMiB, name).toBe(1000);
    }
  });

  it("uses x86 defaults for x86_64 stacks", () => {
    expect(prodEks(10, { architecture: "x86_64" }).eks!.workerPool.instanceTypes).toEqual(["c7i.large", "c6i.large", "m7i.large", "m6i.large"]);
  });
});

const settings = (app: string[], worker: string[]): EksSettings => ({
  kubernetesVersion: "1.36",
  extendedSupport: false,
  appInstanceTypes: app,
  workerInstanceTypes: worker,
  nodeDiskGb: 20,
  endpointAccess: "private",
  publicAccessCidrs: [],
  adminRoleArns: [],
  scaleDownUnneededMinutes: 10,
  autoscalerExpander: "least-waste",
  kedaVersion: "2.21.0",
  pollingIntervalSeconds: 15,
  scaleDownStabilizationSeconds: 300,
});
const role = (cpu: number, memory: number, min: number, max: number) =>
  ({
    role: "app",
    containerType: "APP",
    cpu,
    memory,
    desired: min,
    min,
    max,
    cpuMillicores: millicores(cpu),
    nodeHeapMb: 0,
    capacity: [],
    stopTimeoutSeconds: 60,
    dbPoolSize: 0,
    memoryBudget: { totalMiB: memory, sidecarMiB: 0, overheadMiB: 0, nodeHeapMb: 0, engineHeapMb: 0, engines: 0 },
    health: { path: "/", port: 80, meaning: "liveness" },
  }) as const;
const sizes = fc.record({ cpu: fc.integer({ min: 128, max: 4096 }), memory: fc.integer({ min: 256, max: 8192 }) });

describe("properties", () => {
  it("what a node is said to hold fits in what it offers", () => {
    fc.assert(
      fc.property(fc.constantFrom(...INSTANCE_TYPE_NAMES), sizes, (type, size) => {
        const pod = podRequest(size);
        const n = podsPerNode([type], pod);
        const free = poolNode([type]);
        expect(n * pod.cpuMillis).toBeLessThanOrEqual(free.cpuMillis);
        expect(n * pod.memoryMiB).toBeLessThanOrEqual(free.memoryMiB);
        expect(fits({ cpuMillis: free.cpuMillis - n * pod.cpuMillis, memoryMiB: free.memoryMiB - n * pod.memoryMiB, pods: free.pods - n }, pod)).toBe(0);
      }),
    );
  });

  it("the default types always hold one app and one worker pod", () => {
    fc.assert(
      fc.property(fc.constantFrom("arm64", "x86_64" as const), sizes, sizes, (arch, app, worker) => {
        const types = defaultInstanceTypes(arch, podRequest(app), podRequest(worker));
        expect(podsPerNode(types.app, podRequest(app))).toBeGreaterThanOrEqual(1);
        expect(podsPerNode(types.worker, podRequest(worker))).toBeGreaterThanOrEqual(1);
        expect(types.worker.length).toBeGreaterThanOrEqual(2);
        for (const t of [...types.app, ...types.worker]) expect(instanceSpec(t).architecture).toBe(arch);
      }),
    );
  });

  it("more load never needs fewer nodes, and the nodes always hold the pods", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 100 }), (workers, apps, extra) => {
        const s = settings(["m7g.xlarge"], ["c7g.large", "m7g.large"]);
        const core = (w: number, a: number) => ({
          environment: "prod" as const,
          workerConcurrency: 1,
          executionMode: "SANDBOX_CODE_ONLY",
          app: role(1024, 2048, a, a * 2),
          worker: { ...role(512, 1024, w, w), role: "worker" as const },
          release: { contract: RELEASE_LINES.at(-1)! },
        });
        const small = planEks(s, core(workers, apps));
        const big = planEks(s, core(workers + extra, apps + extra));
        expect(big.workerPool.maxNodes).toBeGreaterThanOrEqual(small.workerPool.maxNodes);
        expect(big.appPool.minNodes).toBeGreaterThanOrEqual(small.appPool.minNodes);
        expect(small.workerPool.maxNodes * small.workerPool.podsPerNode).toBeGreaterThanOrEqual(workers);
        expect(small.appPool.minNodes * small.appPool.podsPerNode).toBeGreaterThanOrEqual(apps);
        expect(systemAppNodes(s.appInstanceTypes, podRequest({ cpu: 1024, memory: 2048 }), apps)).toBeLessThanOrEqual(small.appPool.minNodes);
      }),
    );
  });
});
