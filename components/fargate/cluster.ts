import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface ClusterResources {
  readonly cluster: aws.ecs.Cluster;
  readonly capacityProviders: aws.ecs.ClusterCapacityProviders;
}

/**
 * ECS cluster with Container Insights (RunningTaskCount for the capacity alarms) and both Fargate
 * capacity providers registered, so each service picks its own strategy.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
 */
export function createCluster(name: string, parent: pulumi.Resource): ClusterResources {
  const cluster = new aws.ecs.Cluster(
    `${name}-cluster`,
    {
      name,
      settings: [{ name: "containerInsights", value: "enabled" }],
    },
    { parent, deleteBeforeReplace: true },
  ); // fixed name: a replacement must free it first
  const capacityProviders = new aws.ecs.ClusterCapacityProviders(
    `${name}-capacity`,
    {
      clusterName: cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      // Tasks that name no strategy land on on-demand; Spot is always an explicit choice.
      defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", base: 0, weight: 1 }],
    },
    { parent },
  );
  // Services must depend on `capacityProviders`: a strategy may only name providers already
  // associated with the cluster (components/fargate/service.ts serviceDependencies).
  return { cluster, capacityProviders };
}
