import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackFile, parseStackConfig, rawFromStackFile } from "../../config";
import { Database } from "../../components/database";
import { EksSplit } from "../../components/eks";
import { scaledObjectManifest } from "../../components/eks/keda";
import { workerNetworkPolicyManifest } from "../../components/eks/network-policy";
import { workerSecurity } from "../../components/eks/pod-spec";
import { RELEASE_LINES } from "../../contract/lines";
import { workerEgress } from "../../sizing/eks-egress";
import { workerHardening } from "../../sizing/eks-hardening";
import { Network } from "../../components/network";
import { Queue } from "../../components/queue";
import { AppSecrets } from "../../components/secrets";
import { Storage } from "../../components/storage";
import { plan as makePlan } from "../../sizing/plan";
import type { Plan } from "../../sizing/types";
import { capture, type Capture, type CapturedResource } from "../../offline/capture";
import { captureStack } from "../stack";

/**
 * Resource options as the engine would receive them (dependsOn, ignoreChanges), recorded through a
 * stack transformation, by resource name: the capture itself records inputs only.
 */
interface Recorded {
  readonly type: string;
  readonly resource: pulumi.Resource;
  readonly opts: pulumi.CustomResourceOptions;
}
class Options {
  readonly byName = new Map<string, Recorded>();
  record(): void {
    this.byName.clear();
    pulumi.runtime.registerStackTransformation((args) => {
      this.byName.set(args.name, { type: args.type, resource: args.resource, opts: args.opts as pulumi.CustomResourceOptions });
      return undefined;
    });
  }
  private nameOf(r: pulumi.Resource): string {
    for (const [name, rec] of this.byName) if (rec.resource === r) return name;
    return "?";
  }
  /** Names of the resources `name` depends on directly. */
  dependsOn(name: string): string[] {
    const d = this.byName.get(name)?.opts.dependsOn;
    return (Array.isArray(d) ? d : d ? [d] : []).map((r) => this.nameOf(r as pulumi.Resource));
  }
  ignoreChanges(name: string): string[] {
    return this.byName.get(name)?.opts.ignoreChanges ?? [];
  }
}
const options = new Options();

/** The shared tiers and EksSplit, wired the way the stack wires them. */
function program(p: Plan) {
  if (p.platform !== "eks") throw new Error("EksSplit takes an EKS plan");
  return () => {
    options.record();
    const provider = new aws.Provider("aws", { region: p.region });
    const opts = { providers: [provider] };
    const network = new Network("ap-network", { plan: p.network, region: p.region }, opts);
    const secrets = new AppSecrets("ap-secrets", { namePrefix: "activepieces/test", protect: p.protectData }, opts);
    const database = new Database(
      "ap-db",
      { plan: p.database, namePrefix: "ap", vpcId: network.vpcId, subnetIds: network.privateSubnetIds, protect: p.protectData },
      opts,
    );
    const queue = new Queue(
      "ap-redis",
      { plan: p.redis, namePrefix: "ap", vpcId: network.vpcId, subnetIds: network.privateSubnetIds, authToken: secrets.redisAuthToken },
      opts,
    );
    const storage = new Storage("ap-files", { namePrefix: "ap", region: p.region, protect: p.protectData }, opts);
    const eks = new EksSplit("ap-eks", { plan: p, network, secrets, database, queue, storage }, opts);
    return { clusterName: eks.clusterName };
  };
}

const SECRET_ARN = /^arn:aws:secretsmanager:us-east-1:123456789012:secret:[^:]+$/;
type Env = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
type Pod = { spec: { template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } };
const pod = (r: CapturedResource) => (r.inputs as unknown as Pod).spec.template.spec;
const policyOf = (cap: Capture, suffix: string) => JSON.parse(cap.one("aws:iam/rolePolicy:RolePolicy", suffix).inputs.policy as string);

