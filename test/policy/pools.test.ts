import { describe, expect, it } from "vitest";
import { ecsStack, eksStack } from "./baseline";
import { check, edit, editContainers, expectOne, setEnv } from "./support";

const TARGET = "aws:appautoscaling/target:Target";
const SERVICE = "aws:ecs/service:Service";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";

type PodEnv = { name: string; value?: string }[];
function podEnv(p: Record<string, unknown>): PodEnv {
  return (p.spec as { template: { spec: { containers: { env: PodEnv }[] } } }).template.spec.containers[0]!.env;
}

describe("limit-postgres-connections", () => {
  it("rejects pools that exceed 80% of max_connections at maximum scale", async () => {
    // 4 app tasks x pool 50 = 200 > floor(0.8 x 198) = 158 on db.t4g.small.
    const v = await check(editContainers(ecsStack(), "ap-app", ([app]) => setEnv(app!, "AP_POSTGRES_POOL_SIZE", "50")));
    const hit = expectOne(v, "limit-postgres-connections", "Postgres pools can open 200 connections at maximum scale");
    expect(hit.message).toContain('"ap-app" (4 tasks at most, from its autoscaling maxCapacity) x pool 50 = 200');
    expect(hit.message).toContain("allows 198 (default max_connections of db.t4g.small) and the pools may use 80% = 158");
    expect(hit.urn).toBe("urn:pulumi:dev::shop::aws:rds/instance:Instance::ap-db");
  });

  it("counts the default pool of 10 when AP_POSTGRES_POOL_SIZE is unset", async () => {
    let stack = editContainers(ecsStack(), "ap-app", ([app]) => {
      app!.environment = app!.environment!.filter((e) => e.name !== "AP_POSTGRES_POOL_SIZE");
    });
    stack = edit(stack, TARGET, "ap-app-scaling", (p) => {
      p.maxCapacity = 20;
    });
    expectOne(await check(stack), "limit-postgres-connections", "x pool 10 = 200");
  });

  it("uses max_connections from the parameter group when it is set there", async () => {
    const stack = edit(ecsStack(), "aws:rds/parameterGroup:ParameterGroup", "ap-pg", (p) => {
      (p.parameters as unknown[]).push({ name: "max_connections", value: "40" });
    });
    expectOne(
      await check(stack),
      "limit-postgres-connections",
      'allows 40 (max_connections = 40 in parameter group "ap-pg-5f1c2e9") and the pools may use 80% = 32',
    );
  });

  it("honours a configured budget share", async () => {
    // 40 connections against 0.15 x 198 = 29.
    expectOne(await check(ecsStack(), { "limit-postgres-connections": { budgetShare: 0.15 } }), "limit-postgres-connections", "the pools may use 15% = 29");
  });

  it("sums Kubernetes pods at the HPA maximum", async () => {
    const stack = edit(eksStack(), DEPLOYMENT, "ap-app", (p) => {
      podEnv(p).find((e) => e.name === "AP_POSTGRES_POOL_SIZE")!.value = "60";
    });
    expectOne(await check(stack), "limit-postgres-connections", '"ap-app" (4 pods at most, from its autoscaler maximum) x pool 60 = 240');
  });

  it("says it cannot verify when the instance class is not in the table", async () => {
    const stack = edit(ecsStack(), "aws:rds/instance:Instance", "ap-db", (p) => {
      p.instanceClass = "db.r6i.large";
    });
    expectOne(await check(stack), "limit-postgres-connections", 'instance class "db.r6i.large" is not in the pack\'s max_connections table', "advisory");
  });
});

