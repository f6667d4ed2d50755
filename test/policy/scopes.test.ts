/**
 * Scopes that used to be too narrow: Fargate known only from requiresCompatibilities, Redis only
 * as a replication group, database ports from a fixed list. Each case is a compliant stack of
 * another team plus one change, asserting the one message that follows.
 */
import { describe, expect, it } from "vitest";
import { ecsStack } from "./baseline";
import { checkIn, webStack } from "./other-teams";
import { UNKNOWN, check, edit, editContainers, expectOne, find, resource, setEnv } from "./support";

const TD = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const RDS = "aws:rds/instance:Instance";

describe("Fargate recognised by how a task definition is launched", () => {
  it("the compliant web stack, whose task definition names no launch type, passes", async () => {
    expect(await checkIn(webStack())).toEqual([]);
  });

  it("rejects an invalid size when only the service's launchType says FARGATE", async () => {
    const v = await checkIn(
      edit(webStack(), TD, "web-task", (p) => {
        p.memory = "3000";
      }),
    );
    const hit = expectOne(
      v,
      "require-valid-fargate-size",
      'Fargate task definition "web-task" asks for cpu 512 with memory 3000 MiB, which Fargate does not offer (aws:ecs/service:Service "web" runs it with launchType FARGATE)',
    );
    expect(hit.urn).toBe("urn:pulumi:dev::shop::aws:ecs/taskDefinition:TaskDefinition::web-task");
  });

  it("rejects an EC2-only task definition that a FARGATE_SPOT capacity provider runs", async () => {
    const v = await check(
      edit(ecsStack(), TD, "ap-worker", (p) => {
        p.requiresCompatibilities = ["EC2"];
        p.memory = "1000";
      }),
    );
    expectOne(
      v,
      "require-valid-fargate-size",
      'asks for cpu 512 with memory 1000 MiB, which Fargate does not offer (aws:ecs/service:Service "ap-worker" runs it with capacity provider FARGATE_SPOT)',
    );
  });

  it("follows the cluster's default capacity provider strategy when the service names none", async () => {
    const stack = edit(webStack(), SERVICE, "web", (p) => {
      delete p.launchType;
    });
    expect(await checkIn(stack)).toEqual([]);
    const defaults = resource("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "shop-capacity", {
      clusterName: "shop-4f3a2b1",
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }],
    });
    const v = await checkIn([
      ...edit(stack, TD, "web-task", (p) => {
        p.cpu = "384";
      }),
      defaults,
    ]);
    expectOne(v, "require-valid-fargate-size", 'with the default capacity provider strategy of cluster "shop-4f3a2b1": FARGATE');
  });

  it("links service and task definition through the dependency when the ARN is unknown in preview", async () => {
    const stack = edit(webStack(), TD, "web-task", (p) => {
      p.memory = "3000";
    });
    const svc = find(stack, SERVICE, "web");
    svc.outputs!.taskDefinition = UNKNOWN;
    svc.propertyDependencies = { taskDefinition: [find(stack, TD, "web-task").urn] };
    expectOne(await checkIn(stack), "require-valid-fargate-size", "asks for cpu 512 with memory 3000 MiB");
  });

  it("rejects a scheduled task that EventBridge launches on Fargate", async () => {
    const stack = webStack().filter((r) => r.type !== SERVICE);
    const target = resource("aws:cloudwatch/eventTarget:EventTarget", "nightly", {
      rule: "shop-nightly",
      arn: "arn:aws:ecs:us-east-1:123456789012:cluster/shop-4f3a2b1",
      roleArn: "arn:aws:iam::123456789012:role/events-ecs",
      ecsTarget: { taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:12", launchType: "FARGATE", taskCount: 1 },
    });
    const v = await checkIn([
      ...edit(stack, TD, "web-task", (p) => {
        p.memory = "512";
      }),
      target,
    ]);
    expectOne(v, "require-valid-fargate-size", '(aws:cloudwatch/eventTarget:EventTarget "nightly" runs it with launchType FARGATE)');
  });

  it("rejects SANDBOX_PROCESS on a task definition that a service runs on Fargate", async () => {
    let stack = edit(ecsStack(), TD, "ap-worker", (p) => {
      delete p.requiresCompatibilities;
    });
    stack = editContainers(stack, "ap-worker", ([w]) => setEnv(w!, "AP_EXECUTION_MODE", "SANDBOX_PROCESS"));
    expectOne(
      await check(stack),
      "disallow-sandbox-process-on-fargate",
      'sets AP_EXECUTION_MODE=SANDBOX_PROCESS, which needs a privileged container that Fargate does not allow (aws:ecs/service:Service "ap-worker" runs it with capacity provider FARGATE_SPOT)',
    );
  });

  it("leaves a task definition alone that its service runs on EC2", async () => {
    let stack = edit(webStack(), SERVICE, "web", (p) => {
      p.launchType = "EC2";
    });
    stack = edit(stack, TD, "web-task", (p) => {
      p.memory = "3000";
    });
    expect(await checkIn(stack)).toEqual([]);
  });
});

