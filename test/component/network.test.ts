import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { Network, type NetworkArgs, natStrategy } from "../../components/network";
import type { NetworkPlan } from "../../sizing/types";
import { capture, type Capture } from "../../offline/capture";

const STAGING = { mode: "new", cidr: "10.0.0.0/16", azCount: 2, natGateways: 1 } as const satisfies NetworkPlan;
const PROD = { mode: "new", cidr: "10.40.0.0/16", azCount: 3, natGateways: 3 } as const satisfies NetworkPlan;
const EXISTING = {
  mode: "existing",
  vpcId: "vpc-0a1b2c3d4e5f60718",
  privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
  publicSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
  azCount: 2,
  natGateways: 0,
} as const satisfies NetworkPlan;

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) =>
    o.apply((v) => {
      resolve(v);
      return v;
    }),
  );
}

async function run(plan: NetworkPlan, extra: Partial<NetworkArgs> = {}, region = "eu-west-1"): Promise<{ cap: Capture; network: Network }> {
  let network!: Network;
  const cap = await capture(() => {
    const provider = new aws.Provider("aws", { region });
    network = new Network("net", { plan, region, ...extra }, { providers: [provider] });
  });
  return { cap, network };
}

const VPC = "awsx:ec2:Vpc";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

describe("awsx VPC", () => {
  it("staging: one shared NAT gateway, two AZs, the planned CIDR", async () => {
    const { cap } = await run(STAGING);
    expect(cap.one(VPC).inputs).toMatchObject({
      cidrBlock: "10.0.0.0/16",
      numberOfAvailabilityZones: 2,
      natGateways: { strategy: "Single" },
      subnetStrategy: "Auto",
      region: "eu-west-1",
    });
  });

  it("prod: one NAT gateway per AZ across three AZs", async () => {
    const { cap } = await run(PROD);
    expect(cap.one(VPC).inputs).toMatchObject({ cidrBlock: "10.40.0.0/16", numberOfAvailabilityZones: 3, natGateways: { strategy: "OnePerAz" } });
  });

  it("keeps the default private + public layout (no isolated-only or custom specs)", async () => {
    const { cap } = await run(PROD);
    expect(cap.one(VPC).inputs.subnetSpecs).toBeUndefined();
  });

  it("is a child of the component (a remote component: it inherits the provider map from it)", async () => {
    const { cap } = await run(STAGING);
    expect(cap.one(VPC).parent).toBe(cap.one("activepieces:network:Network").urn);
  });
});

describe("S3 gateway endpoint", () => {
  it("is a Gateway endpoint for S3 in the stack's region, in the new VPC", async () => {
    const { cap } = await run(STAGING);
    const vpc = cap.one(VPC);
    expect(cap.one(ENDPOINT).inputs).toMatchObject({
      vpcEndpointType: "Gateway",
      serviceName: "com.amazonaws.eu-west-1.s3",
      region: "eu-west-1",
      vpcId: vpc.outputs.vpcId,
    });
  });

  it("is attached to exactly the private subnets' route tables, not the public ones", async () => {
    const { cap } = await run(PROD);
    const vpc = cap.one(VPC).outputs as { privateSubnetIds: string[]; publicSubnetIds: string[] };
    const routeTables = cap.one(ENDPOINT).inputs.routeTableIds as string[];
    // The mock gives each subnet its own route table, `rtb-` + the subnet's hex part.
    expect(routeTables).toEqual(vpc.privateSubnetIds.map((s) => s.replace(/^subnet-/, "rtb-")));
    expect(routeTables).toHaveLength(3);
    for (const s of vpc.publicSubnetIds) expect(routeTables).not.toContain(s.replace(/^subnet-/, "rtb-"));
  });

  it("is a child of the component on the caller's provider", async () => {
    const { cap } = await run(STAGING);
    const endpoint = cap.one(ENDPOINT);
    expect(endpoint.parent).toBe(cap.one("activepieces:network:Network").urn);
    expect(endpoint.provider).toMatch(/pulumi:providers:aws::aws::aws-provider-id$/);
  });

  it("is not an Interface endpoint: no subnets, security groups or private DNS", async () => {
    const { cap } = await run(STAGING);
    const inputs = cap.one(ENDPOINT).inputs;
    expect(inputs.subnetIds).toBeUndefined();
    expect(inputs.securityGroupIds).toBeUndefined();
    expect(inputs.privateDnsEnabled).toBeUndefined();
  });
});

describe("Network outputs (new VPC)", () => {
  it("passes through the VPC's ids and the planned CIDR", async () => {
    const { cap, network } = await run(PROD);
    const vpc = cap.one(VPC).outputs;
    expect(await valueOf(network.vpcId)).toBe(vpc.vpcId);
    expect(await valueOf(network.privateSubnetIds)).toEqual(vpc.privateSubnetIds);
    expect(await valueOf(network.publicSubnetIds)).toEqual(vpc.publicSubnetIds);
    expect(await valueOf(network.vpcCidr)).toBe("10.40.0.0/16");
  });
});

describe("existing VPC", () => {
  it("creates no VPC and, by default, no endpoint", async () => {
    const { cap } = await run(EXISTING);
    expect(cap.ofType(VPC)).toEqual([]);
    expect(cap.ofType(ENDPOINT)).toEqual([]);
    expect(cap.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))).toEqual([]);
  });

  it("outputs the given ids and the VPC's CIDR as AWS reports it", async () => {
    const { network } = await run(EXISTING);
    expect(await valueOf(network.vpcId)).toBe("vpc-0a1b2c3d4e5f60718");
    expect(await valueOf(network.privateSubnetIds)).toEqual(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]);
    expect(await valueOf(network.publicSubnetIds)).toEqual(["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]);
    expect(await valueOf(network.vpcCidr)).toBe("10.20.0.0/16");
  });

  it("adds the S3 endpoint on the given private subnets' route tables when asked", async () => {
    const { cap } = await run(EXISTING, { s3GatewayEndpoint: true }, "us-east-1");
    expect(cap.one(ENDPOINT).inputs).toMatchObject({
      vpcEndpointType: "Gateway",
      serviceName: "com.amazonaws.us-east-1.s3",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      routeTableIds: ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa2"],
    });
  });
});

describe("natStrategy", () => {
  it("maps 1 NAT to Single, one per AZ to OnePerAz, 0 to None", () => {
    expect(natStrategy(1, 2)).toBe("Single");
    expect(natStrategy(1, 3)).toBe("Single");
    expect(natStrategy(3, 3)).toBe("OnePerAz");
    expect(natStrategy(0, 2)).toBe("None");
  });

  it("rejects a count awsx cannot build, naming the key and what is allowed", () => {
    expect(() => natStrategy(2, 3)).toThrow("network.natGateways: 2 NAT gateways for 3 AZs; allowed 0, 1 or 3 (one per AZ)");
  });
});