describe("EksSplit (examples/eks-prod.yaml)", () => {
  let cap: Capture;
  let p: Plan;
  beforeAll(async () => {
    p = makePlan(loadStackFile("examples/eks-prod.yaml"));
    cap = await capture(program(p));
  });

  describe("cluster", () => {
    it("uses API access entries, envelope-encrypts Secrets with its KMS key, and logs every control-plane stream", () => {
      const c = cap.one("aws:eks/cluster:Cluster");
      const key = cap.one("aws:kms/key:Key", "-secrets-key");
      expect(c.inputs.accessConfig).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
      expect(c.inputs.encryptionConfig).toEqual({ resources: ["secrets"], provider: { keyArn: key.outputs.arn } });
      expect(c.inputs.enabledClusterLogTypes).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
      expect(key.inputs.enableKeyRotation).toBe(true);
      expect(c.inputs.upgradePolicy).toEqual({ supportType: "STANDARD" });
    });

    it("puts the control plane in the private subnets with a private endpoint and a CIDR-limited public one", () => {
      const c = cap.one("aws:eks/cluster:Cluster");
      expect(c.inputs.vpcConfig).toEqual({
        subnetIds: cap.one("awsx:ec2:Vpc").outputs.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: ["203.0.113.0/24"],
      });
    });

    it("builds the Kubernetes provider from the cluster outputs with an exec token, no stored credential", () => {
      const kubeconfig = JSON.parse(cap.one("pulumi:providers:kubernetes").inputs.kubeconfig as string);
      const c = cap.one("aws:eks/cluster:Cluster");
      expect(kubeconfig.clusters[0].cluster.server).toBe(c.outputs.endpoint);
      expect(kubeconfig.users[0].user).toEqual({
        exec: expect.objectContaining({ command: "aws", args: ["eks", "get-token", "--cluster-name", "ap-eks", "--region", "us-east-1"] }),
      });
    });

    it("opens Postgres and Redis to the cluster security group only", () => {
      const clusterSg = (cap.one("aws:eks/cluster:Cluster").outputs.vpcConfig as { clusterSecurityGroupId: string }).clusterSecurityGroupId;
      const rules = cap.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
      expect(rules.map((r) => [r.name, r.inputs.referencedSecurityGroupId, r.inputs.fromPort])).toEqual(
        expect.arrayContaining([
          ["ap-eks-db-from-cluster", clusterSg, 5432],
          ["ap-eks-redis-from-cluster", clusterSg, 6379],
        ]),
      );
      expect(rules.every((r) => r.inputs.cidrIpv4 === undefined)).toBe(true);
    });
  });

  describe("node groups", () => {
    it("runs system and app pods on an on-demand group without taints", () => {
      const g = cap.one("aws:eks/nodeGroup:NodeGroup", "-system-app");
      expect(g.inputs).toMatchObject({
        capacityType: "ON_DEMAND",
        instanceTypes: ["m7g.xlarge"],
        amiType: "AL2023_ARM_64_STANDARD",
        labels: { "activepieces.com/pool": "system-app" },
        scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 5 },
      });
      expect(g.inputs.taints).toEqual([]);
    });

    it("runs workers on a tainted Spot group of four instance types", () => {
      const g = cap.one("aws:eks/nodeGroup:NodeGroup", "-worker");
      expect(g.inputs).toMatchObject({
        capacityType: "SPOT",
        instanceTypes: ["c7g.large", "c6g.large", "m7g.large", "m6g.large"],
        labels: { "activepieces.com/pool": "worker" },
        scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 17 },
      });
      expect(g.inputs.taints).toEqual([{ key: "activepieces.com/pool", value: "worker", effect: "NO_SCHEDULE" }]);
    });

    it("boots nodes with IMDSv2 at hop limit 1 (pods cannot use the node role) and encrypted gp3 disks", () => {
      for (const lt of cap.ofType("aws:ec2/launchTemplate:LaunchTemplate")) {
        expect(lt.inputs.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        expect(lt.inputs.blockDeviceMappings).toEqual([
          { deviceName: "/dev/xvda", ebs: { volumeSize: 20, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
        ]);
        expect(lt.inputs.vpcSecurityGroupIds).toBeUndefined();
      }
    });
  });

  describe("workloads", () => {
    it("pins app pods to the on-demand pool and worker pods to the Spot pool", () => {
      const app = pod(cap.one("kubernetes:apps/v1:Deployment", "-app"));
      const worker = pod(cap.one("kubernetes:apps/v1:Deployment", "-worker"));
      expect(app.nodeSelector).toEqual({ "activepieces.com/pool": "system-app" });
      expect(app.tolerations).toBeUndefined();
      expect(worker.nodeSelector).toEqual({ "activepieces.com/pool": "worker" });
      expect(worker.tolerations).toEqual([{ key: "activepieces.com/pool", operator: "Equal", value: "worker", effect: "NoSchedule" }]);
    });

    it("gives workers 120 s to drain, a liveness probe only (0.83), no token mount, and requests/limits from the plan", () => {
      const worker = pod(cap.one("kubernetes:apps/v1:Deployment", "-worker"));
      expect(worker.terminationGracePeriodSeconds).toBe(120);
      expect(worker.automountServiceAccountToken).toBe(false);
      const [c] = worker.containers;
      expect(c!.resources).toEqual({ requests: { cpu: "500m", memory: "1024Mi" }, limits: { cpu: "500m", memory: "1024Mi" } });
      // 0.83's worker endpoint answers 200 whenever the process runs: liveness, never readiness.
      expect(c!.livenessProbe).toMatchObject({ httpGet: { path: "/v1/health", port: 80 } });
      expect(c!.readinessProbe).toBeUndefined();
    });

    it("points workers at the app's in-cluster Service, and the app at the public URL with the ALB's client-IP header", () => {
      const env = (name: string) =>
        Object.fromEntries(
          (pod(cap.one("kubernetes:apps/v1:Deployment", name)).containers[0]!.env as { name: string; value?: string }[]).map((e) => [e.name, e.value]),
        );
      expect(env("-worker").AP_FRONTEND_URL).toBe("http://activepieces-app.activepieces.svc.cluster.local:80");
      expect(env("-app")).toMatchObject({ AP_FRONTEND_URL: "https://flows.example.com", AP_CLIENT_REAL_IP_HEADER: "x-forwarded-for" });
      expect(env("-app").AP_POSTGRES_SSL_CA).toContain("-----BEGIN CERTIFICATE-----");
      const svc = cap.one("kubernetes:core/v1:Service", "-app-svc").inputs as { metadata: { name: string; namespace: string } };
      expect(svc.metadata).toMatchObject({ name: "activepieces-app", namespace: "activepieces" });
    });

    it("probes the app on /api/v1/health and scales it on 70% CPU", () => {
      const [c] = pod(cap.one("kubernetes:apps/v1:Deployment", "-app")).containers;
      expect(c!.readinessProbe).toMatchObject({ httpGet: { path: "/api/v1/health", port: 80 } });
      expect(c!.livenessProbe).toMatchObject({ httpGet: { path: "/api/v1/health", port: 80 } });
      expect(c!.resources).toEqual({ requests: { cpu: "1000m", memory: "2048Mi" }, limits: { cpu: "1000m", memory: "2048Mi" } });
      const hpa = cap.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec as Record<string, unknown>;
      expect(hpa).toMatchObject({
        minReplicas: 5,
        maxReplicas: 10,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      });
    });

    it("has a PodDisruptionBudget and a zone spread for each role", () => {
      const pdbs = cap
        .ofType("kubernetes:policy/v1:PodDisruptionBudget")
        .map((r) => (r.inputs.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels["app.kubernetes.io/component"]);
      expect(pdbs.sort()).toEqual(["app", "worker"]);
      for (const suffix of ["-app", "-worker"]) {
        const spread = pod(cap.one("kubernetes:apps/v1:Deployment", suffix)).topologySpreadConstraints as { topologyKey: string }[];
        expect(spread[0]!.topologyKey).toBe("topology.kubernetes.io/zone");
      }
    });

    it("exposes the app through an internet-facing HTTPS ALB Ingress with IP targets in the public subnets", () => {
      const ingress = cap.one("kubernetes:networking.k8s.io/v1:Ingress");
      const a = (ingress.inputs.metadata as { annotations: Record<string, string> }).annotations;
      expect(a).toMatchObject({
        "alb.ingress.kubernetes.io/scheme": "internet-facing",
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/healthcheck-path": "/api/v1/health",
        "alb.ingress.kubernetes.io/certificate-arn": p.loadBalancer.certificateArn,
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
        "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "alb.ingress.kubernetes.io/subnets": (cap.one("awsx:ec2:Vpc").outputs.publicSubnetIds as string[]).join(","),
      });
      expect((ingress.inputs.spec as { ingressClassName: string }).ingressClassName).toBe("alb");
    });

    it("writes ALB access logs to the stack's log bucket and keeps deletion protection on in prod", () => {
      const a = (cap.one("kubernetes:networking.k8s.io/v1:Ingress").inputs.metadata as { annotations: Record<string, string> }).annotations;
      const bucket = cap.one("aws:s3/bucket:Bucket", "-access-logs").outputs.bucket as string;
      expect(a["alb.ingress.kubernetes.io/load-balancer-attributes"]!.split(",")).toEqual([
        "routing.http.drop_invalid_header_fields.enabled=true",
        "idle_timeout.timeout_seconds=120",
        "access_logs.s3.enabled=true",
        `access_logs.s3.bucket=${bucket}`,
        "access_logs.s3.prefix=alb",
        "deletion_protection.enabled=true",
      ]);
    });
  });

  describe("secrets", () => {
    it("passes every secret as a secretKeyRef into a synced Secret, never as a value", () => {
      const env = (suffix: string) => pod(cap.one("kubernetes:apps/v1:Deployment", suffix)).containers[0]!.env as Env;
      const refs = (e: Env) => e.filter((v) => v.valueFrom).map((v) => [v.name, v.valueFrom!.secretKeyRef]);
      expect(refs(env("-app"))).toEqual([
        ["AP_ENCRYPTION_KEY", { name: "activepieces-app", key: "AP_ENCRYPTION_KEY" }],
        ["AP_JWT_SECRET", { name: "activepieces-app", key: "AP_JWT_SECRET" }],
        ["AP_REDIS_PASSWORD", { name: "activepieces-app", key: "AP_REDIS_PASSWORD" }],
        ["AP_POSTGRES_PASSWORD", { name: "activepieces-app", key: "AP_POSTGRES_PASSWORD" }],
      ]);
      expect(refs(env("-worker"))).toEqual([["AP_WORKER_TOKEN", { name: "activepieces-worker", key: "AP_WORKER_TOKEN" }]]);
      for (const e of [...env("-app"), ...env("-worker")]) {
        if (/PASSWORD|SECRET|TOKEN|_KEY$/.test(e.name)) expect(e.value).toBeUndefined();
      }
      expect(
        Object.fromEntries(
          env("-app")
            .filter((e) => e.value !== undefined)
            .map((e) => [e.name, e.value]),
        ),
      ).toMatchObject({
        AP_S3_USE_IRSA: "true",
        AP_REDIS_USE_SSL: "true",
        AP_POSTGRES_USE_SSL: "true",
      });
    });

    it("syncs those Secrets from Secrets Manager ARNs through a ClusterSecretStore limited to the app namespace", () => {
      const store = cap.one("kubernetes:external-secrets.io/v1:ClusterSecretStore");
      expect(store.inputs.spec).toEqual({
        provider: { aws: { service: "SecretsManager", region: "us-east-1" } },
        conditions: [{ namespaces: ["activepieces"] }],
      });
      const app = cap.one("kubernetes:external-secrets.io/v1:ExternalSecret", "-activepieces-app").inputs.spec as {
        data: { secretKey: string; remoteRef: { key: string; property?: string } }[];
        secretStoreRef: unknown;
      };
      expect(app.secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "aws-secrets-manager" });
      expect(app.data.map((d) => d.secretKey)).toEqual(["AP_ENCRYPTION_KEY", "AP_JWT_SECRET", "AP_REDIS_PASSWORD", "AP_POSTGRES_PASSWORD"]);
      for (const d of app.data) expect(d.remoteRef.key).toMatch(SECRET_ARN);
      expect(app.data[3]!.remoteRef.property).toBe("password");
      const redis = cap.one("kubernetes:external-secrets.io/v1:ExternalSecret", "-activepieces-redis-auth").inputs.spec as { data: unknown[] };
      expect(redis.data).toEqual([{ secretKey: "password", remoteRef: { key: app.data[2]!.remoteRef.key } }]);
    });

    it("lets External Secrets read exactly the five secrets and nothing else", () => {
      const doc = policyOf(cap, "-external-secrets-policy");
      expect(doc.Statement).toHaveLength(1);
      expect(doc.Statement[0].Action).toEqual(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
      expect(doc.Statement[0].Resource).toHaveLength(5);
      for (const arn of doc.Statement[0].Resource) expect(arn).toMatch(SECRET_ARN);
    });

    it("keeps every generated secret value out of Kubernetes, EKS and IAM resources", () => {
      const values = cap.ofType("aws:secretsmanager/secretVersion:SecretVersion").map((v) => v.inputs.secretString as string);
      expect(values).toHaveLength(4);
      const checked = cap.resources.filter((r) => /^(kubernetes:|pulumi:providers:kubernetes|aws:eks\/|aws:iam\/|activepieces:eks)/.test(r.type));
      expect(checked.length).toBeGreaterThan(30);
      for (const r of checked) {
        const text = JSON.stringify(r.inputs);
        for (const v of values) expect(text.includes(v), `${r.type} ${r.name} holds a secret value`).toBe(false);
      }
    });
  });

  describe("KEDA", () => {
    it("installs KEDA with Helm at a version the chart index has (2.21.0, not the nonexistent 2.21.1) on the on-demand pool", () => {
      const rel = cap.one("kubernetes:helm.sh/v3:Release", "-keda");
      expect(rel.inputs).toMatchObject({ chart: "keda", version: "2.21.0", namespace: "keda", repositoryOpts: { repo: "https://kedacore.github.io/charts" } });
      expect((rel.inputs.values as { nodeSelector: unknown }).nodeSelector).toEqual({ "activepieces.com/pool": "system-app" });
    });

    it("gives every KEDA pod at least the chart's default requests (100m, 100Mi) and memory limit (1000Mi)", () => {
      type Res = { requests: { cpu: string; memory: string }; limits: { memory: string } };
      const r = (cap.one("kubernetes:helm.sh/v3:Release", "-keda").inputs.values as { resources: Record<string, Res> }).resources;
      expect(Object.keys(r).sort()).toEqual(["metricServer", "operator", "webhooks"]);
      const n = (q: string) => Number.parseInt(q, 10);
      for (const res of Object.values(r)) {
        expect(n(res.requests.cpu)).toBeGreaterThanOrEqual(100);
        expect(n(res.requests.memory)).toBeGreaterThanOrEqual(100);
        expect(n(res.limits.memory)).toBeGreaterThanOrEqual(1000);
      }
    });

    it("scales the worker Deployment on waiting + running BullMQ jobs over TLS, one job per slot", () => {
      const so = cap.one("kubernetes:keda.sh/v1alpha1:ScaledObject");
      type Trigger = { type: string; name: string; metadata: Record<string, string>; authenticationRef: unknown };
      const spec = so.inputs.spec as Record<string, unknown> & { triggers: Trigger[]; advanced: Record<string, unknown> };
      expect(spec).toMatchObject({ scaleTargetRef: { kind: "Deployment", name: "activepieces-worker" }, minReplicaCount: 5, maxReplicaCount: 50 });
      const redis = cap.one("aws:elasticache/replicationGroup:ReplicationGroup").outputs.primaryEndpointAddress as string;
      // One trigger per key of queue/keys.ts BACKLOG_KEYS: KEDA reads ZCARD of the set, LLEN of the lists.
      const trigger = (name: string, listName: string): Trigger => ({
        type: "redis",
        name,
        metadata: { address: `${redis}:6379`, listName, listLength: "1", activationListLength: "0", databaseIndex: "0", enableTLS: "true" },
        authenticationRef: { name: "activepieces-redis" },
      });
      expect(spec.triggers).toEqual([
        trigger("prioritized", "bull:workerJobs:prioritized"),
        trigger("wait", "bull:workerJobs:wait"),
        trigger("active", "bull:workerJobs:active"),
      ]);
      // The HPA scales on their sum, averaged over the pods, at the worker concurrency (1 here).
      expect(spec.advanced.scalingModifiers).toEqual({
        formula: "prioritized + wait + active",
        target: "1",
        activationTarget: "0",
        metricType: "AverageValue",
      });
      expect(p.eks?.keda.listLength).toBe(1);
      expect(spec).toMatchObject({ advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } } });
    });

    it("sets the composite target to the plan's worker concurrency, and each trigger's listLength with it", () => {
      const keda = { ...p.eks!.keda, listLength: 4 };
      const m = scaledObjectManifest({ namespace: "activepieces", address: "redis.example:6379", worker: { min: 0, max: 8 }, keda }) as {
        spec: { advanced: { scalingModifiers: unknown }; triggers: { name: string; metadata: { listLength: string } }[] };
      };
      expect(m.spec.advanced.scalingModifiers).toEqual({
        formula: "prioritized + wait + active",
        target: "4",
        activationTarget: "0",
        metricType: "AverageValue",
      });
      expect(m.spec.triggers.map((t) => [t.name, t.metadata.listLength])).toEqual([
        ["prioritized", "4"],
        ["wait", "4"],
        ["active", "4"],
      ]);
    });

    it("takes the Redis password from the synced Secret", () => {
      const ta = cap.one("kubernetes:keda.sh/v1alpha1:TriggerAuthentication");
      expect(ta.inputs.spec).toEqual({ secretTargetRef: [{ parameter: "password", name: "activepieces-redis-auth", key: "password" }] });
    });

    it("registers KEDA objects that validate against the KEDA CRD schemas", async () => {
      // @kubernetes-models/keda is ESM-only; this project compiles to CommonJS.
      const { ScaledObject } = await import("@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject");
      const { TriggerAuthentication } = await import("@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication");
      const as = (type: string) => {
        const r = cap.one(type);
        return { metadata: r.inputs.metadata, spec: r.inputs.spec } as never;
      };
      expect(() => new ScaledObject(as("kubernetes:keda.sh/v1alpha1:ScaledObject")).validate()).not.toThrow();
      expect(() => new TriggerAuthentication(as("kubernetes:keda.sh/v1alpha1:TriggerAuthentication")).validate()).not.toThrow();
      const broken = new ScaledObject({
        metadata: { name: "x" },
        spec: { scaleTargetRef: { name: "w" }, minReplicaCount: "5" as unknown as number, triggers: [] },
      });
      expect(() => broken.validate()).toThrow();
    });
  });

  describe("IAM", () => {
    it("gives every pod role a Pod Identity trust and binds it to one service account", () => {
      const assoc = cap.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => [a.inputs.namespace, a.inputs.serviceAccount]);
      expect(assoc.sort()).toEqual([
        ["activepieces", "activepieces-app"],
        ["external-secrets", "external-secrets"],
        ["kube-system", "aws-load-balancer-controller"],
        ["kube-system", "cluster-autoscaler"],
      ]);
      for (const suffix of ["-app-role", "-external-secrets-role", "-lb-controller-role", "-cluster-autoscaler-role"]) {
        const trust = JSON.parse(cap.one("aws:iam/role:Role", suffix).inputs.assumeRolePolicy as string);
        expect(trust.Statement).toEqual([{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }]);
      }
    });

    it("lets the app pods use the storage policy, and gives workers no AWS role", () => {
      const attach = cap.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "-app-managed-storage");
      expect(attach.inputs.policyArn).toBe(cap.one("aws:iam/policy:Policy", "-access").outputs.arn);
      expect(cap.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").some((a) => a.inputs.serviceAccount === "activepieces-worker")).toBe(false);
    });

    it("lets Cluster Autoscaler resize only this cluster's node groups", () => {
      const doc = policyOf(cap, "-cluster-autoscaler-policy");
      expect(doc.Statement[0]).toEqual({
        Sid: "ScaleOwnGroups",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: "*",
        Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/ap-eks": "owned" } },
      });
    });

    it("lets the cluster role use only its envelope key", () => {
      const doc = policyOf(cap, "-cluster-kms");
      expect(doc.Statement[0].Resource).toBe(cap.one("aws:kms/key:Key", "-secrets-key").outputs.arn);
    });
  });
});

