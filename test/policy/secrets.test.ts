import { describe, expect, it } from "vitest";
import { ecsStack, eksStack } from "./baseline";
import { check, edit, editContainers, expectOne, resource, secret, setEnv } from "./support";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

describe("disallow-plaintext-secret-env", () => {
  it("rejects a plaintext DB_PASSWORD in an ECS container's environment", async () => {
    const v = await check(editContainers(ecsStack(), "ap-app", ([app]) => setEnv(app!, "DB_PASSWORD", "hunter2")));
    expectOne(
      v,
      "disallow-plaintext-secret-env",
      'Container "app" of aws:ecs/taskDefinition:TaskDefinition "ap-app" sets DB_PASSWORD as a literal environment value',
    );
    expect(v[0]!.message).toContain("`secrets` with `valueFrom` set to a Secrets Manager secret ARN");
    expect(v[0]!.urn).toBe("urn:pulumi:dev::shop::aws:ecs/taskDefinition:TaskDefinition::ap-app");
  });

  it("rejects AP_ENCRYPTION_KEY in the environment even when the program marked it secret", async () => {
    const v = await check(editContainers(ecsStack(), "ap-app", ([app]) => setEnv(app!, "AP_ENCRYPTION_KEY", "0123456789abcdef0123456789abcdef")));
    expectOne(v, "disallow-plaintext-secret-env", "sets AP_ENCRYPTION_KEY as a literal environment value");
  });

  it("rejects a connection URL that carries a password", async () => {
    const v = await check(editContainers(ecsStack(), "ap-app", ([app]) => setEnv(app!, "AP_REDIS_URL", "rediss://:s3cr3t@master.ap.cache.amazonaws.com:6379")));
    expectOne(v, "disallow-plaintext-secret-env", "sets AP_REDIS_URL to a URL that carries a password");
  });

  it("accepts a URL without a password and names that only point at a secret (…_SECRET_ARN)", async () => {
    const v = await check(
      editContainers(ecsStack(), "ap-app", ([app]) => {
        setEnv(app!, "AP_REDIS_URL", "rediss://master.ap.cache.amazonaws.com:6379");
        setEnv(app!, "DB_PASSWORD_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC123");
      }),
    );
    expect(v).toEqual([]);
  });

  it("rejects a Lambda environment variable named like a token", async () => {
    // A bare *_TOKEN is weak evidence (advisory, secrets-names.test.ts); an access token is strong.
    const v = await check(
      edit(ecsStack(), "aws:lambda/function:Function", "ap-queue-metric", (p) => {
        (p.environment as { variables: Record<string, unknown> }).variables.GITHUB_ACCESS_TOKEN = "ghp_x";
      }),
    );
    expectOne(v, "disallow-plaintext-secret-env", 'aws:lambda/function:Function "ap-queue-metric" sets GITHUB_ACCESS_TOKEN as a literal environment value');
  });

  it("rejects a Kubernetes env value for a secret name and accepts secretKeyRef", async () => {
    const v = await check(
      edit(eksStack(), DEPLOYMENT, "ap-app", (p) => {
        const env = (p.spec as { template: { spec: { containers: { env: unknown[] }[] } } }).template.spec.containers[0]!.env;
        env.push({ name: "AP_JWT_SECRET", value: "jwt" });
      }),
    );
    expectOne(
      v,
      "disallow-plaintext-secret-env",
      'Container "app" of kubernetes:apps/v1:Deployment "ap-app" sets AP_JWT_SECRET as a literal environment value',
    );
    expect(v[0]!.message).toContain("`valueFrom.secretKeyRef`");
  });

  it("honours allowNames from the pack config", async () => {
    // SORT_KEY is no evidence at all (secrets-names.test.ts); a template id under a password-ish name is.
    const stack = editContainers(ecsStack(), "ap-app", ([app]) => {
      setEnv(app!, "PASSWORD_RESET_TEMPLATE", "tmpl-reset-v2");
      setEnv(app!, "SORT_KEY", "createdAt");
    });
    expectOne(await check(stack), "disallow-plaintext-secret-env", "sets PASSWORD_RESET_TEMPLATE as a literal");
    expect(await check(stack, { "disallow-plaintext-secret-env": { allowNames: ["PASSWORD_RESET_*"] } })).toEqual([]);
  });
});

