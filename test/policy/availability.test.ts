/** Availability in protected environments: Multi-AZ databases, Redis with automatic failover. */
import { describe, expect, it } from "vitest";
import { checkIn, webStack } from "./other-teams";
import { UNKNOWN, edit, expectOne, find, resource } from "./support";

const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";

function aurora(instances: number) {
  const cluster = resource(
    "aws:rds/cluster:Cluster",
    "reports",
    {
      clusterIdentifier: "shop-reports",
      engine: "aurora-postgresql",
      manageMasterUserPassword: true,
      storageEncrypted: true,
      backupRetentionPeriod: 7,
      deletionProtection: true,
    },
    { outputs: { endpoint: "shop-reports.cluster-abc.us-east-1.rds.amazonaws.com", port: 5432 } },
  );
  const members = Array.from({ length: instances }, (_, i) =>
    resource("aws:rds/clusterInstance:ClusterInstance", `reports-${i}`, {
      clusterIdentifier: "shop-reports",
      instanceClass: "db.r7g.large",
      engine: "aurora-postgresql",
    }),
  );
  return [cluster, ...members];
}

describe("require-rds-multi-az", () => {
  it("the compliant web stack passes in production", async () => {
    expect(await checkIn(webStack(), "production")).toEqual([]);
  });

  it("rejects a single-AZ instance in a protected environment", async () => {
    const v = await checkIn(
      edit(webStack(), RDS, "db", (p) => {
        p.multiAz = false;
      }),
      "production",
    );
    expectOne(
      v,
      "require-rds-multi-az",
      'RDS instance "db" runs in one AZ without a standby (`multiAz` is not true), in a protected environment (its environment is "production"',
    );
  });

  it("lets staging run single-AZ", async () => {
    expect(
      await checkIn(
        edit(webStack(), RDS, "db", (p) => {
          p.multiAz = false;
        }),
        "staging",
      ),
    ).toEqual([]);
  });

  it("rejects an Aurora cluster with one instance, accepts two", async () => {
    expectOne(
      await checkIn([...webStack(), ...aurora(1)], "production"),
      "require-rds-multi-az",
      'Aurora cluster "reports" has 1 instance in this stack, so it has no replica in another AZ',
    );
    expect(await checkIn([...webStack(), ...aurora(2)], "production")).toEqual([]);
  });

  it("links cluster members through the dependency when the identifier is unknown in preview", async () => {
    const stack = [...webStack(), ...aurora(2)];
    const cluster = find(stack, "aws:rds/cluster:Cluster", "reports");
    for (const name of ["reports-0", "reports-1"]) {
      const m = find(stack, "aws:rds/clusterInstance:ClusterInstance", name);
      m.outputs!.clusterIdentifier = UNKNOWN;
      m.propertyDependencies = { clusterIdentifier: [cluster.urn] };
    }
    expect(await checkIn(stack, "production")).toEqual([]);
  });

  it("accepts a Multi-AZ DB cluster (three nodes by construction)", async () => {
    const cluster = resource("aws:rds/cluster:Cluster", "orders", {
      clusterIdentifier: "shop-orders",
      engine: "postgres",
      dbClusterInstanceClass: "db.m6gd.large",
      storageType: "io1",
      allocatedStorage: 100,
      iops: 1000,
      manageMasterUserPassword: true,
      storageEncrypted: true,
      backupRetentionPeriod: 7,
      deletionProtection: true,
    });
    expect(await checkIn([...webStack(), cluster], "production")).toEqual([]);
  });
});

describe("require-redis-failover", () => {
  it("rejects a replication group without automatic failover in a protected environment", async () => {
    const v = await checkIn(
      edit(webStack(), REDIS, "cache", (p) => {
        delete p.automaticFailoverEnabled;
      }),
      "production",
    );
    expectOne(v, "require-redis-failover", 'ElastiCache replication group "cache" lacks automaticFailoverEnabled, in a protected environment');
  });

  it("names every missing piece of a single-node group", async () => {
    const v = await checkIn(
      edit(webStack(), REDIS, "cache", (p) => {
        p.numCacheClusters = 1;
        p.automaticFailoverEnabled = false;
        p.multiAzEnabled = false;
      }),
      "production",
    );
    expectOne(v, "require-redis-failover", "lacks a replica (numCacheClusters is 1), automaticFailoverEnabled, multiAzEnabled");
  });

  it("lets staging run one node", async () => {
    expect(
      await checkIn(
        edit(webStack(), REDIS, "cache", (p) => {
          p.numCacheClusters = 1;
          p.automaticFailoverEnabled = false;
          p.multiAzEnabled = false;
        }),
        "staging",
      ),
    ).toEqual([]);
  });
});
