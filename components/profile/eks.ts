import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createAccessLogBucket } from "../alb-logs";
import { loadBalancerUrl } from "../app-endpoint";
import { ingressAnnotations } from "../eks/ingress";
import { triggerAuthenticationManifest } from "../eks/keda";
import { createEksPlatform } from "../eks/platform";
import { createPodRole, type PodRole } from "../eks/pod-identity";
import { createSecretsSync } from "../eks/secrets-sync";
import { podResources, poolPlacement, probes, secretEnv, spread } from "../eks/pod-spec";
import type { PlatformOutputs } from "../platform";
import type { ProfilePlatformArgs } from "./args";
import { profileIngressRules, roleNetworkPolicySpec } from "./eks-network";
import { PROFILE_REDIS_AUTH_SECRET, PROFILE_REDIS_TRIGGER_AUTH, roleHpaSpec, roleScaledObjectSpec } from "./eks-scaling";
import { needsService, profileNamespace, roleBuckets, roleLabels, roleSecretName, scrapeAnnotations } from "./eks-workloads";
import { profileWiring } from "./wiring";

/**
 * A workload profile on EKS (sizing/profile-types.ts WorkloadPlan with its `eks` part): the
 * cluster, node groups, Cluster Autoscaler, Load Balancer Controller, KEDA and External Secrets of
 * the ActivePieces split (components/eks), and per role a service account, an ExternalSecret with
 * the role's secrets, a Deployment, a Service when something reaches it, a NetworkPolicy and its
 * autoscaler; public roles share one ALB Ingress. Everything is read from the plan.
 */
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

    const needsKeda = plan.roles.some((r) => r.scaling.mode === "queue" || r.scaling.mode === "prometheus");
    const { cluster, provider, clusterName, clusterSecurityGroupId, lbController, afterLb, keda } = createEksPlatform(
      name,
      { plan: eks, region: plan.region, architecture: plan.architecture, privateSubnetIds: network.privateSubnetIds, vpcId: network.vpcId, keda: needsKeda },
      this,
    );

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
