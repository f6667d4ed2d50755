/**
 * Realistic outputs for the resources and invokes the program reads, so applies run and
 * ARNs, arnSuffix values, subnet ids and endpoints look like AWS's. Unknown invokes throw:
 * a program that starts calling a new data source must say what it expects back.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

export const ACCOUNT = "123456789012";
const DEFAULT_REGION = "us-east-1";

function hex(seed: string, len: number): string {
  let out = "";
  for (let i = 0; out.length < len; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
  return out.slice(0, len);
}

function regionOf(inputs: Record<string, unknown>): string {
  return typeof inputs.region === "string" ? inputs.region : DEFAULT_REGION;
}

type State = Record<string, unknown>;

function awsState(type: string, name: string, inputs: State): { id: string; state: State } {
  const region = regionOf(inputs);
  const arn = (svc: string, resource: string, withRegion = true) => `arn:aws:${svc}:${withRegion ? region : ""}:${ACCOUNT}:${resource}`;
  const physical = typeof inputs.name === "string" ? inputs.name : `${name}-${hex(name, 7)}`;
  switch (type) {
    case "aws:secretsmanager/secret:Secret":
      return {
        id: arn("secretsmanager", `secret:${physical}-${hex(name, 6)}`),
        state: { arn: arn("secretsmanager", `secret:${physical}-${hex(name, 6)}`), name: physical },
      };
    case "aws:secretsmanager/secretVersion:SecretVersion":
      return { id: `${String(inputs.secretId)}|${hex(name, 8)}`, state: { versionId: hex(name, 32), arn: inputs.secretId } };
    case "aws:lb/loadBalancer:LoadBalancer": {
      const suffix = `app/${physical.slice(0, 32)}/${hex(name, 16)}`;
      return {
        id: arn("elasticloadbalancing", `loadbalancer/${suffix}`),
        state: {
          arn: arn("elasticloadbalancing", `loadbalancer/${suffix}`),
          arnSuffix: suffix,
          dnsName: `${physical}-${hex(name, 9)}.${region}.elb.amazonaws.com`,
          zoneId: "Z35SXDOTRQ7X7K",
        },
      };
    }
    case "aws:lb/targetGroup:TargetGroup": {
      const suffix = `targetgroup/${physical.slice(0, 32)}/${hex(name, 16)}`;
      return { id: arn("elasticloadbalancing", suffix), state: { arn: arn("elasticloadbalancing", suffix), arnSuffix: suffix, name: physical } };
    }
    case "aws:lb/listener:Listener":
      return { id: arn("elasticloadbalancing", `listener/${hex(name, 16)}`), state: { arn: arn("elasticloadbalancing", `listener/${hex(name, 16)}`) } };
    case "aws:rds/instance:Instance": {
      const identifier = typeof inputs.identifier === "string" ? inputs.identifier : physical;
      return {
        id: identifier,
        state: {
          identifier,
          arn: arn("rds", `db:${identifier}`),
          address: `${identifier}.${hex(name, 12)}.${region}.rds.amazonaws.com`,
          endpoint: `${identifier}.${hex(name, 12)}.${region}.rds.amazonaws.com:5432`,
          port: 5432,
          masterUserSecrets: inputs.manageMasterUserPassword
            ? [
                {
                  secretArn: arn("secretsmanager", `secret:rds!db-${hex(name, 8)}-${hex(name, 6)}`),
                  secretStatus: "active",
                  kmsKeyId: arn("kms", `key/${hex(name, 8)}`),
                },
              ]
            : [],
        },
      };
    }
    case "aws:elasticache/replicationGroup:ReplicationGroup": {
      const id = typeof inputs.replicationGroupId === "string" ? inputs.replicationGroupId : physical;
      return {
        id,
        state: {
          arn: arn("elasticache", `replicationgroup:${id}`),
          primaryEndpointAddress: `master.${id}.${hex(name, 6)}.use1.cache.amazonaws.com`,
          readerEndpointAddress: `replica.${id}.${hex(name, 6)}.use1.cache.amazonaws.com`,
          port: 6379,
          memberClusters: [`${id}-001`, `${id}-002`],
        },
      };
    }
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = typeof inputs.bucket === "string" ? inputs.bucket : `${physical}`.toLowerCase();
      return {
        id: bucket,
        state: { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegion: region, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` },
      };
    }
    case "aws:elasticache/parameterGroup:ParameterGroup":
    case "aws:rds/parameterGroup:ParameterGroup":
      // Pulumi auto-names these (`name` input); the cache/database references them by that name.
      return {
        id: physical.toLowerCase(),
        state: { name: physical.toLowerCase(), arn: arn(type.split(":")[1]!.split("/")[0]!, `pg:${physical.toLowerCase()}`) },
      };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { id: `sg-${hex(name, 17)}`, state: { arn: arn("ec2", `security-group/sg-${hex(name, 17)}`) } };
    case "aws:ec2/vpc:Vpc":
      return { id: `vpc-${hex(name, 17)}`, state: {} };
    case "aws:ec2/subnet:Subnet":
      return { id: `subnet-${hex(name, 17)}`, state: {} };
    case "aws:ecs/cluster:Cluster":
      return { id: arn("ecs", `cluster/${physical}`), state: { arn: arn("ecs", `cluster/${physical}`), name: physical } };
    case "aws:ecs/service:Service":
      return { id: arn("ecs", `service/${physical}`), state: { name: physical, arn: arn("ecs", `service/${physical}`) } };
    case "aws:ecs/taskDefinition:TaskDefinition":
      return { id: physical, state: { arn: arn("ecs", `task-definition/${physical}:1`), family: inputs.family ?? physical, revision: 1 } };
    case "aws:iam/role:Role":
      return { id: physical, state: { arn: arn("iam", `role/${physical}`, false), name: physical, uniqueId: `AROA${hex(name, 17).toUpperCase()}` } };
    case "aws:iam/policy:Policy":
      return { id: arn("iam", `policy/${physical}`, false), state: { arn: arn("iam", `policy/${physical}`, false), name: physical } };
    case "aws:lambda/function:Function":
      return { id: physical, state: { arn: arn("lambda", `function:${physical}`), name: physical, invokeArn: arn("lambda", `function:${physical}`) } };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: physical, state: { arn: arn("logs", `log-group:${physical}`), name: physical } };
    case "aws:cloudwatch/dashboard:Dashboard": {
      const board = typeof inputs.dashboardName === "string" ? inputs.dashboardName : physical;
      return { id: board, state: { dashboardArn: arn("cloudwatch", `dashboard/${board}`, false) } };
    }
    case "aws:kms/key:Key":
      return { id: hex(name, 8), state: { arn: arn("kms", `key/${hex(name, 8)}`), keyId: hex(name, 8) } };
    case "aws:eks/cluster:Cluster":
      return {
        id: physical,
        state: {
          arn: arn("eks", `cluster/${physical}`),
          name: physical,
          endpoint: `https://${hex(name, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
          certificateAuthority: { data: Buffer.from("mock-ca").toString("base64") },
          identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${hex(name, 32).toUpperCase()}` }] }],
          vpcConfig: { clusterSecurityGroupId: `sg-${hex(name + "c", 17)}` },
        },
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { id: `lt-${hex(name, 17)}`, state: { arn: arn("ec2", `launch-template/lt-${hex(name, 17)}`), latestVersion: 1, defaultVersion: 1 } };
    case "aws:eks/addon:Addon":
      return {
        id: `${String(inputs.clusterName)}:${String(inputs.addonName)}`,
        state: { arn: arn("eks", `addon/${String(inputs.clusterName)}/${String(inputs.addonName)}/${hex(name, 8)}`), addonVersion: "v1.0.0-eksbuild.1" },
      };
    case "aws:eks/podIdentityAssociation:PodIdentityAssociation":
      return {
        id: `a-${hex(name, 17)}`,
        state: { associationId: `a-${hex(name, 17)}`, associationArn: arn("eks", `podidentityassociation/${String(inputs.clusterName)}/a-${hex(name, 17)}`) },
      };
    case "aws:eks/nodeGroup:NodeGroup":
      return { id: `${physical}`, state: { arn: arn("eks", `nodegroup/${physical}`) } };
    default:
      return { id: `${name}-${hex(name, 8)}`, state: { arn: arn(type.split(":")[1]?.split("/")[0] ?? "x", `${physical}`) } };
  }
}

function otherState(type: string, name: string, inputs: State): { id: string; state: State } | undefined {
  switch (type) {
    case "random:index/randomId:RandomId": {
      const bytes = typeof inputs.byteLength === "number" ? inputs.byteLength : 16;
      const h = hex(name, bytes * 2);
      return {
        id: Buffer.from(h, "hex").toString("base64url"),
        state: {
          hex: h,
          b64Std: Buffer.from(h, "hex").toString("base64"),
          b64Url: Buffer.from(h, "hex").toString("base64url"),
          dec: BigInt(`0x${h}`).toString(),
        },
      };
    }
    case "random:index/randomPassword:RandomPassword":
    case "random:index/randomString:RandomString": {
      const len = typeof inputs.length === "number" ? inputs.length : 32;
      return { id: "none", state: { result: hex(name, len) } };
    }
    case "random:index/randomUuid:RandomUuid": {
      const h = hex(name, 32);
      return {
        id: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`,
        state: { result: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}` },
      };
    }
    case "awsx:ec2:Vpc": {
      const azs = typeof inputs.numberOfAvailabilityZones === "number" ? inputs.numberOfAvailabilityZones : 2;
      const ids = (kind: string) => Array.from({ length: azs }, (_, i) => `subnet-${hex(`${name}-${kind}-${i}`, 17)}`);
      return {
        id: `vpc-${hex(name, 17)}`,
        state: {
          vpcId: `vpc-${hex(name, 17)}`,
          privateSubnetIds: ids("private"),
          publicSubnetIds: ids("public"),
          isolatedSubnetIds: [],
          vpc: { cidrBlock: inputs.cidrBlock ?? "10.0.0.0/16" },
        },
      };
    }
    default:
      return undefined;
  }
}

/** Region of each explicit AWS provider by its id, so ARNs and endpoints carry the provider's region. */
const providerRegions = new Map<string, string>();

