import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Database, postgresFamily, rdsInstanceIdentifier } from "../../components/database";
import type { DatabasePlan } from "../../sizing/types";
import { capture, type Capture } from "../../offline/capture";

const PROD_PLAN = {
  instanceClass: "db.m7g.large",
  memoryGiB: 8,
  maxConnections: 856,
  poolConnectionsAtMax: 200,
  poolBudget: 684,
  engineVersion: "16",
  multiAz: true,
  allocatedStorageGb: 50,
  maxAllocatedStorageGb: 500,
  backupRetentionDays: 14,
  performanceInsights: true,
  deletionProtection: true,
  applyImmediately: false,
  logRetentionDays: 90,
  caSubjects: [],
} as const satisfies DatabasePlan;
const STAGING_PLAN = {
  instanceClass: "db.t4g.micro",
  memoryGiB: 1,
  maxConnections: 81,
  poolConnectionsAtMax: 20,
  poolBudget: 64,
  engineVersion: "16.4",
  multiAz: false,
  allocatedStorageGb: 20,
  maxAllocatedStorageGb: 100,
  backupRetentionDays: 7,
  performanceInsights: false,
  deletionProtection: false,
  applyImmediately: true,
  logRetentionDays: 30,
  caSubjects: [],
} as const satisfies DatabasePlan;

const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
const APP_SG = "sg-0123456789abcdef0";

interface Run {
  cap: Capture;
  db: Database;
  opts: Map<string, pulumi.CustomResourceOptions>;
}

async function run(plan: DatabasePlan, protect: boolean, namePrefix: string): Promise<Run> {
  const opts = new Map<string, pulumi.CustomResourceOptions>();
  let db!: Database;
  const cap = await capture(() => {
    pulumi.runtime.registerStackTransformation((a) => {
      opts.set(a.name, a.opts);
      return undefined;
    });
    const provider = new aws.Provider("aws", { region: "us-east-1" });
    db = new Database("db", { plan, namePrefix, vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: SUBNETS, protect }, { providers: [provider] });
    db.allowFrom("db-from-app", APP_SG);
  });
  return { cap, db, opts };
}

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) =>
    o.apply((v) => {
      resolve(v);
      return v;
    }),
  );
}

const INSTANCE = "aws:rds/instance:Instance";
let prod: Run;
let staging: Run;
beforeAll(async () => {
  prod = await run(PROD_PLAN, true, "ap-prod");
  staging = await run(STAGING_PLAN, false, "ap-staging");
});

describe("RDS instance", () => {
  it("lets RDS manage the master password in Secrets Manager and never takes one", () => {
    const inputs = prod.cap.one(INSTANCE).inputs;
    expect(inputs.manageMasterUserPassword).toBe(true);
    expect(inputs).not.toHaveProperty("password");
    expect(prod.cap.one(INSTANCE).rawInputs).not.toHaveProperty("password");
  });

  it("is encrypted, private, gp3 and sized from the plan", () => {
    expect(prod.cap.one(INSTANCE).inputs).toMatchObject({
      engine: "postgres",
      engineVersion: "16",
      instanceClass: "db.m7g.large",
      dbName: "activepieces",
      username: "activepieces",
      port: 5432,
      storageEncrypted: true,
      publiclyAccessible: false,
      storageType: "gp3",
      allocatedStorage: 50,
      maxAllocatedStorage: 500,
      autoMinorVersionUpgrade: true,
      iamDatabaseAuthenticationEnabled: false,
    });
  });

  it("prod: Multi-AZ, 14 days of backups, Performance Insights (7 days), deletion protection and a final snapshot", () => {
    expect(prod.cap.one(INSTANCE).inputs).toMatchObject({
      multiAz: true,
      backupRetentionPeriod: 14,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      deletionProtection: true,
      skipFinalSnapshot: false,
      copyTagsToSnapshot: true,
    });
  });

  it("has a fixed identifier from the name prefix, replaced delete-first", () => {
    expect(prod.cap.one(INSTANCE).inputs.identifier).toBe("ap-prod-postgres");
    expect(staging.cap.one(INSTANCE).inputs.identifier).toBe("ap-staging-postgres");
    expect(prod.opts.get(prod.cap.one(INSTANCE).name)).toMatchObject({ deleteBeforeReplace: true });
  });

  it("prod: takes its final snapshot under a name unique to this instance (a fixed one collides on the second replacement)", () => {
    const suffix = prod.cap.one("random:index/randomId:RandomId");
    expect(prod.cap.one(INSTANCE).inputs.finalSnapshotIdentifier).toBe(`ap-prod-postgres-final-${String(suffix.outputs.hex)}`);
    expect(suffix.outputs.hex).toMatch(/^[0-9a-f]{8}$/);
    // Re-drawn whenever an input that replaces the instance changes.
    expect(suffix.inputs).toMatchObject({
      byteLength: 4,
      keepers: { identifier: "ap-prod-postgres", engine: "postgres", dbName: "activepieces", username: "activepieces", storageEncrypted: "true" },
    });
    expect(staging.cap.ofType("random:index/randomId:RandomId")).toEqual([]);
  });

  it("prod waits for the maintenance window; staging applies changes during pulumi up", () => {
    expect(prod.cap.one(INSTANCE).inputs.applyImmediately).toBe(false);
    expect(staging.cap.one(INSTANCE).inputs.applyImmediately).toBe(true);
  });

  it("exports postgresql and upgrade logs into log groups it creates first, with the plan's retention", () => {
    for (const [run, days, id] of [
      [prod, 90, "ap-prod-postgres"],
      [staging, 30, "ap-staging-postgres"],
    ] as const) {
      const groups = run.cap.ofType("aws:cloudwatch/logGroup:LogGroup");
      expect(groups.map((g) => g.inputs)).toEqual([
        { name: `/aws/rds/instance/${id}/postgresql`, retentionInDays: days },
        { name: `/aws/rds/instance/${id}/upgrade`, retentionInDays: days },
      ]);
      expect(run.cap.one(INSTANCE).inputs.enabledCloudwatchLogsExports).toEqual(["postgresql", "upgrade"]);
      const dependsOn = run.opts.get(run.cap.one(INSTANCE).name)?.dependsOn as pulumi.Resource[];
      expect(dependsOn).toHaveLength(2);
      expect(dependsOn.every((d) => d instanceof aws.cloudwatch.LogGroup)).toBe(true);
      for (const g of groups) expect(run.opts.get(g.name)).toMatchObject({ deleteBeforeReplace: true });
    }
  });

  it("prod: is protected in Pulumi", () => {
    expect(prod.opts.get(prod.cap.one(INSTANCE).name)).toMatchObject({ protect: true });
  });

  it("staging: single-AZ, no Performance Insights, no deletion protection, no final snapshot, not protected", () => {
    const inputs = staging.cap.one(INSTANCE).inputs;
    expect(inputs).toMatchObject({
      multiAz: false,
      backupRetentionPeriod: 7,
      performanceInsightsEnabled: false,
      deletionProtection: false,
      skipFinalSnapshot: true,
    });
    expect(inputs).not.toHaveProperty("performanceInsightsRetentionPeriod");
    expect(inputs).not.toHaveProperty("finalSnapshotIdentifier");
    expect(staging.opts.get(staging.cap.one(INSTANCE).name)?.protect).toBe(false);
  });

  it("sits in its own subnet group, parameter group and security group", () => {
    const inputs = prod.cap.one(INSTANCE).inputs;
    expect(inputs.dbSubnetGroupName).toBe(prod.cap.one("aws:rds/subnetGroup:SubnetGroup").outputs.name);
    expect(inputs.parameterGroupName).toBe(prod.cap.one("aws:rds/parameterGroup:ParameterGroup").outputs.name);
    expect(inputs.vpcSecurityGroupIds).toEqual([prod.cap.one("aws:ec2/securityGroup:SecurityGroup").id]);
  });
});

