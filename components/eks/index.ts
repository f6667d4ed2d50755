import { createAccessLogBucket } from "../alb-logs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EksStackPlan } from "../../sizing/types";
import { loadBalancerUrl } from "../app-endpoint";
import { createObservability } from "../observability";
import type { PlatformArgs, PlatformOutputs } from "../platform";
import { roleContainer, roleWiring } from "../roles";
import { createWorkerScaler } from "./keda";
import { APP_NAMESPACE, APP_SECRET, APP_SERVICE_ACCOUNT, REDIS_AUTH_SECRET, WORKER_SECRET } from "./names";
import { createEksPlatform } from "./platform";
import { createPodRole } from "./pod-identity";
import { createSecretsSync } from "./secrets-sync";
import { createWorkloads } from "./workloads";
import { createRotationRestart, eksRestartObjects } from "../rotation-restart";

export type EksSplitArgs = PlatformArgs<EksStackPlan>;

/**
 * ActivePieces on EKS: app pods on an on-demand managed node group behind an ALB Ingress, worker
 * pods on a Spot node group scaled by KEDA on the BullMQ backlog, Cluster Autoscaler growing the
 * node groups, secrets synced from Secrets Manager by External Secrets, pod IAM by Pod Identity.
 * Reuses the shared Network, AppSecrets, Database, Queue and Storage; opens the database and
 * Redis to the cluster security group only.
 */
export class EksSplit extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterEndpoint: pulumi.Output<string>;
  /** Host name of the ALB the Ingress gets (known after the controller has created it). */
  readonly albDnsName: pulumi.Output<string>;
  /** URL of the load balancer (the frontend URL should point at it). */
  readonly url: pulumi.Output<string>;
  readonly namespace: string;
  readonly appDeploymentName: pulumi.Output<string>;
  readonly workerDeploymentName: pulumi.Output<string>;
  /** SNS topic the data-tier alarms notify. */
  readonly alarmTopicArn: pulumi.Output<string>;
  /** CloudWatch dashboard of the data tier. */
  readonly dashboardUrl: pulumi.Output<string>;
  /** The stack outputs of this platform (stack.ts spreads them). */
  readonly outputs: PlatformOutputs;

  constructor(name: string, args: EksSplitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:eks:EksSplit", name, {}, opts);
    const { plan, network, secrets, database, queue, storage } = args;
    // Sized by plan() (sizing/eks.ts planEks); read here, never re-derived.
    const { eks } = plan;

    const { cluster, provider, clusterName, clusterSecurityGroupId, lbController, afterLb, keda } = createEksPlatform(
      name,
      { plan: eks, region: plan.region, architecture: plan.architecture, privateSubnetIds: network.privateSubnetIds, vpcId: network.vpcId, keda: true },
      this,
    );

    // Only the cluster (its nodes and pods carry the cluster security group) reaches Postgres and
    // Redis, and only when a role's contract connects to them.
    const targets = new Set(Object.values(plan.release.contract.roles).flatMap((r) => r.connects.map((e) => e.target)));
    if (targets.has("postgres")) database.allowFrom(`${name}-db-from-cluster`, clusterSecurityGroupId, { parent: this });
    if (targets.has("redis")) queue.allowFrom(`${name}-redis-from-cluster`, clusterSecurityGroupId, { parent: this });

    // The controller adds readiness gates to pods of labelled namespaces: a rolling update waits until the ALB target is healthy.
    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      {
        metadata: { name: APP_NAMESPACE, labels: { "app.kubernetes.io/part-of": "activepieces", "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } },
      },
      { provider, parent: this, dependsOn: [cluster] },
    );
    this.namespace = APP_NAMESPACE;

    const wiring = roleWiring({ database, queue, secrets, storage });
    const app = roleContainer(plan, "app", wiring);
    const worker = roleContainer(plan, "worker", wiring);

    const sync = createSecretsSync(
      name,
      {
        clusterName,
        region: plan.region,
        namespace,
        secrets: {
          [APP_SECRET]: app.secrets,
          [WORKER_SECRET]: worker.secrets,
          [REDIS_AUTH_SECRET]: [{ name: "password", valueFrom: secrets.redisAuthArn }],
        },
      },
      afterLb,
    );

    // The app signs S3 URLs with its own role (AP_S3_USE_IRSA=true); workers get no AWS role.
    const appIdentity = createPodRole(
      `${name}-app`,
      {
        clusterName,
        namespace: APP_NAMESPACE,
        serviceAccount: APP_SERVICE_ACCOUNT,
        policyArns: { storage: storage.accessPolicyArn },
        description: `ActivePieces app pods of ${name}: file storage`,
      },
      this,
    );

    // App pods get credentials only if their Pod Identity association exists when they are created.
    const workloads = createWorkloads(
      name,
      {
        plan,
        namespace,
        app,
        worker,
        albSubnetIds: plan.loadBalancer.scheme === "internet-facing" ? network.publicSubnetIds : network.privateSubnetIds,
        vpcCidr: network.vpcCidr,
        lbControllerIdentity: lbController.identity.resources,
        accessLogs: createAccessLogBucket(name, { region: plan.region, protect: plan.protectData }, this),
      },
      { provider, parent: this, dependsOn: [...Object.values(sync.externalSecrets), lbController.release, ...appIdentity.resources] },
    );

    createWorkerScaler(
      name,
      {
        namespace: APP_NAMESPACE,
        redisHost: queue.primaryEndpoint,
        redisPort: queue.port,
        worker: plan.worker,
        keda: eks.keda,
      },
      { provider, parent: this, dependsOn: [keda, workloads.workerDeployment, sync.externalSecrets[REDIS_AUTH_SECRET]!] },
    );

    this.clusterName = clusterName;
    this.clusterEndpoint = cluster.endpoint;
    this.albDnsName = workloads.ingress.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? "");
    this.url = this.albDnsName.apply((host) => loadBalancerUrl(plan.loadBalancer, host));
    this.appDeploymentName = workloads.appDeployment.metadata.name;
    this.workerDeploymentName = workloads.workerDeployment.metadata.name;

    createRotationRestart(
      `${name}-db-rotation`,
      {
        secretArn: database.masterUserSecretArn,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        target: {
          platform: "eks",
          clusterName,
          clusterArn: cluster.arn,
          clusterSecurityGroupId,
          namespace: APP_NAMESPACE,
          provider,
          dependsOn: [namespace],
          ...eksRestartObjects(plan.release.contract, "databasePassword"),
        },
      },
      this,
    );

    const observability = createObservability(name, { plan, database, queue }, this);
    this.alarmTopicArn = observability.alarmTopicArn;
    this.dashboardUrl = observability.dashboardUrl;

    this.outputs = {
      url: this.url,
      clusterName: this.clusterName,
      clusterEndpoint: this.clusterEndpoint,
      namespace: this.namespace,
      appDeploymentName: this.appDeploymentName,
      workerDeploymentName: this.workerDeploymentName,
      alarmTopicArn: this.alarmTopicArn,
      dashboardUrl: this.dashboardUrl,
    };
    this.registerOutputs({ ...this.outputs, albDnsName: this.albDnsName });
  }
}