/**
 * Forgets what earlier runs registered. capture() calls it before every run: a worker process runs
 * many captures (and, with vitest's `isolate: false`, many test files), and a provider id seen in
 * one run must not lend its region to another.
 */
export function resetMocks(): void {
  providerRegions.clear();
}

function providerRegion(providerRef: string | undefined): string | undefined {
  return providerRef ? providerRegions.get(providerRef.slice(providerRef.lastIndexOf("::") + 2)) : undefined;
}

/** Inputs with the region AWS would use: the resource's own, else its provider's. */
function withProviderRegion(inputs: State, providerRef: string | undefined): State {
  const region = providerRegion(providerRef);
  return inputs.region === undefined && region ? { ...inputs, region } : inputs;
}

export function mockOutputs(args: pulumi.runtime.MockResourceArgs, _preview: boolean): { id: string; state: State } {
  const inputs = (args.inputs ?? {}) as State;
  if (args.type.startsWith("pulumi:providers:")) {
    const id = `${args.name}-provider-id`;
    if (args.type === "pulumi:providers:aws" && typeof inputs.region === "string") providerRegions.set(id, inputs.region);
    return { id, state: inputs };
  }
  const other = otherState(args.type, args.name, inputs);
  if (other) return { id: other.id, state: { ...inputs, ...other.state } };
  if (args.type.startsWith("aws:")) {
    const r = awsState(args.type, args.name, withProviderRegion(inputs, args.provider));
    return { id: r.id, state: { ...inputs, ...r.state } };
  }
  return { id: `${args.name}-id`, state: inputs };
}