describe("EksSplit: what a real pulumi up / destroy needs (examples/eks-prod.yaml)", () => {
  let cap: Capture;
  let p: Plan;
  beforeAll(async () => {
    p = makePlan(loadStackFile("examples/eks-prod.yaml"));
    cap = await capture(program(p));
  });
  const release = (suffix: string) => cap.one("kubernetes:helm.sh/v3:Release", suffix);

  describe("charts and images from the dated catalogues", () => {
    it("runs the Cluster Autoscaler image of the cluster's Kubernetes minor, from the catalogue", () => {
      const c = cap.one("aws:eks/cluster:Cluster");
      expect(c.inputs.version).toBe("1.36");
      const values = release("-cluster-autoscaler").inputs.values as { image: { repository: string; tag: string } };
      expect(values.image).toEqual({ repository: "registry.k8s.io/autoscaling/cluster-autoscaler", tag: "v1.36.1" });
      expect(release("-cluster-autoscaler").inputs).toMatchObject({ chart: "cluster-autoscaler", version: "9.59.0" });
    });

    it("pins the Load Balancer Controller and External Secrets charts the catalogue lists", () => {
      expect(release("-lb-controller").inputs).toMatchObject({
        chart: "aws-load-balancer-controller",
        version: "1.13.4",
        repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
      });
      expect(release("-external-secrets").inputs).toMatchObject({
        chart: "external-secrets",
        version: "0.18.2",
        repositoryOpts: { repo: "https://charts.external-secrets.io" },
      });
    });
  });

  describe("load balancer controller", () => {
    it("turns off its Service mutating webhook (failurePolicy Fail, no LoadBalancer Service here)", () => {
      expect((release("-lb-controller").inputs.values as Record<string, unknown>).enableServiceMutatorWebhook).toBe(false);
    });

    it("installs every release that creates Services, and the app Service, after the controller", () => {
      for (const name of ["ap-eks-keda", "ap-eks-external-secrets", "ap-eks-cluster-autoscaler", "ap-eks-app-svc"]) {
        expect(options.dependsOn(name), name).toContain("ap-eks-lb-controller");
      }
    });

    it("may reorder listener rules (SetRulePriorities, as the controller's iam_policy.json v2.13.4)", () => {
      const actions = policyOf(cap, "-lb-controller-policy").Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
      expect(actions).toContain("elasticloadbalancing:SetRulePriorities");
    });

    it("keeps its role, policy and Pod Identity association until the Ingress (and so the ALB) is gone, and starts with them", () => {
      const ingress = options.dependsOn("ap-eks-app-ingress");
      expect(ingress).toEqual(
        expect.arrayContaining(["ap-eks-lb-controller", "ap-eks-lb-controller-role", "ap-eks-lb-controller-policy", "ap-eks-lb-controller-pod-identity"]),
      );
      expect(options.dependsOn("ap-eks-lb-controller")).toEqual(
        expect.arrayContaining(["ap-eks-lb-controller-role", "ap-eks-lb-controller-policy", "ap-eks-lb-controller-pod-identity"]),
      );
    });

    it("labels the app namespace for pod readiness gates", () => {
      const ns = cap.one("kubernetes:core/v1:Namespace").inputs.metadata as { labels: Record<string, string> };
      expect(ns.labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
    });
  });

  describe("app rollouts", () => {
    it("leaves spec.replicas of both Deployments to their autoscalers", () => {
      expect(options.ignoreChanges("ap-eks-app")).toContain("spec.replicas");
      expect(options.ignoreChanges("ap-eks-worker")).toContain("spec.replicas");
    });

    it("sleeps in preStop longer than the ALB deregistration delay, within a grace period that also holds the stop timeout", () => {
      const app = pod(cap.one("kubernetes:apps/v1:Deployment", "-app"));
      const c = app.containers[0] as { lifecycle: { preStop: { exec: { command: string[] } } } };
      const command = c.lifecycle.preStop.exec.command;
      expect(command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
      const sleep = Number(/^sleep (\d+)$/.exec(command[2]!)![1]);
      expect(sleep).toBe(p.loadBalancer.preStopSleepSeconds);
      expect(sleep).toBeGreaterThan(p.loadBalancer.deregistrationDelaySeconds);
      expect(app.terminationGracePeriodSeconds).toBe(p.loadBalancer.appTerminationGracePeriodSeconds);
      expect(app.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(sleep + p.app.stopTimeoutSeconds);
    });

    it("starts app pods only after their Pod Identity association exists", () => {
      expect(options.dependsOn("ap-eks-app")).toEqual(expect.arrayContaining(["ap-eks-app-pod-identity", "ap-eks-app-role"]));
    });
  });

  describe("secrets", () => {
    it("waits for every ExternalSecret to be Ready before the workloads that read it", () => {
      const es = cap.ofType("kubernetes:external-secrets.io/v1:ExternalSecret");
      expect(es).toHaveLength(3);
      for (const e of es) {
        expect((e.inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/waitFor"]).toBe("condition=Ready");
      }
      for (const d of ["ap-eks-app", "ap-eks-worker"]) {
        expect(options.dependsOn(d)).toEqual(expect.arrayContaining(["ap-eks-activepieces-app", "ap-eks-activepieces-worker"]));
      }
    });
  });

  describe("worker isolation", () => {
    it("runs workers with RuntimeDefault seccomp, no capabilities but NET_BIND_SERVICE, no escalation, a read-only root and writable emptyDirs", () => {
      const w = pod(cap.one("kubernetes:apps/v1:Deployment", "-worker"));
      expect(w.securityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
      expect(w.automountServiceAccountToken).toBe(false);
      const c = w.containers[0] as { securityContext: Record<string, unknown>; volumeMounts: { name: string; mountPath: string }[] };
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
        readOnlyRootFilesystem: true,
      });
      expect(c.securityContext.runAsNonRoot).toBeUndefined();
      expect(c.volumeMounts.map((m) => m.mountPath).sort()).toEqual(["/root", "/tmp", "/usr/src/app/cache"]);
      expect(w.volumes).toEqual(c.volumeMounts.map((m) => ({ name: m.name, emptyDir: {} })));
    });

    it("keeps the privileged exception for SANDBOX_PROCESS modes, and a writable root on 0.79 (nginx)", () => {
      const hardening = workerHardening("0.82");
      expect(workerSecurity(hardening, true)).toEqual({ securityContext: { privileged: true }, volumes: [], volumeMounts: [] });
      const v079 = workerSecurity(workerHardening("0.79"), false);
      expect(v079.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: false });
      expect(v079.volumes).toEqual([]);
    });

    it("confines worker pods with a NetworkPolicy rendered from the 0.83 contract: the app, DNS, the internet; no ingress", () => {
      const np = cap.one("kubernetes:networking.k8s.io/v1:NetworkPolicy");
      const spec = np.inputs.spec as Record<string, unknown>;
      const vpcCidr = "10.0.0.0/16";
      expect(spec).toEqual({
        podSelector: { matchLabels: { "app.kubernetes.io/name": "activepieces", "app.kubernetes.io/component": "worker" } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [],
        egress: [
          {
            to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "activepieces", "app.kubernetes.io/component": "app" } } }],
            ports: [{ protocol: "TCP", port: 80 }],
          },
          {
            to: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
            ],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [vpcCidr, "169.254.169.254/32"] } }] },
        ],
      });
    });

    it("lets 0.79 workers (BullMQ consumers) reach Redis in the VPC on 6379, and nothing else in the VPC", () => {
      const line079 = RELEASE_LINES.find((l) => l.line === "0.79")!;
      const m = workerNetworkPolicyManifest({
        namespace: "activepieces",
        workerLabels: { w: "1" },
        appLabels: { a: "1" },
        vpcCidr: "10.0.0.0/16",
        instanceMetadataCidr: "169.254.169.254/32",
        egress: workerEgress(line079.roles.worker.connects),
      }) as { spec: { egress: { to: { ipBlock?: { cidr: string } }[]; ports?: { port: number }[] }[] } };
      const toVpc = m.spec.egress.filter((e) => e.to.some((t) => t.ipBlock?.cidr === "10.0.0.0/16"));
      expect(toVpc).toEqual([{ to: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [{ protocol: "TCP", port: 6379 }] }]);
    });

    it("enables network policy enforcement in the VPC CNI add-on", () => {
      const cni = cap.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni")!;
      expect(JSON.parse(cni.inputs.configurationValues as string)).toEqual({ enableNetworkPolicy: "true" });
    });
  });
});

