import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DNS_PORT, type EgressRule } from "../../sizing/eks";
import type { ProfileEksPlan, ProfileRolePlan, WorkloadPlan } from "../../sizing/profile-types";
import { createAccessLogBucket } from "../alb-logs";
import { loadBalancerUrl } from "../app-endpoint";
import { AFTER_NODES, BEFORE_NODES, createAddons } from "../eks/addons";
import { createClusterAutoscaler } from "../eks/autoscaler";
import { createCluster } from "../eks/cluster";
import { ingressAnnotations } from "../eks/ingress";
import { createKeda, redisListTrigger, triggerAuthenticationManifest } from "../eks/keda";
import { createLbController } from "../eks/lb-controller";
import { ROLE_LABEL } from "../eks/names";
import { CLUSTER_DNS_PEER, egressRuleManifest, type PeerContext } from "../eks/network-policy";
import { createNodeGroups } from "../eks/nodegroups";
import { createPodRole, type PodRole } from "../eks/pod-identity";
import { createSecretsSync } from "../eks/secrets-sync";
import { podResources, poolPlacement, probes, secretEnv, spread } from "../eks/workloads";
import type { PlatformOutputs } from "../platform";
import type { ProfilePlatformArgs } from "./args";
import { profileWiring } from "./wiring";

/**
 * A workload profile on EKS (sizing/profile-types.ts WorkloadPlan with its `eks` part): the
 * cluster, node groups, Cluster Autoscaler, Load Balancer Controller, KEDA and External Secrets of
 * the ActivePieces split (components/eks), and per role a service account, an ExternalSecret with
 * the role's secrets, a Deployment, a Service when something reaches it, a NetworkPolicy and its
 * autoscaler; public roles share one ALB Ingress. Everything is read from the plan.
 */

/** Kubernetes Secret the Redis AUTH token is synced into (KEDA's redis triggers read it). */
export const PROFILE_REDIS_AUTH_SECRET = "redis-auth";
/** The TriggerAuthentication handing that password to KEDA's redis scaler. */
export const PROFILE_REDIS_TRIGGER_AUTH = "redis";
/**
 * The EKS Pod Identity agent: a DaemonSet on the node's network answering on the link-local address
 * 169.254.170.23, port 80; a pod with a Pod Identity role fetches its credentials there.
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html
 */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;
/** HTTPS: how a role reaches S3 (regional endpoint or the VPC's gateway endpoint, both outside the VPC CIDR). */
export const HTTPS_PORT = 443;

/** The profile's namespace: its name (a DNS label; the schema allows nothing else). */
export const profileNamespace = (plan: Pick<WorkloadPlan, "profile">): string => plan.profile;
/** Labels of a role's pods; the role label is what Services, NetworkPolicies and spread constraints select on. */
export function roleLabels(plan: Pick<WorkloadPlan, "profile">, role: string): Record<string, string> {
  return { "app.kubernetes.io/name": plan.profile, [ROLE_LABEL]: role };
}
/** Kubernetes Secret holding a role's secrets (written by External Secrets). */
export const roleSecretName = (role: string): string => `${role}-secrets`;

/** Buckets a role connects to, each once, in the order of its edges. */
export function roleBuckets(role: ProfileRolePlan): string[] {
  return [...new Set(role.connects.flatMap((e) => (e.target === "s3" ? [e.bucket] : [])))];
}

/** Roles whose edges name `role`, with the port they connect on. */
export function callersOf(plan: WorkloadPlan, role: string): { caller: string; port: number }[] {
  return plan.roles.flatMap((r) => r.connects.flatMap((e) => (e.target === "role" && e.role === role ? [{ caller: r.name, port: e.port }] : [])));
}

/** A role needs a ClusterIP Service when the load balancer or another role reaches it. */
export function needsService(plan: WorkloadPlan, role: ProfileRolePlan): boolean {
  return role.exposure.kind === "public" || callersOf(plan, role.name).length > 0;
}

/**
 * An exposure path (ALB path-pattern syntax, as the Fargate listener rule takes it) as an Ingress
 * path: "/" and "/x/*" become Prefix paths ("/" the catch-all, "/x" matching /x and below, which the
 * controller turns into the conditions "/x" and "/x/*"); anything else is passed to the ALB as is
 * (ImplementationSpecific: the controller keeps `*` and `?` wildcards).
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/spec/
 */
