import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Queue, redisFamily } from "../../components/queue";
import type { RedisPlan } from "../../sizing/types";
import { capture, type Capture } from "../../offline/capture";

const PROD_PLAN = {
  nodeType: "cache.t4g.small",
  replicas: 1,
  engineVersion: "7.1",
  multiAz: true,
  maxmemoryPolicy: "noeviction",
  applyImmediately: false,
} as const satisfies RedisPlan;
const STAGING_PLAN = {
  nodeType: "cache.t4g.micro",
  replicas: 0,
  engineVersion: "7.1",
  multiAz: false,
  maxmemoryPolicy: "noeviction",
  applyImmediately: true,
} as const satisfies RedisPlan;

const SECRET_ENVELOPE = "4dabf18193072939515e22adb298388d";
const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
const APP_SG = "sg-0123456789abcdef0";
const TOKEN = "k3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3yK3y";

async function run(plan: RedisPlan): Promise<{ cap: Capture; queue: Queue }> {
  let queue!: Queue;
  const cap = await capture(() => {
    const provider = new aws.Provider("aws", { region: "us-east-1" });
    queue = new Queue(
      "redis",
      {
        plan,
        namePrefix: "ap-test",
        vpcId: "vpc-0a1b2c3d4e5f60718",
        subnetIds: SUBNETS,
        authToken: pulumi.secret(TOKEN),
      },
      { providers: [provider] },
    );
    queue.allowFrom("redis-from-app", APP_SG);
  });
  return { cap, queue };
}

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) =>
    o.apply((v) => {
      resolve(v);
      return v;
    }),
  );
}

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const SG = "aws:ec2/securityGroup:SecurityGroup";
let prod: Awaited<ReturnType<typeof run>>;
let staging: Awaited<ReturnType<typeof run>>;
beforeAll(async () => {
  prod = await run(PROD_PLAN);
  staging = await run(STAGING_PLAN);
});

describe("replication group", () => {
  it("requires TLS in transit, encrypts at rest and sets the auth token", () => {
    const inputs = prod.cap.one(GROUP).inputs;
    expect(inputs).toMatchObject({ transitEncryptionEnabled: true, atRestEncryptionEnabled: true });
    // Unset means "required" at creation; "preferred" would also accept plaintext clients.
    expect(inputs).not.toHaveProperty("transitEncryptionMode");
  });

  it("receives the auth token as a secret, never in plain text", () => {
    expect(prod.cap.one(GROUP).rawInputs.authToken).toEqual({ [SECRET_ENVELOPE]: "1b47061264138c4ac30d75fd1eb44270", value: TOKEN });
  });

  it("runs Redis with cluster mode off: one shard, no node groups", () => {
    const inputs = prod.cap.one(GROUP).inputs;
    expect(inputs).toMatchObject({ engine: "redis", engineVersion: "7.1", nodeType: "cache.t4g.small", clusterMode: "disabled", port: 6379 });
    expect(inputs).not.toHaveProperty("numNodeGroups");
    expect(inputs).not.toHaveProperty("replicasPerNodeGroup");
  });

  it("prod: a primary and a replica with automatic Multi-AZ failover", () => {
    expect(prod.cap.one(GROUP).inputs).toMatchObject({ numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true });
  });

  it("staging: a single node without failover", () => {
    expect(staging.cap.one(GROUP).inputs).toMatchObject({ numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false });
  });

  it("prod waits for the maintenance window; staging applies changes during pulumi up", () => {
    expect(prod.cap.one(GROUP).inputs.applyImmediately).toBe(false);
    expect(staging.cap.one(GROUP).inputs.applyImmediately).toBe(true);
  });

  it("is auto-named: no fixed replication group id to collide on a replacement", () => {
    expect(prod.cap.one(GROUP).inputs).not.toHaveProperty("replicationGroupId");
  });

  it("uses its own subnet group, parameter group and security group", () => {
    const inputs = prod.cap.one(GROUP).inputs;
    expect(inputs.subnetGroupName).toBe(prod.cap.one("aws:elasticache/subnetGroup:SubnetGroup").outputs.name);
    expect(inputs.parameterGroupName).toBe(prod.cap.one("aws:elasticache/parameterGroup:ParameterGroup").outputs.name);
    expect(inputs.securityGroupIds).toEqual([prod.cap.one(SG).id]);
  });
});

describe("cache parameter group", () => {
  it("sets maxmemory-policy noeviction (BullMQ) in the redis7 family", () => {
    expect(prod.cap.one("aws:elasticache/parameterGroup:ParameterGroup").inputs).toMatchObject({
      family: "redis7",
      parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
    });
  });
});

describe("cache subnet group", () => {
  it("uses the given private subnets", () => {
    expect(prod.cap.one("aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(SUBNETS);
  });
});

describe("cache security group", () => {
  it("has no inline ingress or egress rules", () => {
    const inputs = prod.cap.one(SG).inputs;
    expect(inputs.vpcId).toBe("vpc-0a1b2c3d4e5f60718");
    expect(inputs).not.toHaveProperty("ingress");
    expect(inputs).not.toHaveProperty("egress");
  });
});

describe("allowFrom", () => {
  it("opens 6379/tcp to exactly the given security group, no CIDR", () => {
    const rule = prod.cap.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rule.inputs).toEqual({
      securityGroupId: prod.cap.one(SG).id,
      referencedSecurityGroupId: APP_SG,
      ipProtocol: "tcp",
      fromPort: 6379,
      toPort: 6379,
      description: "Redis from an allowed security group",
    });
  });
});

describe("Queue outputs", () => {
  it("exposes the primary endpoint, port, group id, members and security group", async () => {
    const group = prod.cap.one(GROUP);
    expect(await valueOf(prod.queue.primaryEndpoint)).toBe(group.outputs.primaryEndpointAddress);
    expect(await valueOf(prod.queue.primaryEndpoint)).toMatch(/^master\..+\.cache\.amazonaws\.com$/);
    expect(await valueOf(prod.queue.port)).toBe(6379);
    expect(await valueOf(prod.queue.replicationGroupId)).toBe(group.id);
    expect(await valueOf(prod.queue.memberClusterIds)).toEqual(group.outputs.memberClusters);
    expect(await valueOf(prod.queue.securityGroupId)).toBe(prod.cap.one(SG).id);
  });
});

describe("redisFamily", () => {
  it("maps engine versions to parameter group families", () => {
    expect(redisFamily("7.1")).toBe("redis7");
    expect(redisFamily("7.0")).toBe("redis7");
    expect(redisFamily("6.2")).toBe("redis6.x");
  });

  it("rejects versions without a known family", () => {
    expect(() => redisFamily("5.0")).toThrow('redis.engineVersion: "5.0" is not supported; allowed 6.x or 7.x and later');
  });
});