describe("require-secrets-manager-references", () => {
  it("rejects an SSM parameter as valueFrom unless SSM is allowed", async () => {
    const stack = editContainers(ecsStack(), "ap-worker", ([w]) => {
      w!.secrets = [{ name: "AP_WORKER_TOKEN", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/ap/worker-token" }];
    });
    expectOne(
      await check(stack),
      "require-secrets-manager-references",
      'Container "worker" of task definition "ap-worker" takes secrets "AP_WORKER_TOKEN" from SSM Parameter Store',
    );
    expect(await check(stack, { "require-secrets-manager-references": { allowSsmParameters: true } })).toEqual([]);
  });

  it("rejects a valueFrom that is neither Secrets Manager nor SSM", async () => {
    const v = await check(
      editContainers(ecsStack(), "ap-worker", ([w]) => {
        w!.secrets = [{ name: "AP_WORKER_TOKEN", valueFrom: "arn:aws:s3:::bucket/token.txt" }];
      }),
    );
    expectOne(v, "require-secrets-manager-references", 'from "arn:aws:s3:::bucket/token.txt", which is not a Secrets Manager secret ARN');
  });
});

describe("require-rds-managed-master-password", () => {
  it("rejects an RDS instance with a password input", async () => {
    const v = await check(
      edit(ecsStack(), "aws:rds/instance:Instance", "ap-db", (p) => {
        delete p.manageMasterUserPassword;
        p.password = secret("correct-horse-battery");
      }),
    );
    expectOne(v, "require-rds-managed-master-password", 'RDS instance "ap-db" sets the master password through `password`');
  });

  it("rejects an instance that neither sets a password nor lets RDS manage it", async () => {
    const v = await check(
      edit(ecsStack(), "aws:rds/instance:Instance", "ap-db", (p) => {
        p.manageMasterUserPassword = false;
      }),
    );
    expectOne(v, "require-rds-managed-master-password", "does not set `manageMasterUserPassword: true`");
  });

  it("rejects an Aurora cluster with a masterPassword-style password input", async () => {
    const v = await check([
      ...ecsStack(),
      resource("aws:rds/cluster:Cluster", "aurora", {
        engine: "aurora-postgresql",
        masterUsername: "ap",
        password: "p4ss",
        storageEncrypted: true,
        backupRetentionPeriod: 7,
        region: "us-east-1",
      }),
    ]);
    expect(v.map((x) => x.policy)).toContain("require-rds-managed-master-password");
    expect(v.find((x) => x.policy === "require-rds-managed-master-password")!.message).toContain(
      'RDS cluster "aurora" sets the master password through `password`',
    );
  });

  it("accepts a read replica, which inherits the source's credentials", async () => {
    const v = await check([
      ...ecsStack(),
      resource("aws:rds/instance:Instance", "ap-db-replica", {
        engine: "postgres",
        instanceClass: "db.t4g.small",
        replicateSourceDb: "ap-db",
        storageEncrypted: true,
        publiclyAccessible: false,
        region: "us-east-1",
      }),
    ]);
    expect(v.filter((x) => x.policy === "require-rds-managed-master-password")).toEqual([]);
  });
});

describe("disallow-kubernetes-literal-secret", () => {
  it("rejects a Secret with stringData", async () => {
    const v = await check([
      ...eksStack(),
      resource(
        "kubernetes:core/v1:Secret",
        "ap-secrets",
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "activepieces", namespace: "activepieces" },
          stringData: { "jwt-secret": "x", "worker-token": "y" },
        },
        { provider: null },
      ),
    ]);
    expectOne(
      v,
      "disallow-kubernetes-literal-secret",
      'Kubernetes Secret "activepieces" is created with literal stringData.jwt-secret, stringData.worker-token',
    );
  });

  it("accepts a Secret without data (filled by a controller)", async () => {
    const v = await check([
      ...eksStack(),
      resource(
        "kubernetes:core/v1:Secret",
        "sa-token",
        {
          apiVersion: "v1",
          kind: "Secret",
          type: "kubernetes.io/service-account-token",
          metadata: { name: "sa-token", annotations: { "kubernetes.io/service-account.name": "ap" } },
        },
        { provider: null },
      ),
    ]);
    expect(v).toEqual([]);
  });
});
