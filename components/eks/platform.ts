import type * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { EksPlan } from "../../sizing/eks";
import type { Architecture } from "../../sizing/types";
import { AFTER_NODES, BEFORE_NODES, createAddons } from "./addons";
import { createClusterAutoscaler } from "./autoscaler";
import { createCluster, type EksClusterPlan } from "./cluster";
import { createKeda } from "./keda";
import { createLbController, type LbController } from "./lb-controller";
import { createNodeGroups } from "./nodegroups";

/** What the platform reads of an EKS plan (ActivePieces' EksPlan and a profile's ProfileEksPlan both have it). */
export type EksPlatformPlan = EksClusterPlan & Pick<EksPlan, "appPool" | "workerPool" | "autoscaler"> & { readonly keda: Pick<EksPlan["keda"], "version"> };

export interface EksPlatformArgs {
  readonly plan: EksPlatformPlan;
  readonly region: string;
  readonly architecture: Architecture;
  readonly privateSubnetIds: pulumi.Input<string[]>;
  readonly vpcId: pulumi.Input<string>;
  /** Whether to install KEDA (ActivePieces always; a profile only when a role scales on a queue or Prometheus). */
  readonly keda: boolean;
}

/** Options of the Kubernetes resources that need the cluster's nodes and add-ons. */
export interface EksHelmOpts {
  provider: k8s.Provider;
  parent: pulumi.Resource;
  dependsOn: pulumi.Resource[];
}

export interface EksPlatform {
  readonly cluster: aws.eks.Cluster;
  readonly provider: k8s.Provider;
  readonly clusterName: pulumi.Output<string>;
  /** The EKS-managed cluster security group, which managed nodes (without their own SGs) also carry. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The `system-app` (on-demand) and `worker` (Spot) node groups. */
  readonly nodeGroups: aws.eks.NodeGroup[];
  /** The node groups and the add-ons that need nodes: what a release waits for. */
  readonly ready: pulumi.Resource[];
  /** Provider, parent and `dependsOn: ready`. */
  readonly helmOpts: EksHelmOpts;
  readonly lbController: LbController;
  /** `helmOpts` that also wait for the Load Balancer Controller: for releases that create Services. */
  readonly afterLb: EksHelmOpts;
  /** The KEDA release, when `keda` was asked for. */
  readonly keda?: k8s.helm.v3.Release;
}

/**
 * The EKS platform ActivePieces (EksSplit) and workload profiles (EksProfile) share: the cluster,
 * the add-ons that must run before nodes join, the managed node groups (`system-app` on-demand,
 * `worker` Spot), the add-ons that need nodes, the AWS Load Balancer Controller, Cluster Autoscaler
 * and, if asked, KEDA. Every resource is a child of `parent` (the calling component), so its URN
 * is the one the component would give it.
 */
export function createEksPlatform(name: string, args: EksPlatformArgs & { keda: true }, parent: pulumi.Resource): EksPlatform & { keda: k8s.helm.v3.Release };
export function createEksPlatform(name: string, args: EksPlatformArgs, parent: pulumi.Resource): EksPlatform;
export function createEksPlatform(name: string, args: EksPlatformArgs, parent: pulumi.Resource): EksPlatform {
  const { plan, region } = args;
  const { cluster, provider, clusterSecurityGroupId } = createCluster(name, { plan, region, privateSubnetIds: args.privateSubnetIds }, parent);
  const clusterName = cluster.name;

  const early = createAddons(name, clusterName, BEFORE_NODES, [cluster], parent);
  const { groups } = createNodeGroups(
    name,
    { clusterName, subnetIds: args.privateSubnetIds, architecture: args.architecture, pools: [plan.appPool, plan.workerPool], dependsOn: early },
    parent,
  );
  const nodeGroups = [groups["system-app"], groups.worker];
  const late = createAddons(name, clusterName, AFTER_NODES, nodeGroups, parent);
  const ready = [...nodeGroups, ...late];
  const helmOpts = { provider, parent, dependsOn: ready };

  const lbController = createLbController(name, { clusterName, region, vpcId: args.vpcId }, helmOpts);
  // Releases that create Services go in after the controller, whose webhooks admit Services (aws-load-balancer-controller#4140).
  const afterLb = { ...helmOpts, dependsOn: [...ready, lbController.release] };
  createClusterAutoscaler(name, { plan, clusterName, region }, afterLb);
  const keda = args.keda ? createKeda(name, plan, afterLb) : undefined;

  return { cluster, provider, clusterName, clusterSecurityGroupId, nodeGroups, ready, helmOpts, lbController, afterLb, ...(keda ? { keda } : {}) };
}