export function ingressPath(path: string): { path: string; pathType: "Prefix" | "ImplementationSpecific" } {
  if (path === "/" || path === "/*") return { path: "/", pathType: "Prefix" };
  const prefix = path.endsWith("/*") ? path.slice(0, -2) : undefined;
  if (prefix !== undefined && !/[*?]/.test(prefix)) return { path: prefix, pathType: "Prefix" };
  return { path, pathType: "ImplementationSpecific" };
}

/**
 * One Ingress rule per public role, in ascending listener priority. The controller gives listener
 * rules priorities in the order of the Ingress's rules, sorting only the paths inside one rule
 * (Exact, then the longest Prefix, then ImplementationSpecific as listed; LBC v2.4.3+,
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/spec/, and
 * `buildListenerRules` -> `sortIngressPaths(rule.HTTP.Paths)` in pkg/ingress/model_build_listener_rules.go).
 * With one path per rule the plan's order holds: a host rule with a lower priority number is
 * matched before another role's catch-all path, as on Fargate. Internal roles get no rule.
 */
export function profileIngressRules(plan: WorkloadPlan): k8s.types.input.networking.v1.IngressRule[] {
  const publicRoles = plan.roles.flatMap((r) => (r.exposure.kind === "public" ? [{ role: r, exposure: r.exposure }] : []));
  return publicRoles
    .sort((a, b) => a.exposure.priority - b.exposure.priority)
    .map(({ role, exposure }) => ({
      ...(exposure.host ? { host: exposure.host } : {}),
      http: { paths: [{ ...ingressPath(exposure.path), backend: { service: { name: role.name, port: { number: role.port } } } }] },
    }));
}

/**
 * A role's NetworkPolicy. Ingress: a public role from the VPC CIDR on its port (the ALB's nodes and
 * health checks, IP targets), plus the pods of every role whose edges name it; an internal role only
 * from those pods; a metrics port of its own from pods of any namespace (the Prometheus that
 * scrapes it); nothing else. Egress, from the role's edges as the ActivePieces worker's
 * (sizing/eks.ts workerEgress): the target role's pods on the edge's port, PostgreSQL and Redis in
 * the VPC on their port, S3 over HTTPS outside the VPC (with the Pod Identity agent for its
 * credentials), the internet outside the VPC and instance metadata for an external dependency,
 * and DNS. Kubelet probes come from the node, which the VPC CNI's policy agent always admits.
 */
export function roleNetworkPolicySpec(plan: WorkloadPlan, role: ProfileRolePlan, ctx: PeerContext): k8s.types.input.networking.v1.NetworkPolicySpec {
  const callers = callersOf(plan, role.name);
  for (const c of callers) {
    if (c.port !== role.port) throw new Error(`${c.caller} connects to ${role.name} on ${c.port}, but ${role.name} listens on ${role.port}`);
  }
  const from: Record<string, unknown>[] = [
    ...(role.exposure.kind === "public" ? [{ ipBlock: { cidr: ctx.vpcCidr } }] : []),
    ...[...new Set(callers.map((c) => c.caller))].map((caller) => ({ podSelector: { matchLabels: roleLabels(plan, caller) } })),
  ];
  const ingress: Record<string, unknown>[] = from.length > 0 ? [{ from, ports: [{ protocol: "TCP", port: role.port }] }] : [];
  // A metrics endpoint on the serving port is not opened wider than the port already is.
  if (role.metrics && role.metrics.port !== role.port) {
    ingress.push({ from: [{ namespaceSelector: {} }], ports: [{ protocol: "TCP", port: role.metrics.port }] });
  }

  const tcp = (port: number) => [{ protocol: "TCP" as const, port }];
  const egress: Record<string, unknown>[] = [];
  for (const e of role.connects) {
    if (e.target === "role") {
      egress.push({ to: [{ podSelector: { matchLabels: roleLabels(plan, e.role) } }], ports: tcp(e.port) });
    } else if (e.target === "postgres" || e.target === "redis") {
      egress.push(egressRuleManifest({ to: "vpc", ports: tcp(e.port), why: e.target }, ctx));
    }
  }
  if (roleBuckets(role).length > 0) {
    egress.push(egressRuleManifest({ to: "internet", ports: tcp(HTTPS_PORT), why: "S3" }, ctx));
    egress.push({ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: tcp(POD_IDENTITY_AGENT.port) });
  }
  if (role.connects.some((e) => e.target === "external")) {
    // The plan holds no port for an external dependency (a connection string in a secret): every port, outside the VPC.
    const internet: EgressRule = { to: "internet", ports: [], why: "external dependencies" };
    egress.push(egressRuleManifest(internet, ctx));
  }
  egress.push({
    to: [CLUSTER_DNS_PEER],
    ports: [
      { protocol: "UDP", port: DNS_PORT },
      { protocol: "TCP", port: DNS_PORT },
    ],
  });
  return { podSelector: { matchLabels: roleLabels(plan, role.name) }, policyTypes: ["Ingress", "Egress"], ingress, egress };
}