describe("DB subnet group", () => {
  it("uses the given private subnets", () => {
    expect(prod.cap.one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(SUBNETS);
  });
});

describe("DB parameter group", () => {
  it("forces TLS (rds.force_ssl = 1) in the engine's family", () => {
    expect(prod.cap.one("aws:rds/parameterGroup:ParameterGroup").inputs).toMatchObject({
      family: "postgres16",
      parameters: [{ name: "rds.force_ssl", value: "1" }],
    });
    expect(staging.cap.one("aws:rds/parameterGroup:ParameterGroup").inputs.family).toBe("postgres16");
  });
});

describe("database security group", () => {
  it("has no inline ingress or egress rules", () => {
    const inputs = prod.cap.one("aws:ec2/securityGroup:SecurityGroup").inputs;
    expect(inputs.vpcId).toBe("vpc-0a1b2c3d4e5f60718");
    expect(inputs).not.toHaveProperty("ingress");
    expect(inputs).not.toHaveProperty("egress");
  });
});

describe("allowFrom", () => {
  it("opens 5432/tcp to exactly the given security group, no CIDR", () => {
    const rule = prod.cap.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rule.inputs).toEqual({
      securityGroupId: prod.cap.one("aws:ec2/securityGroup:SecurityGroup").id,
      referencedSecurityGroupId: APP_SG,
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      description: "Postgres from an allowed security group",
    });
    expect(rule.parent).toBe(prod.cap.one("activepieces:database:Database").urn);
  });
});

describe("Database outputs", () => {
  it("exposes the endpoint, port, names and the RDS-managed secret ARN", async () => {
    const instance = prod.cap.one(INSTANCE).outputs as Record<string, unknown> & { masterUserSecrets: { secretArn: string }[] };
    expect(await valueOf(prod.db.address)).toBe(instance.address);
    expect(await valueOf(prod.db.port)).toBe(5432);
    expect(await valueOf(prod.db.dbName)).toBe("activepieces");
    expect(await valueOf(prod.db.username)).toBe("activepieces");
    expect(await valueOf(prod.db.instanceIdentifier)).toBe(instance.identifier);
    expect(await valueOf(prod.db.masterUserSecretArn)).toBe(instance.masterUserSecrets[0]!.secretArn);
    expect(await valueOf(prod.db.masterUserSecretArn)).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
    expect(await valueOf(prod.db.securityGroupId)).toBe(prod.cap.one("aws:ec2/securityGroup:SecurityGroup").id);
  });
});

describe("rdsInstanceIdentifier", () => {
  it("keeps to the RDS identifier rules", () => {
    expect(rdsInstanceIdentifier("ap-prod")).toBe("ap-prod-postgres");
    expect(rdsInstanceIdentifier("ap-My_Stack.1")).toBe("ap-my-stack-1-postgres");
    expect(rdsInstanceIdentifier("1-ap--x")).toBe("ap-x-postgres");
    expect(rdsInstanceIdentifier(`ap-${"x".repeat(80)}`)).toMatch(/^ap-x+$/);
    expect(rdsInstanceIdentifier(`ap-${"x".repeat(80)}`)).toHaveLength(63);
  });
});

describe("postgresFamily", () => {
  it("uses the major version", () => {
    expect(postgresFamily("16")).toBe("postgres16");
    expect(postgresFamily("17.2")).toBe("postgres17");
  });

  it("rejects a malformed version with the config key", () => {
    expect(() => postgresFamily("latest")).toThrow('database.engineVersion: "latest" is not a Postgres version; allowed e.g. 16 or 16.4');
  });
});
