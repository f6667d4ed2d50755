import { describe, expect, it } from "vitest";
import { checkStackExport } from "../../policies/engine/check";
import { ecsStack, eksStack } from "./baseline";
import { withEnvironment } from "./environments";
import { check, edit, editContainers, expectOne, find, onStack, resource, setEnv, stackExport } from "./support";

const TD = "aws:ecs/taskDefinition:TaskDefinition";
const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";

describe("require-valid-fargate-size", () => {
  it("rejects 1 vCPU with 1 GiB, which Fargate does not offer", async () => {
    const v = await check(
      edit(ecsStack(), TD, "ap-app", (p) => {
        p.memory = "1024";
      }),
    );
    expectOne(v, "require-valid-fargate-size", 'Fargate task definition "ap-app" asks for cpu 1024 with memory 1024 MiB');
    expect(v[0]!.message).toContain("memory for cpu 1024 must be 2048..8192 MiB in steps of 1024");
  });

  it("accepts ECS's vCPU/GB spelling of a valid pair", async () => {
    expect(
      await check(
        edit(ecsStack(), TD, "ap-app", (p) => {
          p.cpu = "1 vCPU";
          p.memory = "2 GB";
        }),
      ),
    ).toEqual([]);
  });

  it("rejects a Fargate task definition without task-level memory", async () => {
    const v = await check(
      edit(ecsStack(), TD, "ap-worker", (p) => {
        delete p.memory;
      }),
    );
    expectOne(v, "require-valid-fargate-size", "has no usable task-level memory (unset); Fargate requires both");
  });

  it("ignores EC2-only task definitions", async () => {
    // The service must launch it on EC2 capacity too: a FARGATE_SPOT service would run it on Fargate (scopes.test.ts).
    const ec2 = edit(ecsStack(), "aws:ecs/service:Service", "ap-worker", (p) => {
      p.capacityProviderStrategies = [{ capacityProvider: "ap-ec2-asg", weight: 1, base: 0 }];
    });
    expect(
      await check(
        edit(ec2, TD, "ap-worker", (p) => {
          p.requiresCompatibilities = ["EC2"];
          p.memory = "1000";
        }),
      ),
    ).toEqual([]);
  });
});

describe("disallow-sandbox-process-on-fargate", () => {
  it("rejects SANDBOX_CODE_AND_PROCESS on a Fargate worker", async () => {
    const v = await check(editContainers(ecsStack(), "ap-worker", ([w]) => setEnv(w!, "AP_EXECUTION_MODE", "SANDBOX_CODE_AND_PROCESS")));
    expectOne(
      v,
      "disallow-sandbox-process-on-fargate",
      'Container "worker" of Fargate task definition "ap-worker" sets AP_EXECUTION_MODE=SANDBOX_CODE_AND_PROCESS',
    );
  });

  it("rejects SANDBOX_PROCESS too", async () => {
    const v = await check(editContainers(ecsStack(), "ap-app", ([a]) => setEnv(a!, "AP_EXECUTION_MODE", "SANDBOX_PROCESS")));
    expectOne(v, "disallow-sandbox-process-on-fargate", "AP_EXECUTION_MODE=SANDBOX_PROCESS, which needs a privileged container");
  });
});

describe("require-pinned-image", () => {
  it("rejects the latest tag", async () => {
    const v = await check(
      editContainers(ecsStack(), "ap-app", ([a]) => {
        a!.image = "activepieces/activepieces:latest";
      }),
    );
    const policies = v.map((x) => x.policy).sort();
    // A moving app image also differs from the workers' pinned one.
    expect(policies).toEqual(["require-pinned-image", "require-same-image-app-worker"]);
    expect(v.find((x) => x.policy === "require-pinned-image")!.message).toContain('runs image "activepieces/activepieces:latest", which uses the `latest` tag');
  });

  it("rejects an untagged image on a Kubernetes Deployment", async () => {
    const v = await check(
      edit(eksStack(), "kubernetes:apps/v1:Deployment", "ap-worker", (p) => {
        (p.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image =
          "registry.example.com:5000/tools/otel-collector";
      }),
    );
    expect(v.find((x) => x.policy === "require-pinned-image")!.message).toContain(
      '"registry.example.com:5000/tools/otel-collector", which has no tag, so it pulls `latest`',
    );
  });

  it("accepts a digest", async () => {
    const digest = "ghcr.io/activepieces/activepieces@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const stack = editContainers(
      editContainers(ecsStack(), "ap-app", ([a]) => {
        a!.image = digest;
      }),
      "ap-worker",
      ([w]) => {
        w!.image = digest;
      },
    );
    expect(await check(stack)).toEqual([]);
  });
});