/** HPA behaviour from a role's cooldowns: scale-up without a window, scale-in after the scale-in cooldown, one pod a minute. */
function behavior(s: { scaleOutCooldownSeconds: number; scaleInCooldownSeconds: number }) {
  return {
    scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: s.scaleOutCooldownSeconds }] },
    scaleDown: { stabilizationWindowSeconds: s.scaleInCooldownSeconds, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
  };
}

/**
 * The HPA of a CPU-scaled role (`cpu`, and `requests-or-cpu` on EKS). Request count per target is
 * not a signal here: KEDA's aws-cloudwatch scaler would need the ALB target group's CloudWatch
 * dimension (`TargetGroup=targetgroup/<name>/<id>`, https://keda.sh/docs/2.21/scalers/aws-cloudwatch/),
 * but the Load Balancer Controller creates and names that target group at run time, so Pulumi cannot
 * know it, and KEDA would need a CloudWatch role besides. As with ActivePieces' app on EKS (whose
 * `app.requestsPerTarget` the config refuses for `platform: eks`), the role scales on CPU alone.
 */
export function roleHpaSpec(role: ProfileRolePlan): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec | undefined {
  const s = role.scaling;
  if (s.mode !== "cpu" && s.mode !== "requests-or-cpu") return undefined;
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: role.name },
    minReplicas: role.min,
    maxReplicas: role.max,
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: s.cpuTarget } } }],
    behavior: behavior(s),
  };
}

/**
 * The KEDA ScaledObject of a queue- or Prometheus-scaled role, or undefined for any other mode.
 * `queue`: a redis (lists) trigger on the plan's key, `backlogPerTask` items per pod, over TLS with
 * the AUTH token from the synced Secret (https://keda.sh/docs/2.21/scalers/redis-lists/).
 * `prometheus`: the plan's query against its server, `threshold` per pod
 * (https://keda.sh/docs/2.21/scalers/prometheus/). Bounds from the plan; scale-in after the role's
 * scale-in cooldown; `cooldownPeriod` (only used to scale to zero) is the plan's KEDA stabilization.
 */
export function roleScaledObjectSpec(role: ProfileRolePlan, keda: ProfileEksPlan["keda"], redisAddress?: string): Record<string, unknown> | undefined {
  const s = role.scaling;
  let trigger: Record<string, unknown>;
  if (s.mode === "queue") {
    if (!redisAddress) throw new Error(`${role.name} scales on a Redis list, but the profile has no Redis`);
    trigger = {
      type: "redis",
      name: "backlog",
      ...redisListTrigger({ address: redisAddress, listName: s.key, listLength: s.backlogPerTask, authName: PROFILE_REDIS_TRIGGER_AUTH }),
    };
  } else if (s.mode === "prometheus") {
    trigger = { type: "prometheus", name: "prometheus", metadata: { serverAddress: s.serverAddress, query: s.query, threshold: String(s.threshold) } };
  } else {
    return undefined;
  }
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: role.name },
    minReplicaCount: role.min,
    maxReplicaCount: role.max,
    pollingInterval: keda.pollingIntervalSeconds,
    cooldownPeriod: keda.scaleDownStabilizationSeconds,
    advanced: { restoreToOriginalReplicaCount: false, horizontalPodAutoscalerConfig: { behavior: behavior(s) } },
    triggers: [trigger],
  };
}

/** Prometheus scrape annotations of a role's pods, when it has a metrics endpoint. */
export function scrapeAnnotations(role: ProfileRolePlan): Record<string, string> | undefined {
  if (!role.metrics) return undefined;
  return { "prometheus.io/scrape": "true", "prometheus.io/path": role.metrics.path, "prometheus.io/port": String(role.metrics.port) };
}

