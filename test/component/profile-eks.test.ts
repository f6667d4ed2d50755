import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Network } from "../../components/network";
import { EksProfile } from "../../components/profile/eks";
import { ingressPath, roleNetworkPolicySpec } from "../../components/profile/eks-network";
import { Queue } from "../../components/queue";
import { Storage } from "../../components/storage";
import { POOL_LABEL } from "../../sizing/eks-pools";
import type { WorkloadPlan } from "../../sizing/profile-types";
import { capture, type Capture, type CapturedResource } from "../../offline/capture";
import { AUTH_SECRET_ARN, MONGO_SECRET_ARN, withRole } from "../fixtures/profile-plans";
import { INSTANT_QUERY, PROMETHEUS_SERVER, REDIS_AUTH_SECRET_ARN, membraneEksPlan } from "../fixtures/profile-plans-eks";

/** The data tier and EksProfile, wired as stack-profile.ts wires them. */
function program(p: WorkloadPlan) {
  return () => {
    const provider = new aws.Provider("aws", { region: p.region });
    const opts = { providers: [provider] };
    const prefix = "membrane-prod";
    const network = new Network(`${prefix}-network`, { plan: p.network, region: p.region }, opts);
    const tier = { vpcId: network.vpcId, subnetIds: network.privateSubnetIds };
    const queue = new Queue(`${prefix}-redis`, { plan: p.data.redis!, namePrefix: prefix, ...tier, authToken: pulumi.secret("test-token") }, opts);
    const buckets = Object.fromEntries(
      p.data.buckets.map((key) => [key, new Storage(`${prefix}-${key}`, { namePrefix: `${prefix}-${key}`, region: p.region, protect: false }, opts)]),
    );
    const eks = new EksProfile(prefix, { plan: p, network, queue, redisAuthSecretArn: REDIS_AUTH_SECRET_ARN, buckets }, opts);
    return { ...eks.outputs };
  };
}

type Container = { name: string; env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[] } & Record<
  string,
  unknown