describe("require-same-image-app-worker", () => {
  it("rejects workers on another release than the app", async () => {
    const v = await check(
      editContainers(ecsStack(), "ap-worker", ([w]) => {
        w!.image = "ghcr.io/activepieces/activepieces:0.78.2";
      }),
    );
    expectOne(v, "require-same-image-app-worker", "app ghcr.io/activepieces/activepieces:0.79.0");
    expect(v[0]!.message).toContain("workers ghcr.io/activepieces/activepieces:0.78.2");
  });

  it("treats the same tag from Docker Hub and ghcr.io as the same image", async () => {
    expect(
      await check(
        editContainers(ecsStack(), "ap-worker", ([w]) => {
          w!.image = "activepieces/activepieces:0.79.0";
        }),
      ),
    ).toEqual([]);
  });
});

describe("require-redis-encryption", () => {
  it("rejects a replication group without transit encryption", async () => {
    const v = await check(
      edit(ecsStack(), REDIS, "ap-redis", (p) => {
        p.transitEncryptionEnabled = false;
      }),
    );
    expectOne(v, "require-redis-encryption", 'ElastiCache replication group "ap-redis" does not enable transit encryption');
  });

  it("rejects transit encryption in preferred mode", async () => {
    const v = await check(
      edit(ecsStack(), REDIS, "ap-redis", (p) => {
        p.transitEncryptionMode = "preferred";
      }),
    );
    expectOne(v, "require-redis-encryption", 'transitEncryptionMode "preferred", which still accepts unencrypted connections');
  });

  it("rejects a replication group without at-rest encryption", async () => {
    const v = await check(
      edit(ecsStack(), REDIS, "ap-redis", (p) => {
        delete p.atRestEncryptionEnabled;
      }),
    );
    expectOne(v, "require-redis-encryption", "does not enable at-rest encryption");
  });
});

describe("require-redis-noeviction", () => {
  it("rejects the default parameter group (volatile-lru)", async () => {
    const v = await check(
      edit(ecsStack(), REDIS, "ap-redis", (p) => {
        delete p.parameterGroupName;
      }),
    );
    expectOne(v, "require-redis-noeviction", "uses the default parameter group, whose maxmemory-policy is volatile-lru");
  });

  it("rejects a custom group with another eviction policy", async () => {
    const v = await check(
      edit(ecsStack(), "aws:elasticache/parameterGroup:ParameterGroup", "ap-redis-params", (p) => {
        p.parameters = [{ name: "maxmemory-policy", value: "allkeys-lru" }];
      }),
    );
    expectOne(v, "require-redis-noeviction", 'uses parameter group "ap-redis-params-0a1b2c3" with maxmemory-policy allkeys-lru');
  });

  it("gives an advisory when the group lives outside the stack", async () => {
    const v = await check(
      edit(ecsStack(), REDIS, "ap-redis", (p) => {
        p.parameterGroupName = "shared-redis7";
      }),
    );
    expectOne(v, "require-redis-noeviction", 'its parameter group "shared-redis7" is not in this stack', "advisory");
  });
});

describe("RDS hardening", () => {
  it("require-rds-storage-encryption rejects unencrypted storage", async () => {
    const v = await check(
      edit(ecsStack(), RDS, "ap-db", (p) => {
        p.storageEncrypted = false;
      }),
    );
    expectOne(v, "require-rds-storage-encryption", 'RDS instance "ap-db" does not set `storageEncrypted: true`');
  });

  it("disallow-rds-public-access rejects a public instance", async () => {
    const v = await check(
      edit(ecsStack(), RDS, "ap-db", (p) => {
        p.publiclyAccessible = true;
      }),
    );
    expectOne(v, "disallow-rds-public-access", 'RDS instance "ap-db" sets `publiclyAccessible: true`');
  });

  it("require-rds-backup-retention rejects fewer than 7 days and the API default", async () => {
    expectOne(
      await check(
        edit(ecsStack(), RDS, "ap-db", (p) => {
          p.backupRetentionPeriod = 3;
        }),
      ),
      "require-rds-backup-retention",
      "keeps backups for 3 day(s), fewer than 7",
    );
    expectOne(
      await check(
        edit(ecsStack(), RDS, "ap-db", (p) => {
          delete p.backupRetentionPeriod;
        }),
      ),
      "require-rds-backup-retention",
      "keeps backups for the API default of 1 day",
    );
  });

  it("require-rds-deletion-protection applies to protected stacks only", async () => {
    const stack = edit(ecsStack(), RDS, "ap-db", (p) => {
      p.deletionProtection = false;
    });
    expect(await check(stack)).toEqual([]);
    // Protection follows the environment the stack declares (provider default tags), not its name (protection.test.ts).
    const prod = (await checkStackExport(onStack(withEnvironment(stackExport(stack), "prod"), "prod"))).violations;
    expectOne(prod, "require-rds-deletion-protection", 'RDS instance "ap-db" on protected stack "prod" does not set `deletionProtection: true`');
    const custom = (await checkStackExport(onStack(stackExport(stack), "live-eu"), { "require-rds-deletion-protection": { protectedStacks: ["live-*"] } }))
      .violations;
    expectOne(custom, "require-rds-deletion-protection", 'on protected stack "live-eu"');
  });
});

