import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkPlan } from "../sizing/types";

export interface NetworkArgs {
  readonly plan: NetworkPlan;
  /** The stack's region; the S3 endpoint service name and every regional input use it. */
  readonly region: string;
  /** Name tag prefix of the VPC; defaults to the component name. */
  readonly name?: string;
  /**
   * Create the S3 gateway endpoint. Default: true for a new VPC, false for an existing one,
   * because a VPC someone else runs often has its own S3 endpoint already, and AWS rejects a second
   * endpoint for the same service on a route table that already routes to it.
   */
  readonly s3GatewayEndpoint?: boolean;
}

export type NatStrategy = "None" | "Single" | "OnePerAz";

/**
 * NAT gateways in the plan -> awsx strategy: one shared NAT (cheap, one AZ's outage cuts egress)
 * or one per AZ (prod). https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
 */
export function natStrategy(natGateways: number, azCount: number): NatStrategy {
  if (natGateways === 0) return "None";
  if (natGateways === 1) return "Single";
  if (natGateways === azCount) return "OnePerAz";
  throw new Error(`network.natGateways: ${natGateways} NAT gateways for ${azCount} AZs; allowed 0, 1 or ${azCount} (one per AZ)`);
}

/** Gateway endpoint service for S3 in a region: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html */
export function s3EndpointService(region: string): string {
  return `com.amazonaws.${region}.s3`;
}

/**
 * The VPC the deployment runs in: tasks and data in private subnets, the ALB in public subnets.
 * Either a new VPC (awsx) with a single NAT (staging) or one per AZ (prod), or the ids of an
 * existing VPC and its subnets, in which case nothing but the optional S3 endpoint is created.
 *
 * The S3 gateway endpoint is free and keeps file traffic (ActivePieces stores files in S3) off the
 * NAT gateway, whose per-GB charge dominates small stacks. It is attached to the route tables of
 * the private subnets, found by their explicit subnet associations: awsx does not expose which
 * route table belongs to which subnet type, and the lookup works the same for a brought VPC.
 */
export class Network extends pulumi.ComponentResource {
  /** Id of the VPC. */
  readonly vpcId: pulumi.Output<string>;
  /** Private subnets (no public IPs) for tasks, pods, RDS and ElastiCache. */
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Public subnets for an internet-facing load balancer. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** IPv4 CIDR block of the VPC. */
  readonly vpcCidr: pulumi.Output<string>;
  /** The S3 gateway endpoint, when created. */
  readonly s3EndpointId?: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:network:Network", name, {}, opts);
    const { plan, region } = args;
    let dependsOn: pulumi.Resource[] = [];

    if (plan.mode === "new") {
      const vpc = new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
          region,
          cidrBlock: plan.cidr,
          numberOfAvailabilityZones: plan.azCount,
          // Explicit "Auto" with the default layout (a larger private and a smaller public subnet per AZ)
          // avoids awsx's warning about the changing default strategy.
          subnetStrategy: "Auto",
          natGateways: { strategy: natStrategy(plan.natGateways, plan.azCount) },
          enableDnsHostnames: true,
          enableDnsSupport: true,
          tags: { Name: args.name ?? name },
        },
        { parent: this },
      );
      this.vpcId = vpc.vpcId;
      this.privateSubnetIds = vpc.privateSubnetIds;
      this.publicSubnetIds = vpc.publicSubnetIds;
      this.vpcCidr = pulumi.output(plan.cidr);
      dependsOn = [vpc];
    } else {
      this.vpcId = pulumi.output(plan.vpcId);
      this.privateSubnetIds = pulumi.output([...plan.privateSubnetIds]);
      this.publicSubnetIds = pulumi.output([...plan.publicSubnetIds]);
      this.vpcCidr = aws.ec2.getVpcOutput({ id: plan.vpcId, region }, { parent: this }).cidrBlock;
    }

    if (args.s3GatewayEndpoint ?? plan.mode === "new") {
      // Runs after the VPC component has finished (route table associations included).
      const routeTables = aws.ec2.getRouteTablesOutput(
        {
          region,
          vpcId: this.vpcId,
          filters: [{ name: "association.subnet-id", values: this.privateSubnetIds }],
        },
        { parent: this, dependsOn },
      );
      const endpoint = new aws.ec2.VpcEndpoint(
        `${name}-s3`,
        {
          region,
          vpcId: this.vpcId,
          serviceName: s3EndpointService(region),
          vpcEndpointType: "Gateway",
          routeTableIds: routeTables.ids,
          tags: { Name: `${args.name ?? name}-s3` },
        },
        { parent: this },
      );
      this.s3EndpointId = endpoint.id;
    }

    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      vpcCidr: this.vpcCidr,
      s3EndpointId: this.s3EndpointId,
    });
  }
}
