import { beforeAll, describe, expect, it } from "vitest";
import { checkContract } from "../../contract/check";
import type { Plan } from "../../sizing/types";
import { planFor } from "../stack";
import {
  EDGES_079,
  EDGES_082,
  type R,
  type Stack,
  added,
  broken,
  byName,
  captured,
  container,
  edgeNames,
  edit,
  expectBroken,
  statements,
  without,
} from "./contract-check-support";

const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
describe("contract check on Fargate (prod, 0.83.0)", () => {
  let s: Stack;
  beforeAll(async () => {
    s = await captured(planFor("prod"));
  });

  it("passes with exactly the 0.82 line's edges", async () => {
    const r = await checkContract(s.plan, s.rs);
    expect(edgeNames(r.edges)).toEqual(EDGES_082);
    expect(r).toMatchObject({ ok: true, extras: [] });
    expect(r.edges.every((e) => e.ok && e.missing === undefined)).toBe(true);
  });

  describe("each edge breaks when its piece is removed", () => {
    it("app -> postgres: the ingress rule", () =>
      expectBroken(
        s,
        without(s.rs, byName(RULE, "-db-from-app")),
        "app",
        "postgres",
        "no ingress rule on the database security group from the app security group on 5432",
      ));
    it("app -> postgres: the RDS CA bundle", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(TASK, "-app-task"),
          container((c) => {
            c.environment.find((e) => e.name === "AP_POSTGRES_SSL_CA")!.value = "";
          }),
        ),
        "app",
        "postgres",
        "the app container has no Amazon RDS CA bundle in AP_POSTGRES_SSL_CA to trust postgres",
      ));
    it("app -> postgres: TLS on", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(TASK, "-app-task"),
          container((c) => {
            c.environment.find((e) => e.name === "AP_POSTGRES_USE_SSL")!.value = "false";
          }),
        ),
        "app",
        "postgres",
        "the app container does not set AP_POSTGRES_USE_SSL=true for TLS to postgres",
      ));
    it("app -> redis: the ingress rule", () =>
      expectBroken(
        s,
        without(s.rs, byName(RULE, "-redis-from-app")),
        "app",
        "redis",
        "no ingress rule on the cache security group from the app security group on 6379",
      ));
    it("app -> s3: the object statement of the task role's policy", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName("aws:iam/policy:Policy", "-files-access"),
          statements((st) => st.filter((x) => x.Sid !== "Objects")),
        ),
        "app",
        "s3",
        `the app task role does not allow s3:GetObject on ${s.bucketArn}/*`,
      ));
    it("app -> s3: the task role itself", () =>
      expectBroken(
        s,
        edit(s.rs, byName(TASK, "-app-task"), (p) => {
          delete p.taskRoleArn;
        }),
        "app",
        "s3",
        "the app task definition has no task role to reach s3",
      ));

    it.each([
      ["encryptionKey", "AP_ENCRYPTION_KEY"],
      ["jwtSecret", "AP_JWT_SECRET"],
      ["redisAuth", "AP_REDIS_PASSWORD"],
      ["databasePassword", "AP_POSTGRES_PASSWORD"],
    ])("app -> secret:%s: the container's secret reference", (secret, variable) =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(TASK, "-app-task"),
          container((c) => {
            c.secrets = c.secrets.filter((x) => x.name !== variable);
          }),
        ),
        "app",
        `secret:${secret}`,
        `the app container has no secret ${variable}`,
      ),
    );
    it("app -> secret:databasePassword: the execution role's grant", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(POLICY, "-app-exec-secrets"),
          statements((st) => st.map((x) => ({ ...x, Resource: (x.Resource as string[]).filter((a) => a !== s.dbSecretArn) }))),
        ),
        "app",
        "secret:databasePassword",
        `the app execution role does not allow secretsmanager:GetSecretValue on ${s.dbSecretArn}`,
      ));
    it("app -> secret:jwtSecret: a reference to another secret", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(TASK, "-app-task"),
          container((c) => {
            c.secrets.find((x) => x.name === "AP_JWT_SECRET")!.valueFrom = s.secretArn("-encryption-key");
          }),
        ),
        "app",
        "secret:jwtSecret",
        `the app container's AP_JWT_SECRET comes from ${s.secretArn("-encryption-key")}, not the jwtSecret secret ${s.secretArn("-jwt-secret")}`,
      ));

    it("worker -> app: the ingress rule on the app's group", () =>
      expectBroken(
        s,
        without(s.rs, byName(RULE, "-app-from-worker")),
        "worker",
        "app",
        "no ingress rule on the app security group from the worker security group on 80",
      ));
    it("worker -> app: the app's Service Connect client alias", () =>
      expectBroken(
        s,
        edit(s.rs, byName(SERVICE, "-app-service"), (p) => {
          delete (p.serviceConnectConfiguration as Record<string, unknown>).services;
        }),
        "worker",
        "app",
        "the app service has no Service Connect client alias activepieces-app:80 for the worker's AP_FRONTEND_URL",
      ));
    it("worker -> app: Service Connect on the worker service", () =>
      expectBroken(
        s,
        edit(s.rs, byName(SERVICE, "-worker-service"), (p) => {
          (p.serviceConnectConfiguration as Record<string, unknown>).enabled = false;
        }),
        "worker",
        "app",
        "the worker service does not use Service Connect in the app's namespace",
      ));
    it("worker -> app: the worker's AP_FRONTEND_URL", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(TASK, "-worker-task"),
          container((c) => {
            c.environment.find((e) => e.name === "AP_FRONTEND_URL")!.value = "http://activepieces-app:8080";
          }),
        ),
        "worker",
        "app",
        "the worker container's AP_FRONTEND_URL is http://activepieces-app:8080, not the app's internal URL http://activepieces-app:80",
      ));
    it("worker -> secret:workerToken: the container's secret reference", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(TASK, "-worker-task"),
          container((c) => {
            c.secrets = [];
          }),
        ),
        "worker",
        "secret:workerToken",
        "the worker container has no secret AP_WORKER_TOKEN",
      ));
    it("worker -> secret:workerToken: the execution role's secrets policy", () =>
      expectBroken(
        s,
        without(s.rs, byName(POLICY, "-worker-exec-secrets")),
        "worker",
        "secret:workerToken",
        `the worker execution role does not allow secretsmanager:GetSecretValue on ${s.secretArn("-worker-token")}`,
      ));
  });

  describe("nothing more than the contract", () => {
    const extras = async (rs: R[]) => {
      const r = await checkContract(s.plan, rs);
      expect(broken(r)).toEqual([]);
      expect(r.ok).toBe(false);
      return r.extras;
    };

    it("reports an ingress rule from the worker to the database (0.82 workers have no Postgres edge)", async () => {
      const rs = added(s.rs, RULE, "ap-test-db-from-worker", {
        securityGroupId: s.sg("-db-sg"),
        referencedSecurityGroupId: s.sg("-worker-sg"),
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
      });
      expect(await extras(rs)).toEqual([
        "ingress rule ap-test-db-from-worker opens the database security group to the worker security group on 5432, which no contract edge or known caller needs",
      ]);
    });

    it("reports a worker execution role that can read the database secret, evaluated with iam-simulate", async () => {
      const rs = edit(
        s.rs,
        byName(POLICY, "-worker-exec-secrets"),
        statements((st) => st.map((x) => ({ ...x, Resource: [...(x.Resource as string[]), s.dbSecretArn] }))),
      );
      expect(await extras(rs)).toEqual([
        `the worker execution role allows secretsmanager:GetSecretValue on the databasePassword secret (${s.dbSecretArn}), which the 0.82 worker contract does not list`,
      ]);
    });

    it("reports a wildcard grant as every secret it reaches", async () => {
      const rs = edit(
        s.rs,
        byName(POLICY, "-worker-exec-secrets"),
        statements((st) => st.map((x) => ({ ...x, Resource: "arn:aws:secretsmanager:*:*:secret:*" }))),
      );
      expect((await extras(rs)).map((x) => /on the (\w+) secret/.exec(x)?.[1])).toEqual(["encryptionKey", "jwtSecret", "redisAuth", "databasePassword"]);
    });

    it("reports S3 access for a worker, which has no s3 edge", async () => {
      const appTaskRole = s.cap.one(TASK, "-app-task").inputs.taskRoleArn as string;
      const rs = edit(s.rs, byName(TASK, "-worker-task"), (p) => {
        p.taskRoleArn = appTaskRole;
      });
      expect(await extras(rs)).toEqual([`the worker task role allows s3:GetObject on ${s.bucketArn}/*, but the 0.82 worker contract has no s3 edge`]);
    });

    it("reports variables and secrets the worker's contract does not list", async () => {
      const rs = edit(
        s.rs,
        byName(TASK, "-worker-task"),
        container((c) => {
          c.environment.push({ name: "AP_POSTGRES_HOST", value: "db" });
          c.secrets.push({ name: "AP_POSTGRES_PASSWORD", valueFrom: `${s.dbSecretArn}:password::` });
        }),
      );
      expect(await extras(rs)).toEqual([
        "the worker container sets AP_POSTGRES_HOST, which the 0.82 worker contract does not list",
        "the worker container receives the secret AP_POSTGRES_PASSWORD, which the 0.82 worker contract does not list",
      ]);
    });

    it("accepts the load balancer's ingress to the app only as a listed known caller", async () => {
      const rs = without(s.rs, byName("aws:lb/loadBalancer:LoadBalancer", "-alb"));
      expect(await extras(rs)).toEqual([
        `ingress rule ap-test-app-from-alb opens the app security group to security group ap-test-alb-sg (${s.sg("-alb-sg")}) on 80, which no contract edge or known caller needs`,
      ]);
    });

    it("accepts what the stack config declares for a role (extraEnv / extraSecrets), and nowhere else", async () => {
      const smtp = "arn:aws:secretsmanager:us-east-1:123456789012:secret:smtp-AbCdEf";
      const grant = (suffix: string) => (rs: R[]) =>
        edit(
          rs,
          byName(POLICY, suffix),
          statements((st) => st.map((x) => ({ ...x, Resource: [...(x.Resource as string[]), smtp] }))),
        );
      const rs = grant("-app-exec-secrets")(
        edit(
          s.rs,
          byName(TASK, "-app-task"),
          container((c) => {
            c.environment.push({ name: "AP_SMTP_HOST", value: "smtp.example.com" });
            c.secrets.push({ name: "AP_SMTP_PASSWORD", valueFrom: smtp });
          }),
        ),
      );
      const declaring = {
        ...s.plan,
        extras: {
          app: { env: [{ name: "AP_SMTP_HOST", value: "smtp.example.com" }], secrets: [{ name: "AP_SMTP_PASSWORD", arn: smtp }] },
          worker: { env: [], secrets: [] },
        },
      } as Plan;
      expect(await checkContract(declaring, rs)).toMatchObject({ ok: true, extras: [] });
      expect(await extras(rs)).toEqual([
        "the app container sets AP_SMTP_HOST, which the 0.82 app contract does not list",
        "the app container receives the secret AP_SMTP_PASSWORD, which the 0.82 app contract does not list",
      ]);
      const r = await checkContract(declaring, grant("-worker-exec-secrets")(rs));
      expect(r.extras).toEqual([
        `the worker execution role allows secretsmanager:GetSecretValue on the secret ${smtp}, which the 0.82 worker contract does not list`,
      ]);
    });

    it("reports a CIDR opened on the cache", async () => {
      const rs = added(s.rs, RULE, "ap-test-redis-from-vpc", {
        securityGroupId: s.sg("-redis-sg"),
        cidrIpv4: "10.0.0.0/16",
        ipProtocol: "tcp",
        fromPort: 6379,
        toPort: 6379,
      });
      expect(await extras(rs)).toEqual([
        "ingress rule ap-test-redis-from-vpc opens the cache security group to CIDR 10.0.0.0/16 on 6379, which no contract edge or known caller needs",
      ]);
    });
  });
});

