import { beforeAll, describe, expect, it } from "vitest";
import { loadStackFile, parseStackConfig, rawFromStackFile } from "../../config";
import { checkContract } from "../../contract/check";
import { plan as makePlan } from "../../sizing/plan";
import {
  EDGES_079,
  EDGES_082,
  type R,
  type Stack,
  added,
  broken,
  byName,
  captured,
  edgeNames,
  edit,
  expectBroken,
  podContainer,
  statements,
  without,
} from "./contract-check-support";

const EXAMPLE = "examples/eks-prod.yaml";
const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
type EsData = { secretKey: string; remoteRef: { key: string; property?: string } }[];
const esData = (fn: (d: EsData) => EsData) => (p: Record<string, unknown>) => {
  const spec = p.spec as { data: EsData };
  spec.data = fn(spec.data);
};

describe(`contract check on EKS (${EXAMPLE}, 0.83.0)`, () => {
  let s: Stack;
  beforeAll(async () => {
    s = await captured(makePlan(loadStackFile(EXAMPLE)));
  });

  it("passes with exactly the 0.82 line's edges", async () => {
    const r = await checkContract(s.plan, s.rs);
    expect(edgeNames(r.edges)).toEqual(EDGES_082);
    expect(r).toMatchObject({ ok: true, extras: [] });
  });

  describe("each edge breaks when its piece is removed", () => {
    it("app -> postgres: the rule from the cluster security group", () =>
      expectBroken(
        s,
        without(s.rs, byName(RULE, "-db-from-cluster")),
        "app",
        "postgres",
        "no ingress rule on the database security group from the cluster security group (which the app pods share) on 5432",
      ));
    it("app -> postgres: the RDS CA bundle", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(DEPLOYMENT, "-app"),
          podContainer((c) => {
            c.env = c.env.filter((e) => e.name !== "AP_POSTGRES_SSL_CA");
          }),
        ),
        "app",
        "postgres",
        "the app container has no Amazon RDS CA bundle in AP_POSTGRES_SSL_CA to trust postgres",
      ));
    it("app -> redis: the rule from the cluster security group", () =>
      expectBroken(
        s,
        without(s.rs, byName(RULE, "-redis-from-cluster")),
        "app",
        "redis",
        "no ingress rule on the cache security group from the cluster security group (which the app pods share) on 6379",
      ));
    it("app -> s3: the Pod Identity association", () =>
      expectBroken(
        s,
        without(s.rs, byName(POD_IDENTITY, "-app-pod-identity")),
        "app",
        "s3",
        "no Pod Identity association for the app service account activepieces/activepieces-app to reach s3",
      ));
    it("app -> s3: the object statement of the pod role's policy", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName("aws:iam/policy:Policy", "-files-access"),
          statements((st) => st.filter((x) => x.Sid !== "Objects")),
        ),
        "app",
        "s3",
        `the app Pod Identity role does not allow s3:GetObject on ${s.bucketArn}/*`,
      ));

    it.each([
      ["encryptionKey", "AP_ENCRYPTION_KEY"],
      ["jwtSecret", "AP_JWT_SECRET"],
      ["redisAuth", "AP_REDIS_PASSWORD"],
      ["databasePassword", "AP_POSTGRES_PASSWORD"],
    ])("app -> secret:%s: the pod's secretKeyRef", (secret, variable) =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(DEPLOYMENT, "-app"),
          podContainer((c) => {
            c.env = c.env.filter((e) => e.name !== variable);
          }),
        ),
        "app",
        `secret:${secret}`,
        `the app container has no ${variable} from a Kubernetes Secret`,
      ),
    );
    it("app -> secret:databasePassword: the ExternalSecret entry", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(EXTERNAL_SECRET, "-activepieces-app"),
          esData((d) => d.filter((x) => x.secretKey !== "AP_POSTGRES_PASSWORD")),
        ),
        "app",
        "secret:databasePassword",
        `the ExternalSecret activepieces-app does not fill AP_POSTGRES_PASSWORD from the databasePassword secret ${s.dbSecretArn} (key password)`,
      ));
    it("app -> secret:jwtSecret: the External Secrets role's grant", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName("aws:iam/rolePolicy:RolePolicy", "-external-secrets-policy"),
          statements((st) => st.map((x) => ({ ...x, Resource: (x.Resource as string[]).filter((a) => a !== s.secretArn("-jwt-secret")) }))),
        ),
        "app",
        "secret:jwtSecret",
        `the External Secrets role does not allow secretsmanager:GetSecretValue on ${s.secretArn("-jwt-secret")} for the app container`,
      ));

    it("worker -> app: the app Service", () =>
      expectBroken(
        s,
        without(s.rs, byName("kubernetes:core/v1:Service", "-app-svc")),
        "worker",
        "app",
        "no Service activepieces-app in namespace activepieces for the worker's AP_FRONTEND_URL",
      ));
    it("worker -> app: the Service's selector", () =>
      expectBroken(
        s,
        edit(s.rs, byName("kubernetes:core/v1:Service", "-app-svc"), (p) => {
          (p.spec as { selector: Record<string, string> }).selector["app.kubernetes.io/component"] = "worker";
        }),
        "worker",
        "app",
        "the Service activepieces-app does not select the app pods",
      ));
    it("worker -> app: the Service's port", () =>
      expectBroken(
        s,
        edit(s.rs, byName("kubernetes:core/v1:Service", "-app-svc"), (p) => {
          (p.spec as { ports: { port: number }[] }).ports[0]!.port = 8080;
        }),
        "worker",
        "app",
        "the Service activepieces-app has no port 80 for the worker's AP_FRONTEND_URL",
      ));
    it("worker -> app: the worker's AP_FRONTEND_URL", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(DEPLOYMENT, "-worker"),
          podContainer((c) => {
            c.env.find((e) => e.name === "AP_FRONTEND_URL")!.value = "http://activepieces-app.default.svc.cluster.local:80";
          }),
        ),
        "worker",
        "app",
        "the worker container's AP_FRONTEND_URL is http://activepieces-app.default.svc.cluster.local:80, not the app's internal URL http://activepieces-app.activepieces.svc.cluster.local:80",
      ));
    it("worker -> secret:workerToken: the pod's secretKeyRef", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(DEPLOYMENT, "-worker"),
          podContainer((c) => {
            c.env = c.env.filter((e) => e.name !== "AP_WORKER_TOKEN");
          }),
        ),
        "worker",
        "secret:workerToken",
        "the worker container has no AP_WORKER_TOKEN from a Kubernetes Secret",
      ));
    it("worker -> secret:workerToken: the ExternalSecret", () =>
      expectBroken(
        s,
        without(s.rs, byName(EXTERNAL_SECRET, "-activepieces-worker")),
        "worker",
        "secret:workerToken",
        "no ExternalSecret in activepieces writes the Secret activepieces-worker the worker container reads AP_WORKER_TOKEN from",
      ));
  });

  describe("nothing more than the contract", () => {
    const extras = async (rs: R[]) => {
      const r = await checkContract(s.plan, rs);
      expect(broken(r)).toEqual([]);
      expect(r.ok).toBe(false);
      return r.extras;
    };

    it("reports an ingress rule to the database from a group other than the cluster's", async () => {
      const db = s.cap.one("aws:rds/instance:Instance").outputs.vpcSecurityGroupIds as string[];
      const rs = added(s.rs, RULE, "ap-test-db-from-elsewhere", {
        securityGroupId: db[0],
        referencedSecurityGroupId: "sg-0123456789abcdef0",
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
      });
      expect(await extras(rs)).toEqual([
        "ingress rule ap-test-db-from-elsewhere opens the database security group to security group sg-0123456789abcdef0 on 5432, which no contract edge or known caller needs",
      ]);
    });

    it("reports the database password in the worker's Kubernetes Secret", async () => {
      const rs = edit(
        s.rs,
        byName(EXTERNAL_SECRET, "-activepieces-worker"),
        esData((d) => [...d, { secretKey: "AP_POSTGRES_PASSWORD", remoteRef: { key: s.dbSecretArn, property: "password" } }]),
      );
      expect(await extras(rs)).toEqual([
        "the Kubernetes Secret activepieces-worker the worker container reads holds AP_POSTGRES_PASSWORD, which the 0.82 worker contract does not list",
      ]);
    });

    it("reports a worker pod that reads the app's database password", async () => {
      const rs = edit(
        s.rs,
        byName(DEPLOYMENT, "-worker"),
        podContainer((c) => {
          c.env.push({ name: "AP_POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: "activepieces-app", key: "AP_POSTGRES_PASSWORD" } } });
        }),
      );
      expect(await extras(rs)).toEqual([
        "the worker container receives the secret AP_POSTGRES_PASSWORD, which the 0.82 worker contract does not list",
        ...["AP_ENCRYPTION_KEY", "AP_JWT_SECRET", "AP_REDIS_PASSWORD", "AP_POSTGRES_PASSWORD"].map(
          (k) => `the Kubernetes Secret activepieces-app the worker container reads holds ${k}, which the 0.82 worker contract does not list`,
        ),
      ]);
    });

    it("reports a Pod Identity for the worker with S3 access", async () => {
      const appRole = s.cap.one(POD_IDENTITY, "-app-pod-identity").inputs.roleArn;
      const rs = added(s.rs, POD_IDENTITY, "ap-test-worker-pod-identity", {
        clusterName: "ap-test",
        namespace: "activepieces",
        serviceAccount: "activepieces-worker",
        roleArn: appRole,
      });
      expect(await extras(rs)).toEqual([`the worker Pod Identity role allows s3:GetObject on ${s.bucketArn}/*, but the 0.82 worker contract has no s3 edge`]);
    });

    it("reports an External Secrets grant on a secret no role needs", async () => {
      const other = "arn:aws:secretsmanager:us-east-1:123456789012:secret:activepieces/test/other-abc123";
      const withSecret = added(
        s.rs,
        "aws:secretsmanager/secret:Secret",
        "ap-test-secrets-other",
        { namePrefix: "activepieces/test/other-" },
        { arn: other },
        other,
      );
      const rs = edit(
        withSecret,
        byName("aws:iam/rolePolicy:RolePolicy", "-external-secrets-policy"),
        statements((st) => st.map((x) => ({ ...x, Resource: [...(x.Resource as string[]), other] }))),
      );
      expect(await extras(rs)).toEqual([
        `the External Secrets role allows secretsmanager:GetSecretValue on the secret ${other}, which no role's contract or known reader needs`,
      ]);
    });

    it("accepts KEDA's Redis auth Secret only with the Redis token", async () => {
      const rs = edit(
        s.rs,
        byName(EXTERNAL_SECRET, "-activepieces-redis-auth"),
        esData((d) => d.map((x) => ({ ...x, remoteRef: { key: s.secretArn("-jwt-secret") } }))),
      );
      expect(await extras(rs)).toEqual([
        `the ExternalSecret activepieces-redis-auth fills password from ${s.secretArn("-jwt-secret")}, which no role's contract or known reader needs`,
      ]);
    });
  });
});

describe(`contract check on EKS (${EXAMPLE} at 0.79.0)`, () => {
  let s: Stack;
  beforeAll(async () => {
    s = await captured(makePlan(parseStackConfig({ ...rawFromStackFile(EXAMPLE), image: "ghcr.io/activepieces/activepieces:0.79.0" }, `${EXAMPLE} at 0.79.0`)));
  });

  it("passes with exactly the 0.79 line's edges", async () => {
    const r = await checkContract(s.plan, s.rs);
    expect(edgeNames(r.edges)).toEqual(EDGES_079);
    expect(r).toMatchObject({ ok: true, extras: [] });
  });

  it("worker -> redis: the rule from the cluster security group (shared with the app)", async () => {
    const r = await checkContract(s.plan, without(s.rs, byName(RULE, "-redis-from-cluster")));
    expect(broken(r)).toEqual(
      ["app", "worker"].map((role) => ({
        role,
        target: "redis",
        ok: false,
        missing: `no ingress rule on the cache security group from the cluster security group (which the ${role} pods share) on 6379`,
      })),
    );
    expect(r.extras).toEqual([]);
  });
});