describe("EksSplit data-tier alarms", () => {
  it("alarms on the database and Redis through one encrypted SNS topic, nothing ECS-specific", async () => {
    const cap = await captureStack(makePlan(parseStackConfig(rawFromStackFile("examples/eks-prod.yaml"), "examples/eks-prod.yaml")));
    const alarms = cap.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    // The Redis alarm is metric math over every member (no namespace of its own).
    expect(alarms.map((a) => a.inputs.namespace ?? "metric math").sort()).toEqual(["AWS/RDS", "AWS/RDS", "AWS/RDS", "metric math"]);
    // Not the AWS-managed alias/aws/sns, which CloudWatch cannot use to deliver alarm notifications.
    expect(cap.one("aws:sns/topic:Topic").inputs.kmsMasterKeyId).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    // Every member, not -001, which stops being the primary after a failover.
    const redis = alarms.find((a) => a.inputs.metricQueries !== undefined)!;
    const members = cap.one("aws:elasticache/replicationGroup:ReplicationGroup").outputs.memberClusters as string[];
    const queries = redis.inputs.metricQueries as { metric?: { dimensions: { CacheClusterId: string } }; expression?: string }[];
    expect(queries.flatMap((q) => (q.metric ? [q.metric.dimensions.CacheClusterId] : []))).toEqual(members);
    expect(members.length).toBe(2);
    const body = JSON.parse(cap.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
    expect(body.widgets.map((w: { properties: { title: string } }) => w.properties.title)).toEqual(["Database", "Redis"]);
  });
});