export class EksProfile extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterEndpoint: pulumi.Output<string>;
  readonly namespace: string;
  /** Host name of the ALB (empty while unknown, and when no role is public). */
  readonly albDnsName: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  readonly outputs: PlatformOutputs;

  constructor(name: string, args: ProfilePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:profile:EksProfile", name, {}, opts);
    const { plan, network } = args;
    if (plan.platform !== "eks" || !plan.eks) throw new Error(`EksProfile: the plan of ${plan.profile} is not an EKS plan`);
    const eks = plan.eks;
    const ns = profileNamespace(plan);

    const { cluster, provider, clusterSecurityGroupId } = createCluster(
      name,
      { plan: eks, region: plan.region, privateSubnetIds: network.privateSubnetIds },
      this,
    );
    const clusterName = cluster.name;

    // Nodes and pods carry the cluster security group: only it reaches the data tier, and only when a role connects to it.
    const targets = new Set(plan.roles.flatMap((r) => r.connects.map((e) => e.target)));
    if (targets.has("postgres")) {
      if (!args.database) throw new Error(`EksProfile: a role of ${plan.profile} connects to PostgreSQL, but no database was given`);
      args.database.allowFrom(`${name}-db-from-cluster`, clusterSecurityGroupId, { parent: this });
    }
    // KEDA's operator (on the on-demand nodes) reads the list a queue-scaled role scales on.
    const queueScaled = plan.roles.some((r) => r.scaling.mode === "queue");
    if (targets.has("redis") || queueScaled) {
      if (!args.queue) throw new Error(`EksProfile: ${plan.profile} uses Redis, but no queue was given`);
      args.queue.allowFrom(`${name}-redis-from-cluster`, clusterSecurityGroupId, { parent: this });
    }

    const early = createAddons(name, clusterName, BEFORE_NODES, [cluster], this);
    const { groups } = createNodeGroups(
      name,
      { clusterName, subnetIds: network.privateSubnetIds, architecture: plan.architecture, pools: [eks.appPool, eks.workerPool], dependsOn: early },
      this,
    );
    const nodeGroups = [groups["system-app"], groups.worker];
    const late = createAddons(name, clusterName, AFTER_NODES, nodeGroups, this);
    const ready = [...nodeGroups, ...late];
    const helmOpts = { provider, parent: this, dependsOn: ready };

    const lbController = createLbController(name, { clusterName, region: plan.region, vpcId: network.vpcId }, helmOpts);
    const afterLb = { ...helmOpts, dependsOn: [...ready, lbController.release] };
    createClusterAutoscaler(name, { plan: eks, clusterName, region: plan.region }, afterLb);
    const needsKeda = plan.roles.some((r) => r.scaling.mode === "queue" || r.scaling.mode === "prometheus");
    const keda = needsKeda ? createKeda(name, eks, afterLb) : undefined;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: ns, labels: { "app.kubernetes.io/part-of": plan.profile, "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } } },
      { provider, parent: this, dependsOn: [cluster] },
    );
    this.namespace = ns;

    // One Kubernetes Secret per role with secrets (exactly its own), and the Redis AUTH token for KEDA.
    // The same environment and secrets as on Fargate (wiring.ts): the plan's, plus the data tier and roles each connects to.
    const wirings = new Map(plan.roles.map((r) => [r.name, profileWiring(plan, r, args)]));
    const secrets: Record<string, { name: string; valueFrom: pulumi.Input<string> }[]> = {};
    for (const role of plan.roles) {
      const own = wirings.get(role.name)!.secrets;
      if (own.length > 0) secrets[roleSecretName(role.name)] = own.map((s) => ({ ...s }));
    }
    if (queueScaled) {
      if (!args.redisAuthSecretArn) throw new Error(`EksProfile: ${plan.profile} scales on a Redis list but has no Redis AUTH secret`);
      secrets[PROFILE_REDIS_AUTH_SECRET] = [{ name: "password", valueFrom: args.redisAuthSecretArn }];
    }
    const sync =
      Object.keys(secrets).length > 0
        ? createSecretsSync(name, { clusterName, region: plan.region, namespace, namespaceName: ns, purpose: `the ${plan.profile} secrets`, secrets }, afterLb)
        : undefined;

    const child = { provider, parent: this };
    const nsName = namespace.metadata.name;
    const ctx = network.vpcCidr.apply((vpcCidr) => ({ vpcCidr, instanceMetadataCidr: eks.instanceMetadataCidr }));
    const services: k8s.core.v1.Service[] = [];
    const deployments: Record<string, k8s.apps.v1.Deployment> = {};

    for (const role of plan.roles) {
      const labels = roleLabels(plan, role.name);
      const buckets = roleBuckets(role);
      let identity: PodRole | undefined;
      if (buckets.length > 0) {
        const policyArns = Object.fromEntries(
          buckets.map((b) => {
            const storage = args.buckets[b];
            if (!storage) throw new Error(`EksProfile: ${role.name} connects to bucket ${b}, which the stack does not have`);
            return [b, storage.accessPolicyArn];
          }),
        );
        identity = createPodRole(
          `${name}-${role.name}`,
          {
            clusterName,
            namespace: ns,
            serviceAccount: role.name,
            policyArns,
            description: `${plan.profile} ${role.name} pods of ${name}: buckets ${buckets.join(", ")}`,
          },
          this,
        );
      }
      // Only a role with a Pod Identity role keeps a token (the agent exchanges it); the others call no API.
      new k8s.core.v1.ServiceAccount(
        `${name}-${role.name}-sa`,
        { metadata: { name: role.name, namespace: nsName }, ...(identity ? {} : { automountServiceAccountToken: false }) },
        child,
      );

      const isPublic = role.exposure.kind === "public";
      const pool = role.capacity === "spot" ? eks.workerPool : eks.appPool;
      const metricsPort = role.metrics && role.metrics.port !== role.port ? [{ name: "metrics", containerPort: role.metrics.port }] : [];
      const annotations = scrapeAnnotations(role);
      const roleSecret = sync?.externalSecrets[roleSecretName(role.name)];
      const scaled = role.scaling.mode !== "static";
      deployments[role.name] = new k8s.apps.v1.Deployment(
        `${name}-${role.name}`,
        {
          metadata: { name: role.name, namespace: nsName, labels },
          spec: {
            replicas: role.desired,
            selector: { matchLabels: labels },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
            template: {
              metadata: { labels, ...(annotations ? { annotations } : {}) },
              spec: {
                serviceAccountName: role.name,
                ...(identity ? {} : { automountServiceAccountToken: false }),
                securityContext: { seccompProfile: { type: "RuntimeDefault" } },
                // Spot roles select the Spot pool and tolerate its taint; on-demand roles select the on-demand pool.
                ...poolPlacement(pool),
                topologySpreadConstraints: spread(role.name),
                // A public role keeps serving while the ALB deregisters it (IP targets), then gets its stop timeout.
                terminationGracePeriodSeconds: isPublic ? plan.loadBalancer.preStopSleepSeconds + role.stopTimeoutSeconds : role.stopTimeoutSeconds,
                containers: [
                  {
                    name: role.name,
                    image: role.image,
                    ports: [{ name: "http", containerPort: role.port }, ...metricsPort],
                    env: wirings
                      .get(role.name)!
                      .environment.apply((vars) => [...vars, ...secretEnv(wirings.get(role.name)!.secrets, roleSecretName(role.name))]),
                    resources: podResources(role),
                    ...probes({ ...role.health, port: role.port }),
                    // The kubelet's own sleep (Kubernetes 1.30+): the image needs no shell.
                    ...(isPublic ? { lifecycle: { preStop: { sleep: { seconds: plan.loadBalancer.preStopSleepSeconds } } } } : {}),
                    securityContext: { allowPrivilegeEscalation: false },
                  },
                ],
              },
            },
          },
        },
        {
          ...child,
          dependsOn: [lbController.release, ...(roleSecret ? [roleSecret] : []), ...(identity?.resources ?? [])],
          // The HPA or KEDA owns spec.replicas of a scaled role.
          ...(scaled ? { ignoreChanges: ["spec.replicas"] } : {}),
        },
      );

      if (needsService(plan, role)) {
        services.push(
          new k8s.core.v1.Service(
            `${name}-${role.name}-svc`,
            {
              metadata: {
                name: role.name,
                namespace: nsName,
                labels,
                // The ALB checks each role's own health path (Service annotations override the Ingress's).
                ...(isPublic ? { annotations: { "alb.ingress.kubernetes.io/healthcheck-path": role.health.path } } : {}),
              },
              // Service port = container port: the VPC CNI's NetworkPolicy resolves Services only then.
              spec: { type: "ClusterIP", selector: labels, ports: [{ name: "http", port: role.port, targetPort: role.port }] },
            },
            { ...child, dependsOn: [lbController.release] },
          ),
        );
      }

      new k8s.networking.v1.NetworkPolicy(
        `${name}-${role.name}-netpol`,
        { metadata: { name: role.name, namespace: nsName }, spec: ctx.apply((c) => roleNetworkPolicySpec(plan, role, c)) },
        child,
      );

      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-${role.name}-pdb`,
        { metadata: { name: role.name, namespace: nsName }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
        child,
      );

      const hpa = roleHpaSpec(role);
      if (hpa) {
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
          `${name}-${role.name}-hpa`,
          { metadata: { name: role.name, namespace: nsName }, spec: hpa },
          { ...child, dependsOn: [deployments[role.name]!] },
        );
      }
    }

    // KEDA: a TriggerAuthentication for the redis triggers, one ScaledObject per queue- or Prometheus-scaled role.
    if (keda) {
      const kedaDeps: pulumi.Resource[] = [keda];
      if (queueScaled) {
        const auth = triggerAuthenticationManifest(ns, { auth: PROFILE_REDIS_TRIGGER_AUTH, secret: PROFILE_REDIS_AUTH_SECRET });
        kedaDeps.push(
          new k8s.apiextensions.CustomResource(
            `${name}-redis-trigger-auth`,
            { apiVersion: auth.apiVersion as string, kind: auth.kind as string, metadata: auth.metadata as object, spec: auth.spec },
            { ...child, dependsOn: [keda, namespace, sync!.externalSecrets[PROFILE_REDIS_AUTH_SECRET]!] },
          ),
        );
      }
      const redisAddress: pulumi.Output<string | undefined> = args.queue
        ? pulumi.interpolate`${args.queue.primaryEndpoint}:${args.queue.port}`
        : pulumi.output(undefined);
      for (const role of plan.roles) {
        if (role.scaling.mode !== "queue" && role.scaling.mode !== "prometheus") continue;
        new k8s.apiextensions.CustomResource(
          `${name}-${role.name}-scaler`,
          {
            apiVersion: "keda.sh/v1alpha1",
            kind: "ScaledObject",
            metadata: { name: role.name, namespace: nsName },
            spec: redisAddress.apply((address) => roleScaledObjectSpec(role, eks.keda, address)),
          },
          { ...child, dependsOn: [...kedaDeps, deployments[role.name]!] },
        );
      }
    }

    // One ALB for every public role: one Ingress, a rule per role in listener-priority order.
    const rules = profileIngressRules(plan);
    let ingress: k8s.networking.v1.Ingress | undefined;
    if (rules.length > 0) {
      const accessLogs = createAccessLogBucket(name, { region: plan.region, protect: plan.protectData }, this);
      const albSubnetIds = plan.loadBalancer.scheme === "internet-facing" ? network.publicSubnetIds : network.privateSubnetIds;
      const annotations = pulumi.all([albSubnetIds, accessLogs.bucket.bucket]).apply(([ids, bucket]) => ({
        ...ingressAnnotations(plan.loadBalancer, ids, { bucket, protect: plan.protectData }),
        "alb.ingress.kubernetes.io/group.name": plan.profile,
      }));
      ingress = new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        { metadata: { name: plan.profile, namespace: nsName, annotations }, spec: { ingressClassName: "alb", rules } },
        { ...child, dependsOn: [...services, ...lbController.identity.resources, ...accessLogs.ready] },
      );
    }

    this.clusterName = clusterName;
    this.clusterEndpoint = cluster.endpoint;
    this.albDnsName = ingress ? ingress.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? "") : pulumi.output("");
    this.url = this.albDnsName.apply((host) => loadBalancerUrl(plan.loadBalancer, host));
    this.outputs = {
      url: this.url,
      clusterName: this.clusterName,
      clusterEndpoint: this.clusterEndpoint,
      namespace: this.namespace,
      albDnsName: this.albDnsName,
    };
    this.registerOutputs(this.outputs);
  }
}