>;
type PodSpec = Record<string, unknown> & { containers: Container[] };
const deployment = (cap: Capture, role: string) => cap.ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === `membrane-prod-${role}`)!;
const podOf = (d: CapturedResource) => (d.inputs as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
const byMetaName = (cap: Capture, type: string, name: string) => cap.ofType(type).filter((r) => (r.inputs.metadata as { name: string }).name === name);
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const SCALED = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const SERVICE = "kubernetes:core/v1:Service";
const netpol = (cap: Capture, role: string) => byMetaName(cap, NETPOL, role)[0]!.inputs.spec as { ingress: unknown[]; egress: unknown[] };
const labels = (role: string) => ({ "app.kubernetes.io/name": "membrane", "app.kubernetes.io/component": role });

describe("EksProfile (Membrane-shaped plan on EKS)", () => {
  let cap: Capture;
  let plan: WorkloadPlan;
  beforeAll(async () => {
    plan = membraneEksPlan();
    cap = await capture(program(plan));
  });

  it("builds the EksSplit platform: cluster, both node groups, autoscaler, LB controller, KEDA and External Secrets", () => {
    expect(cap.ofType("aws:eks/cluster:Cluster")).toHaveLength(1);
    const groups = cap.ofType("aws:eks/nodeGroup:NodeGroup");
    expect(groups.map((g) => [g.inputs.capacityType, g.inputs.labels, g.inputs.taints])).toEqual([
      ["ON_DEMAND", { [POOL_LABEL]: "system-app" }, []],
      ["SPOT", { [POOL_LABEL]: "worker" }, [{ key: POOL_LABEL, value: "worker", effect: "NO_SCHEDULE" }]],
    ]);
    const charts = cap.ofType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart);
    expect(charts.sort()).toEqual(["aws-load-balancer-controller", "cluster-autoscaler", "external-secrets", "keda"]);
    const store = cap.one("kubernetes:external-secrets.io/v1:ClusterSecretStore").inputs.spec as { conditions: unknown };
    expect(store.conditions).toEqual([{ namespaces: ["membrane"] }]);
  });

  describe("custom-code-runner (internal, reached from api and queued-worker only)", () => {
    it("has no Ingress rule but a ClusterIP Service on its port", () => {
      const ingress = cap.one("kubernetes:networking.k8s.io/v1:Ingress").inputs.spec as {
        rules: { http: { paths: { backend: { service: { name: string } } }[] } }[];
      };
      const backends = ingress.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service.name));
      expect(backends).not.toContain("custom-code-runner");
      const svc = byMetaName(cap, SERVICE, "custom-code-runner");
      expect(svc).toHaveLength(1);
      expect(svc[0]!.inputs.spec).toEqual({
        type: "ClusterIP",
        selector: labels("custom-code-runner"),
        ports: [{ name: "http", port: 8080, targetPort: 8080 }],
      });
    });

    it("admits only api and queued-worker pods, on its port", () => {
      expect(netpol(cap, "custom-code-runner").ingress).toEqual([
        {
          from: [{ podSelector: { matchLabels: labels("api") } }, { podSelector: { matchLabels: labels("queued-worker") } }],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ]);
      const spec = byMetaName(cap, NETPOL, "custom-code-runner")[0]!.inputs.spec as { podSelector: unknown; policyTypes: string[] };
      expect(spec.podSelector).toEqual({ matchLabels: labels("custom-code-runner") });
      expect(spec.policyTypes).toEqual(["Ingress", "Egress"]);
    });

    it("follows the edges: a caller dropped from the plan is no longer admitted", () => {
      const p = withRole(plan, "queued-worker", { connects: plan.roles.find((r) => r.name === "queued-worker")!.connects.filter((e) => e.target !== "role") });
      const spec = roleNetworkPolicySpec(
        p,
        p.roles.find((r) => r.name === "custom-code-runner")!,
        { vpcCidr: "10.40.0.0/16", instanceMetadataCidr: "169.254.169.254/32" },
      );
      expect(spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: labels("api") } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
    });

    it("is reached by its callers' egress on its port", () => {
      for (const caller of ["api", "queued-worker"]) {
        expect(netpol(cap, caller).egress).toContainEqual({
          to: [{ podSelector: { matchLabels: labels("custom-code-runner") } }],
          ports: [{ protocol: "TCP", port: 8080 }],
        });
      }
      expect(JSON.stringify(netpol(cap, "instant-worker").egress)).not.toContain("custom-code-runner");
    });
  });

  it("gives internal roles nobody calls no Service and no ingress at all", () => {
    expect(byMetaName(cap, SERVICE, "orchestrator")).toHaveLength(0);
    expect(byMetaName(cap, SERVICE, "queued-worker")).toHaveLength(0);
    expect(netpol(cap, "orchestrator").ingress).toEqual([]);
  });

  describe("public roles", () => {
    it("share one ALB Ingress with a rule per role (host and path), in listener-priority order", () => {
      const ingresses = cap.ofType("kubernetes:networking.k8s.io/v1:Ingress");
      expect(ingresses).toHaveLength(1);
      const spec = ingresses[0]!.inputs.spec as Record<string, unknown>;
      expect(spec.ingressClassName).toBe("alb");
      const backend = (name: string, port: number) => ({ service: { name, port: { number: port } } });
      expect(spec.rules).toEqual([
        { host: "ui.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: backend("ui", 3000) }] } },
        { host: "console.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: backend("console", 3001) }] } },
        { http: { paths: [{ path: "/", pathType: "Prefix", backend: backend("api", 5000) }] } },
      ]);
    });

    it("carries the shared endpoint settings and the group name", () => {
      const a = (cap.one("kubernetes:networking.k8s.io/v1:Ingress").inputs.metadata as { annotations: Record<string, string> }).annotations;
      expect(a["alb.ingress.kubernetes.io/group.name"]).toBe("membrane");
      expect(a["alb.ingress.kubernetes.io/target-type"]).toBe("ip");
      expect(a["alb.ingress.kubernetes.io/certificate-arn"]).toBe(plan.loadBalancer.certificateArn);
      expect(a["alb.ingress.kubernetes.io/healthcheck-interval-seconds"]).toBe("15");
    });

    it("have a Service each, with their own ALB health path, and admit the load balancer (VPC CIDR) on their port", () => {
      for (const [role, port, path] of [
        ["api", 5000, "/health"],
        ["ui", 3000, "/"],
        ["console", 3001, "/"],
      ] as const) {
        const svc = byMetaName(cap, SERVICE, role)[0]!.inputs.metadata as { annotations: Record<string, string> };
        expect(svc.annotations["alb.ingress.kubernetes.io/healthcheck-path"]).toBe(path);
        const ingress = netpol(cap, role).ingress as { from: Record<string, unknown>[]; ports: unknown }[];
        expect(ingress[0]!.from[0]).toEqual({ ipBlock: { cidr: "10.40.0.0/16" } });
        expect(ingress[0]!.ports).toEqual([{ protocol: "TCP", port }]);
      }
    });

    it("drain before stopping: a preStop sleep without a shell and a grace period covering it", () => {
      const api = podOf(deployment(cap, "api"));
      expect(api.containers[0]!.lifecycle).toEqual({ preStop: { sleep: { seconds: 35 } } });
      expect(api.terminationGracePeriodSeconds).toBe(35 + 30);
      expect(podOf(deployment(cap, "orchestrator")).containers[0]!.lifecycle).toBeUndefined();
    });
  });

  it("maps exposure paths to Ingress paths", () => {
    expect(ingressPath("/")).toEqual({ path: "/", pathType: "Prefix" });
    expect(ingressPath("/api/*")).toEqual({ path: "/api", pathType: "Prefix" });
    expect(ingressPath("/a/*/b")).toEqual({ path: "/a/*/b", pathType: "ImplementationSpecific" });
  });

  it("runs spot roles on the Spot pool (label and taint toleration), on-demand roles on the on-demand pool only", () => {
    for (const role of plan.roles) {
      const spec = podOf(deployment(cap, role.name));
      if (role.capacity === "spot") {
        expect(spec.nodeSelector).toEqual({ [POOL_LABEL]: "worker" });
        expect(spec.tolerations).toEqual([{ key: POOL_LABEL, operator: "Equal", value: "worker", effect: "NoSchedule" }]);
      } else {
        expect(spec.nodeSelector).toEqual({ [POOL_LABEL]: "system-app" });
        expect(spec.tolerations).toBeUndefined();
      }
    }
    expect(plan.roles.filter((r) => r.capacity === "spot").map((r) => r.name)).toEqual(["instant-worker", "queued-worker"]);
  });

  it("sizes each container from the plan and probes its health endpoint as the plan means it", () => {
    const api = podOf(deployment(cap, "api")).containers[0]!;
    expect(api.resources).toEqual({ requests: { cpu: "500m", memory: "1024Mi" }, limits: { cpu: "500m", memory: "1024Mi" } });
    expect(api.readinessProbe).toMatchObject({ httpGet: { path: "/health", port: 5000 } });
    const ui = podOf(deployment(cap, "ui")).containers[0]!;
    expect(ui.readinessProbe).toBeUndefined();
    expect(ui.livenessProbe).toMatchObject({ httpGet: { path: "/", port: 3000 } });
  });

  describe("scaling", () => {
    const scaler = (role: string) =>
      byMetaName(cap, SCALED, role)[0]?.inputs.spec as { minReplicaCount: number; maxReplicaCount: number; triggers: Record<string, unknown>[] } | undefined;

    it("scales the prometheus role with a KEDA prometheus trigger and marks its pods for scraping", () => {
      const so = scaler("instant-worker")!;
      expect(so.triggers).toEqual([
        { type: "prometheus", name: "prometheus", metadata: { serverAddress: PROMETHEUS_SERVER, query: INSTANT_QUERY, threshold: "25" } },
      ]);
      expect([so.minReplicaCount, so.maxReplicaCount]).toEqual([2, 6]);
      const tpl = (deployment(cap, "instant-worker").inputs as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec.template;
      expect(tpl.metadata.annotations).toEqual({ "prometheus.io/scrape": "true", "prometheus.io/path": "/metrics", "prometheus.io/port": "9464" });
      expect(netpol(cap, "instant-worker").ingress).toEqual([{ from: [{ namespaceSelector: {} }], ports: [{ protocol: "TCP", port: 9464 }] }]);
    });

    it("scales the queue role with a KEDA redis trigger over TLS, authenticated from the synced AUTH secret", () => {
      const so = scaler("queued-worker")!;
      expect(so.triggers).toHaveLength(1);
      expect(so.triggers[0]).toMatchObject({
        type: "redis",
        metadata: { listName: "bull:queued-tasks:wait", listLength: "5", enableTLS: "true" },
        authenticationRef: { name: "redis" },
      });
      expect((so.triggers[0]!.metadata as { address: string }).address).toMatch(/:6379$/);
      expect([so.minReplicaCount, so.maxReplicaCount]).toEqual([1, 20]);
      const ta = cap.one("kubernetes:keda.sh/v1alpha1:TriggerAuthentication").inputs;
      expect(ta.spec).toEqual({ secretTargetRef: [{ parameter: "password", name: "redis-auth", key: "password" }] });
      const es = byMetaName(cap, EXTERNAL_SECRET, "redis-auth")[0]!.inputs.spec as { data: unknown };
      expect(es.data).toEqual([{ secretKey: "password", remoteRef: { key: REDIS_AUTH_SECRET_ARN } }]);
    });

    it("scales cpu and requests-or-cpu roles with a CPU HPA, and leaves static roles at their desired count", () => {
      const hpas = cap.ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => (h.inputs.metadata as { name: string }).name);
      expect(hpas.sort()).toEqual(["api", "custom-code-runner", "ui"]);
      const api = byMetaName(cap, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "api")[0]!.inputs.spec as Record<string, unknown>;
      expect(api.metrics).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }]);
      expect([api.minReplicas, api.maxReplicas]).toEqual([2, 6]);
      expect(
        cap
          .ofType(SCALED)
          .map((s) => (s.inputs.metadata as { name: string }).name)
          .sort(),
      ).toEqual(["instant-worker", "queued-worker"]);
      const console = deployment(cap, "console");
      expect((console.inputs.spec as { replicas: number }).replicas).toBe(1);
      expect(console.options.ignoreChanges).toEqual([]);
      expect(deployment(cap, "api").options.ignoreChanges).toEqual(["spec.replicas"]);
    });
  });

  describe("secrets", () => {
    it("syncs exactly each role's declared secrets, and only for roles that declare them", () => {
      const names = cap.ofType(EXTERNAL_SECRET).map((e) => (e.inputs.metadata as { name: string }).name);
      expect(names.sort()).toEqual(["api-secrets", "instant-worker-secrets", "orchestrator-secrets", "queued-worker-secrets", "redis-auth"]);
      const api = byMetaName(cap, EXTERNAL_SECRET, "api-secrets")[0]!.inputs.spec as { data: unknown };
      expect(api.data).toEqual([
        { secretKey: "MONGO_URI", remoteRef: { key: MONGO_SECRET_ARN } },
        { secretKey: "AUTH_SECRET", remoteRef: { key: AUTH_SECRET_ARN, property: "secret" } },
        // The Redis AUTH token of a role that connects to Redis, by reference (components/profile/wiring.ts).
        { secretKey: "REDIS_PASSWORD", remoteRef: { key: REDIS_AUTH_SECRET_ARN } },
      ]);
    });

    it("wires the data tier and called roles the same way as on Fargate", () => {
      const env = podOf(deployment(cap, "api")).containers[0]!.env;
      expect(env).toContainEqual({ name: "REDIS_TLS", value: "true" });
      expect(env).toContainEqual({ name: "CUSTOM_CODE_RUNNER_URL", value: expect.stringMatching(/^http:\/\/custom-code-runner:\d+$/) });
      expect(podOf(deployment(cap, "ui")).containers[0]!.env.map((e) => e.name)).not.toContain("REDIS_HOST");
    });

    it("gives containers secretKeyRef variables for their own secrets only", () => {
      const refs = (role: string) => podOf(deployment(cap, role)).containers[0]!.env.filter((e) => e.valueFrom);
      expect(refs("api")).toEqual([
        { name: "MONGO_URI", valueFrom: { secretKeyRef: { name: "api-secrets", key: "MONGO_URI" } } },
        { name: "AUTH_SECRET", valueFrom: { secretKeyRef: { name: "api-secrets", key: "AUTH_SECRET" } } },
        { name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "api-secrets", key: "REDIS_PASSWORD" } } },
      ]);
      for (const role of ["ui", "console", "custom-code-runner"]) expect(refs(role)).toEqual([]);
      expect(podOf(deployment(cap, "api")).containers[0]!.env).toContainEqual({ name: "IS_API", value: "1" });
      // `${...}` references resolve to the stack's endpoints, as on Fargate (components/profile/wiring.ts).
      const env = podOf(deployment(cap, "api")).containers[0]!.env;
      expect(env).toContainEqual({ name: "CODE_RUNNER", value: "http://custom-code-runner:8080/run" });
      expect(env.find((e) => e.name === "TMP_STORAGE_BUCKET")?.value).toMatch(/tmp/);
    });
  });

  describe("pod identity", () => {
    const attachedTo = (role: string) =>
      cap
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.name.startsWith(`membrane-prod-${role}-managed-`))
        .map((a) => a.name.slice(`membrane-prod-${role}-managed-`.length))
        .sort();

    it("binds a role only to roles that connect to buckets, with access to exactly those buckets", () => {
      const assoc = cap.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").filter((a) => a.inputs.namespace === "membrane");
      expect(assoc.map((a) => a.inputs.serviceAccount).sort()).toEqual(["api", "instant-worker", "queued-worker"]);
      expect(attachedTo("api")).toEqual(["connectors", "static", "tmp"]);
      expect(attachedTo("instant-worker")).toEqual(["connectors", "tmp"]);
      const arn = (role: string, bucket: string) =>
        cap.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").find((a) => a.name === `membrane-prod-${role}-managed-${bucket}`)!.inputs.policyArn;
      expect(arn("instant-worker", "tmp")).toBe(cap.ofType("aws:iam/policy:Policy").find((p) => p.name.startsWith("membrane-prod-tmp"))!.outputs.arn);
    });

    it("gives roles without AWS access no service account token", () => {
      const sa = (role: string) => byMetaName(cap, "kubernetes:core/v1:ServiceAccount", role)[0]!.inputs;
      expect(sa("ui").automountServiceAccountToken).toBe(false);
      expect(sa("api").automountServiceAccountToken).toBeUndefined();
      expect(podOf(deployment(cap, "custom-code-runner")).automountServiceAccountToken).toBe(false);
    });
  });

  it("renders egress from the role's edges: Redis in the VPC, S3 over HTTPS with the Pod Identity agent, DNS; nothing for a role without edges", () => {
    const q = netpol(cap, "queued-worker").egress as { to: { ipBlock?: { cidr: string } }[]; ports?: { port: number }[] }[];
    expect(q).toContainEqual(expect.objectContaining({ ports: [{ protocol: "TCP", port: 6379 }] }));
    expect(q).toContainEqual({ to: [{ ipBlock: { cidr: "169.254.170.23/32" } }], ports: [{ protocol: "TCP", port: 80 }] });
    const ccr = netpol(cap, "custom-code-runner").egress as { to: unknown[] }[];
    expect(ccr).toHaveLength(1);
    expect(JSON.stringify(ccr[0])).toContain("kube-dns");
  });
});
