import type { AccessLogBucket } from "../alb-logs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EksStackPlan } from "../../sizing/types";
import { APP_PORT } from "../app-endpoint";
import { ingressAnnotations } from "./ingress";
import type { RoleContainer } from "../roles";
import { createWorkerNetworkPolicy } from "./network-policy";
import { APP_DEPLOYMENT, APP_NAMESPACE, APP_SECRET, APP_SERVICE_ACCOUNT, ROLE_LABEL, WORKER_DEPLOYMENT, WORKER_SECRET, WORKER_SERVICE_ACCOUNT } from "./names";
import { podEnv, podResources, poolPlacement, probes, spread, workerSecurity } from "./pod-spec";

export interface WorkloadsArgs {
  readonly plan: EksStackPlan;
  readonly namespace: k8s.core.v1.Namespace;
  readonly app: RoleContainer;
  readonly worker: RoleContainer;
  /** Subnets of the ALB: public for an internet-facing one, private for an internal one. */
  readonly albSubnetIds: pulumi.Input<string[]>;
  /** The ALB's access-log bucket; the Ingress waits for its policy (ELB writes a test object). */
  readonly accessLogs: AccessLogBucket;
  /** The VPC CIDR: the worker NetworkPolicy's bound between the data tier and the internet. */
  readonly vpcCidr: pulumi.Input<string>;
  /**
   * The load balancer controller's Pod Identity (role, policy, association). The Ingress depends on
   * it, so on destroy Pulumi deletes the Ingress, and the controller deletes the ALB, while the
   * controller still holds its permissions.
   */
  readonly lbControllerIdentity: pulumi.Resource[];
}

export interface WorkloadsResult {
  readonly appDeployment: k8s.apps.v1.Deployment;
  readonly workerDeployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  readonly ingress: k8s.networking.v1.Ingress;
  readonly workerNetworkPolicy: k8s.networking.v1.NetworkPolicy;
}

/**
 * ActivePieces on Kubernetes: the app Deployment on the on-demand pool behind a Service and an ALB
 * Ingress, scaled by an HPA on CPU; the worker Deployment on the Spot pool (selected by label,
 * tolerating its taint), scaled by KEDA (keda.ts), with the full drain time before SIGKILL. Both
 * have PodDisruptionBudgets, spread across zones and requests/limits from the plan.
 */