export function mockCall(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  const inputs = withProviderRegion((args.inputs ?? {}) as State, args.provider);
  switch (args.token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mock`, userId: "AIDAMOCK" };
    case "aws:index/getRegion:getRegion":
      return { name: regionOf(inputs), region: regionOf(inputs), id: regionOf(inputs) };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: ["a", "b", "c"].map((z) => `${regionOf(inputs)}${z}`), zoneIds: ["az1", "az2", "az4"].map((z) => `${regionOf(inputs)}-${z}`) };
    case "aws:ec2/getVpc:getVpc":
      return { id: inputs.id, cidrBlock: "10.20.0.0/16" };
    case "aws:ec2/getRouteTables:getRouteTables": {
      // One route table per subnet named in an `association.subnet-id` filter (awsx gives each subnet
      // its own); its id reuses the subnet's hex part so tests can tell which subnet it serves.
      const filters = Array.isArray(inputs.filters) ? (inputs.filters as { name: string; values: string[] }[]) : [];
      const subnets = filters.find((f) => f.name === "association.subnet-id")?.values ?? [];
      const ids = subnets.length > 0 ? subnets.map((s) => s.replace(/^subnet-/, "rtb-")) : [`rtb-${hex(String(inputs.vpcId), 17)}`];
      return { id: regionOf(inputs), ids, vpcId: inputs.vpcId, filters };
    }
    default:
      throw new Error(`unexpected invoke ${args.token} in mocks; add a realistic result to offline/mocks.ts`);
  }
}