describe("S3 public access and encryption", () => {
  it("require-s3-public-access-block rejects a bucket without a block", async () => {
    const v = await check(ecsStack().filter((r) => r.type !== "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"));
    expectOne(v, "require-s3-public-access-block", 'S3 bucket "ap-files" has no public access block');
  });

  it("require-s3-public-access-block names the settings left off", async () => {
    const v = await check(
      edit(ecsStack(), "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "ap-files-pab", (p) => {
        p.restrictPublicBuckets = false;
      }),
    );
    expectOne(v, "require-s3-public-access-block", 'The public access block of S3 bucket "ap-files" leaves restrictPublicBuckets off');
  });

  it("require-s3-public-access-block links block and bucket through the dependency when the name is unknown in preview", async () => {
    const stack = ecsStack();
    const bucket = find(stack, "aws:s3/bucket:Bucket", "ap-files");
    const pab = find(stack, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "ap-files-pab");
    const sse = find(stack, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "ap-files-sse");
    for (const r of [pab, sse]) {
      r.outputs!.bucket = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
      r.propertyDependencies = { bucket: [bucket.urn] };
    }
    expect(await check(stack)).toEqual([]);
  });

  it("require-s3-encryption rejects a bucket with no encryption configuration", async () => {
    const v = await check(ecsStack().filter((r) => !r.type.startsWith("aws:s3/bucketServerSideEncryptionConfiguration")));
    expectOne(v, "require-s3-encryption", 'S3 bucket "ap-files" declares no default server-side encryption');
  });

  it("require-s3-encryption accepts the V2 configuration token", async () => {
    const stack = ecsStack().map((r) =>
      r.type.startsWith("aws:s3/bucketServerSideEncryptionConfiguration")
        ? {
            ...r,
            type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            urn: r.urn.replace(
              "BucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
              "BucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            ),
          }
        : r,
    );
    expect(await check(stack)).toEqual([]);
  });
});

describe("disallow-open-database-ingress", () => {
  it("rejects 0.0.0.0/0 on 5432 in an inline security group rule", async () => {
    const v = await check(
      edit(ecsStack(), "aws:ec2/securityGroup:SecurityGroup", "ap-db-sg", (p) => {
        p.ingress = [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }];
      }),
    );
    expectOne(v, "disallow-open-database-ingress", 'aws:ec2/securityGroup:SecurityGroup "ap-db-sg" allows ingress from 0.0.0.0/0 to port 5432');
  });

  it("rejects ::/0 on 6379 in a VPC ingress rule", async () => {
    const v = await check(
      edit(ecsStack(), "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ap-redis-from-app", (p) => {
        delete p.referencedSecurityGroupId;
        p.cidrIpv6 = "::/0";
      }),
    );
    expectOne(v, "disallow-open-database-ingress", "allows ingress from ::/0 to port 6379");
  });

  it("rejects an all-protocols SecurityGroupRule open to the internet", async () => {
    const v = await check(
      edit(ecsStack(), "aws:ec2/securityGroupRule:SecurityGroupRule", "ap-db-from-vpc", (p) => {
        p.protocol = "-1";
        p.fromPort = 0;
        p.toPort = 0;
        p.cidrBlocks = ["0.0.0.0/0"];
      }),
    );
    expectOne(v, "disallow-open-database-ingress", "allows ingress from 0.0.0.0/0 to port 5432, 6379");
  });

  it("leaves web ports open to the internet alone", async () => {
    const sg = find(ecsStack(), "aws:ec2/securityGroup:SecurityGroup", "ap-alb-sg");
    // With the load balancer that uses it, so limit-public-ingress-to-load-balancers sees whose group it is.
    expect(await check([sg, find(ecsStack(), "aws:lb/loadBalancer:LoadBalancer", "ap-alb")])).toEqual([]);
  });
});

describe("require-https-alb-listener", () => {
  it("advises against a plain HTTP listener that forwards", async () => {
    const v = await check(
      edit(ecsStack(), "aws:lb/listener:Listener", "ap-http", (p) => {
        p.defaultActions = [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ap/3c4d" }];
      }),
    );
    expectOne(v, "require-https-alb-listener", 'Listener "ap-http" serves plain HTTP on port 80', "advisory");
  });

  it("accepts an HTTP listener that only redirects to HTTPS", async () => {
    const listeners = ecsStack().filter((r) => r.type === "aws:lb/listener:Listener");
    expect(listeners).toHaveLength(2);
    expect(await check(listeners)).toEqual([]);
  });
});

describe("stacks without ActivePieces", () => {
  it("judge a generic web service only by the platform rules", async () => {
    const generic = resource("aws:ecs/taskDefinition:TaskDefinition", "web", {
      family: "web",
      cpu: "256",
      memory: "512",
      requiresCompatibilities: ["FARGATE"],
      containerDefinitions: JSON.stringify([{ name: "web", image: "nginx:1.27", environment: [{ name: "NGINX_PORT", value: "8080" }] }]),
    });
    expect(await check([generic])).toEqual([]);
  });
});