export function createWorkloads(
  name: string,
  args: WorkloadsArgs,
  opts: { provider: k8s.Provider; parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): WorkloadsResult {
  const { plan } = args;
  const ns = args.namespace.metadata.name;
  const child = { provider: opts.provider, parent: opts.parent };

  new k8s.core.v1.ServiceAccount(`${name}-app-sa`, { metadata: { name: APP_SERVICE_ACCOUNT, namespace: ns } }, child);
  new k8s.core.v1.ServiceAccount(
    `${name}-worker-sa`,
    {
      metadata: { name: WORKER_SERVICE_ACCOUNT, namespace: ns },
      automountServiceAccountToken: false,
    },
    child,
  );

  const appLabels = { "app.kubernetes.io/name": "activepieces", [ROLE_LABEL]: "app" };
  const workerLabels = { "app.kubernetes.io/name": "activepieces", [ROLE_LABEL]: "worker" };

  const appDeployment = new k8s.apps.v1.Deployment(
    `${name}-app`,
    {
      metadata: { name: APP_DEPLOYMENT, namespace: ns, labels: appLabels },
      spec: {
        replicas: plan.app.desired,
        selector: { matchLabels: appLabels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: appLabels },
          spec: {
            // The app keeps its service account token: it signs S3 URLs with its Pod Identity role
            // (AP_S3_USE_IRSA), and whether the injected Pod Identity token works with automounting
            // off is not shown for this setup, so the default stays.
            serviceAccountName: APP_SERVICE_ACCOUNT,
            ...poolPlacement(plan.eks.appPool),
            topologySpreadConstraints: spread("app"),
            // The preStop sleep plus the app's own stop timeout (the grace period counts the hook).
            terminationGracePeriodSeconds: plan.loadBalancer.appTerminationGracePeriodSeconds,
            containers: [
              {
                name: "app",
                image: plan.image,
                ports: [{ name: "http", containerPort: APP_PORT }],
                env: podEnv(args.app, APP_SECRET),
                resources: podResources(plan.app),
                ...probes(plan.app.health),
                // IP targets: keep serving until the ALB has deregistered the pod (longer than the
                // deregistration delay), then stop. The image has /bin/sh and sleep (Debian slim).
                lifecycle: { preStop: { exec: { command: ["/bin/sh", "-c", `sleep ${plan.loadBalancer.preStopSleepSeconds}`] } } },
                securityContext: { allowPrivilegeEscalation: false },
              },
            ],
          },
        },
      },
      // The HPA owns spec.replicas: with server-side apply a later `pulumi up` would conflict on it.
    },
    { ...child, dependsOn: opts.dependsOn, ignoreChanges: ["spec.replicas"] },
  );

  const security = workerSecurity(plan.eks.workerHardening, plan.eks.workerPrivileged);
  const workerDeployment = new k8s.apps.v1.Deployment(
    `${name}-worker`,
    {
      metadata: { name: WORKER_DEPLOYMENT, namespace: ns, labels: workerLabels },
      spec: {
        replicas: plan.worker.desired,
        selector: { matchLabels: workerLabels },
        // Never more workers than planned (no surge nodes); a quarter at a time drain and restart.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "25%" } },
        template: {
          metadata: { labels: workerLabels },
          spec: {
            serviceAccountName: WORKER_SERVICE_ACCOUNT,
            // Workers call no Kubernetes or AWS API: no token, no role.
            automountServiceAccountToken: false,
            ...(security.podSecurityContext ? { securityContext: security.podSecurityContext } : {}),
            ...(security.volumes.length > 0 ? { volumes: security.volumes } : {}),
            ...poolPlacement(plan.eks.workerPool),
            topologySpreadConstraints: [spread("worker")[0]!],
            // Running flows finish or checkpoint before SIGKILL, on scale-in and on a Spot reclaim (2-minute notice).
            terminationGracePeriodSeconds: plan.worker.stopTimeoutSeconds,
            containers: [
              {
                name: "worker",
                image: plan.image,
                ports: [{ name: "http", containerPort: plan.worker.health.port }],
                env: podEnv(args.worker, WORKER_SECRET),
                resources: podResources(plan.worker),
                ...probes(plan.worker.health),
                securityContext: security.securityContext,
                ...(security.volumeMounts.length > 0 ? { volumeMounts: security.volumeMounts } : {}),
              },
            ],
          },
        },
      },
    },
    { ...child, dependsOn: opts.dependsOn, ignoreChanges: ["spec.replicas"] },
  );

  const service = new k8s.core.v1.Service(
    `${name}-app-svc`,
    {
      metadata: { name: APP_DEPLOYMENT, namespace: ns, labels: appLabels },
      // Service port = container port: the VPC CNI's NetworkPolicy resolves Services only then.
      spec: { type: "ClusterIP", selector: appLabels, ports: [{ name: "http", port: APP_PORT, targetPort: APP_PORT }] },
    },
    { ...child, dependsOn: opts.dependsOn },
  );

  const annotations = pulumi
    .all([args.albSubnetIds, args.accessLogs.bucket.bucket])
    .apply(([ids, bucket]) => ingressAnnotations(plan.loadBalancer, ids, { bucket, protect: plan.protectData }));
  const ingress = new k8s.networking.v1.Ingress(
    `${name}-app-ingress`,
    {
      metadata: { name: APP_DEPLOYMENT, namespace: ns, annotations },
      spec: {
        ingressClassName: "alb",
        rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: APP_DEPLOYMENT, port: { number: APP_PORT } } } }] } }],
      },
    },
    { ...child, dependsOn: [...opts.dependsOn, service, ...args.lbControllerIdentity, ...args.accessLogs.ready] },
  );

  const workerNetworkPolicy = createWorkerNetworkPolicy(
    name,
    {
      namespace: APP_NAMESPACE,
      workerLabels,
      appLabels,
      egress: plan.eks.workerEgress,
      vpcCidr: args.vpcCidr,
      instanceMetadataCidr: plan.eks.instanceMetadataCidr,
    },
    { ...child, dependsOn: [args.namespace] },
  );

  new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    `${name}-app-hpa`,
    {
      metadata: { name: APP_DEPLOYMENT, namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: APP_DEPLOYMENT },
        minReplicas: plan.app.min,
        maxReplicas: plan.app.max,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: plan.appScaling.cpuTarget } } }],
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: plan.appScaling.scaleOutCooldownSeconds }] },
          scaleDown: { stabilizationWindowSeconds: plan.appScaling.scaleInCooldownSeconds, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
        },
      },
    },
    { ...child, dependsOn: [appDeployment] },
  );

  new k8s.policy.v1.PodDisruptionBudget(
    `${name}-app-pdb`,
    {
      metadata: { name: APP_DEPLOYMENT, namespace: ns },
      spec: { maxUnavailable: 1, selector: { matchLabels: appLabels } },
    },
    child,
  );
  new k8s.policy.v1.PodDisruptionBudget(
    `${name}-worker-pdb`,
    {
      metadata: { name: WORKER_DEPLOYMENT, namespace: ns },
      spec: { maxUnavailable: "10%", selector: { matchLabels: workerLabels } },
    },
    child,
  );

  return { appDeployment, workerDeployment, service, ingress, workerNetworkPolicy };
}