describe("limit-worker-concurrency", () => {
  it("rejects AP_WORKER_CONCURRENCY=5 on an ECS worker", async () => {
    // 5 is within what the program's config accepts (facts WORKER_CONCURRENCY.max): advisory, with the reason.
    const v = await check(editContainers(ecsStack(), "ap-worker", ([w]) => setEnv(w!, "AP_WORKER_CONCURRENCY", "5")));
    expectOne(
      v,
      "limit-worker-concurrency",
      'Worker container "worker" of aws:ecs/taskDefinition:TaskDefinition "ap-worker" sets AP_WORKER_CONCURRENCY=5, above the recommended 1',
      "advisory",
    );
    expect(v[0]!.message).toContain("busy-loops Redis (activepieces#14210)");
    // Above the config's maximum it is a violation.
    const six = await check(editContainers(ecsStack(), "ap-worker", ([w]) => setEnv(w!, "AP_WORKER_CONCURRENCY", "6")));
    expectOne(
      six,
      "limit-worker-concurrency",
      'Worker container "worker" of aws:ecs/taskDefinition:TaskDefinition "ap-worker" sets AP_WORKER_CONCURRENCY=6, above the allowed 5',
    );
  });

  it("rejects a worker that leaves AP_WORKER_CONCURRENCY unset (default 5)", async () => {
    const v = await check(
      edit(eksStack(), DEPLOYMENT, "ap-worker", (p) => {
        const env = podEnv(p);
        env.splice(
          env.findIndex((e) => e.name === "AP_WORKER_CONCURRENCY"),
          1,
        );
      }),
    );
    expectOne(v, "limit-worker-concurrency", "leaves AP_WORKER_CONCURRENCY unset (default 5)", "advisory");
  });

  it("accepts a higher concurrency when the pack config allows it", async () => {
    const stack = editContainers(ecsStack(), "ap-worker", ([w]) => setEnv(w!, "AP_WORKER_CONCURRENCY", "2"));
    expect(await check(stack, { "limit-worker-concurrency": { maxConcurrency: 2, recommendedConcurrency: 2 } })).toEqual([]);
  });
});

describe("limit-workers-per-app", () => {
  it("rejects more than 10 workers per app at maximum scale", async () => {
    const v = await check(
      edit(ecsStack(), SERVICE, "ap-worker", (p) => {
        p.desiredCount = 41;
      }),
    );
    const hit = expectOne(v, "limit-workers-per-app", "runs 41 ActivePieces workers but only 4 app instances; 10 workers per app needs at least 5");
    expect(hit.urn).toBe("urn:pulumi:dev::shop::aws:ecs/service:Service::ap-worker");
  });

  it("counts KEDA's maximum for queue-scaled workers", async () => {
    const v = await check(
      edit(eksStack(), SCALED_OBJECT, "ap-worker-scaler", (p) => {
        (p.spec as Record<string, unknown>).maxReplicaCount = 60;
      }),
    );
    expectOne(v, "limit-workers-per-app", "runs 60 ActivePieces workers but only 4 app instances");
  });
});

describe("require-autoscaling-bounds", () => {
  it("rejects a desired count above the scaling target's maximum", async () => {
    const v = await check(
      edit(ecsStack(), SERVICE, "ap-app", (p) => {
        p.desiredCount = 6;
      }),
    );
    expectOne(v, "require-autoscaling-bounds", '"ap-app" declares 6 instances, outside its autoscaling range 2..4');
  });

  it("rejects minCapacity above maxCapacity", async () => {
    const v = await check(
      edit(ecsStack(), TARGET, "ap-app-scaling", (p) => {
        p.minCapacity = 5;
      }),
    );
    const bounds = v.filter((x) => x.policy === "require-autoscaling-bounds").map((x) => x.message);
    expect(bounds).toEqual([
      expect.stringContaining('aws:appautoscaling/target:Target "ap-app-scaling" has minCapacity 5 above maxCapacity 4'),
      expect.stringContaining('"ap-app" declares 2 instances, outside its autoscaling range 5..4'),
    ]);
  });

  it("rejects a KEDA ScaledObject without maxReplicaCount", async () => {
    const v = await check(
      edit(eksStack(), SCALED_OBJECT, "ap-worker-scaler", (p) => {
        delete (p.spec as Record<string, unknown>).maxReplicaCount;
      }),
    );
    // Without a maximum KEDA allows 100 pods, which also breaks the worker/app ratio.
    expect(v.map((x) => x.policy).sort()).toEqual(["limit-workers-per-app", "require-autoscaling-bounds"]);
    expect(v.find((x) => x.policy === "require-autoscaling-bounds")!.message).toContain("sets no maxReplicaCount, so KEDA may scale its target to 100 pods");
  });
});