describe("contract check on Fargate (0.79.0: the worker is a BullMQ consumer)", () => {
  let s: Stack;
  beforeAll(async () => {
    s = await captured(planFor("prod", { image: "ghcr.io/activepieces/activepieces:0.79.0" }));
  });

  it("passes with exactly the 0.79 line's edges", async () => {
    const r = await checkContract(s.plan, s.rs);
    expect(edgeNames(r.edges)).toEqual(EDGES_079);
    expect(r).toMatchObject({ ok: true, extras: [] });
  });

  it("worker -> redis: the ingress rule on the cache", () =>
    expectBroken(
      s,
      without(s.rs, byName(RULE, "-redis-from-worker")),
      "worker",
      "redis",
      "no ingress rule on the cache security group from the worker security group on 6379",
    ));
});

describe("contract check on Fargate (queue-depth worker scaling)", () => {
  let s: Stack;
  beforeAll(async () => {
    s = await captured(planFor("prod", { worker: { scaling: { mode: "queue", min: 5, max: 50 } } }));
  });

  it("accepts the queue-metric function's ingress to Redis as a listed known caller", async () => {
    expect(s.rs.some(byName(RULE, "-redis-from-metric"))).toBe(true);
    expect(await checkContract(s.plan, s.rs)).toMatchObject({ ok: true, extras: [] });
    const r = await checkContract(s.plan, without(s.rs, byName("aws:lambda/function:Function", "-queue-metric-fn")));
    expect(r.extras).toEqual([
      expect.stringMatching(
        /^ingress rule ap-test-redis-from-metric opens the cache security group to security group ap-test-queue-metric-fn-sg \(sg-\w+\) on 6379/,
      ),
    ]);
  });
});