describe("Redis outside replication groups", () => {
  const standalone = () =>
    resource(
      "aws:elasticache/cluster:Cluster",
      "sessions",
      {
        clusterId: "shop-sessions",
        engine: "redis",
        nodeType: "cache.t4g.micro",
        numCacheNodes: 1,
        parameterGroupName: "shop-cache",
        securityGroupIds: ["sg-0a1b2c3d4e5f60704"],
      },
      { outputs: { cacheNodes: [{ address: "shop-sessions.abc123.0001.use1.cache.amazonaws.com", port: 6379 }] } },
    );

  it("rejects a standalone Redis cache cluster, which cannot encrypt", async () => {
    const v = await checkIn([...webStack(), standalone()]);
    expectOne(
      v,
      "require-redis-encryption",
      'ElastiCache cache cluster "sessions" runs redis outside a replication group, where ElastiCache offers neither transit nor at-rest encryption',
    );
  });

  it("leaves Memcached and replication group members to their own rules", async () => {
    const memcached = edit([standalone()], "aws:elasticache/cluster:Cluster", "sessions", (p) => {
      p.engine = "memcached";
      delete p.parameterGroupName;
    });
    const member = resource("aws:elasticache/cluster:Cluster", "replica", { clusterId: "shop-cache-003", replicationGroupId: "shop-cache" });
    expect(await checkIn([...webStack(), ...memcached, member])).toEqual([]);
  });

  const serverless = (engine = "valkey") =>
    resource(
      "aws:elasticache/serverlessCache:ServerlessCache",
      "queue",
      {
        name: "ap-queue",
        engine,
        majorEngineVersion: "8",
        securityGroupIds: ["sg-0a1b2c3d4e5f60704"],
        subnetIds: ["subnet-0123456789abcdef0"],
      },
      {
        outputs: {
          endpoints: [{ address: "ap-queue-abc123.serverless.use1.cache.amazonaws.com", port: 6379 }],
          readerEndpoints: [{ address: "ap-queue-abc123.serverless.use1.cache.amazonaws.com", port: 6380 }],
        },
      },
    );

  it("rejects ElastiCache Serverless in a stack that runs ActivePieces: no parameter group, cluster mode, CROSSSLOT", async () => {
    const v = await check([...ecsStack().filter((r) => !r.type.startsWith("aws:elasticache/")), serverless()]);
    const hit = expectOne(
      v,
      "require-redis-noeviction",
      'aws:elasticache/serverlessCache:ServerlessCache "queue" is in a stack that runs ActivePieces, whose queue cannot use it',
    );
    expect(hit.message).toContain("CROSSSLOT errors (langfuse#5906, bullmq#2787)");
  });

  it("accepts Serverless next to ActivePieces when its containers plainly use another Redis", async () => {
    const stack = editContainers(ecsStack(), "ap-worker", ([w]) => setEnv(w!, "AP_REDIS_HOST", "master.ap-redis.abc123.use1.cache.amazonaws.com"));
    const app = editContainers(stack, "ap-app", ([a]) => setEnv(a!, "AP_REDIS_HOST", "master.ap-redis.abc123.use1.cache.amazonaws.com"));
    expect(await check([...app, serverless()])).toEqual([]);
  });

  it("gives an advisory for Serverless Redis in a stack without ActivePieces, and never an encryption finding", async () => {
    const v = await checkIn([...webStack(), serverless("redis")]);
    expectOne(
      v,
      "require-redis-noeviction",
      'Cannot verify whether aws:elasticache/serverlessCache:ServerlessCache "queue" holds a BullMQ job queue',
      "advisory",
    );
    expect(await checkIn([...webStack(), serverless("memcached")])).toEqual([]);
  });
});

describe("disallow-open-database-ingress judges the database's own port", () => {
  it("rejects the internet on MySQL's default port 3306, which the fixed list missed", async () => {
    const v = await checkIn(
      edit(webStack(), SG, "db-sg", (p) => {
        p.ingress = [{ protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["0.0.0.0/0"] }];
      }),
    );
    expectOne(
      v,
      "disallow-open-database-ingress",
      'aws:ec2/securityGroup:SecurityGroup "db-sg" allows ingress from 0.0.0.0/0 to port 3306 (where aws:rds/instance:Instance "db" listens)',
    );
  });

  it("rejects the internet on a Postgres moved to port 5433", async () => {
    let stack = edit(ecsStack(), RDS, "ap-db", (p) => {
      p.port = 5433;
    });
    stack = edit(stack, "aws:ec2/securityGroupRule:SecurityGroupRule", "ap-db-from-vpc", (p) => {
      p.fromPort = 5433;
      p.toPort = 5433;
      p.cidrBlocks = ["0.0.0.0/0"];
    });
    expectOne(await check(stack), "disallow-open-database-ingress", "allows ingress from 0.0.0.0/0 to port 5433");
  });

  it("still honours configured ports for databases outside the stack", async () => {
    const rule = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "warehouse-open", {
      securityGroupId: "sg-0fffeeeeddddcccc1",
      ipProtocol: "tcp",
      fromPort: 5439,
      toPort: 5439,
      cidrIpv4: "0.0.0.0/0",
    });
    const v = await checkIn([...webStack(), rule], undefined, {
      "disallow-open-database-ingress": { ports: [5432, 6379, 5439] },
      "limit-public-ingress-to-load-balancers": "disabled",
    });
    expectOne(
      v,
      "disallow-open-database-ingress",
      'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule "warehouse-open" allows ingress from 0.0.0.0/0 to port 5439',
    );
  });

  it("does not count web ports on the tasks' group as database ports", async () => {
    const v = await checkIn(
      edit(webStack(), SG, "task-sg", (p) => {
        p.ingress = [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.0.0.0/8"] }];
      }),
    );
    expect(v).toEqual([]);
  });
});
