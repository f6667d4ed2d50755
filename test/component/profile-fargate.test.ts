import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Network } from "../../components/network";
import { FargateProfile } from "../../components/profile/fargate";
import { checkFargateProfile, serverFirstOrder } from "../../components/profile/fargate-order";
import { albPathPattern } from "../../components/profile/fargate-roles";
import { Queue } from "../../components/queue";
import { Storage } from "../../components/storage";
import type { WorkloadPlan } from "../../sizing/profile-types";
import { capture, type Capture, type CapturedResource } from "../../offline/capture";
import { AUTH_SECRET_ARN, membranePlan, MONGO_SECRET_ARN, withRole } from "../fixtures/profile-plans";
import { containers } from "../stack";

const REDIS_AUTH_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:membrane/test/redis-auth-MnOpQr";
const PREFIX = "membrane-test";

/** Wires the tiers a profile asks for as stack-profile.ts does, then the Fargate profile. */
function captureProfile(plan: WorkloadPlan): Promise<Capture> {
  return capture(
    () => {
      const provider = new aws.Provider("aws", { region: plan.region });
      const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
      const network = new Network(`${PREFIX}-network`, { plan: plan.network, region: plan.region }, opts);
      const tier = { vpcId: network.vpcId, subnetIds: network.privateSubnetIds };
      const queue = plan.data.redis
        ? new Queue(`${PREFIX}-redis`, { plan: plan.data.redis, namePrefix: PREFIX, ...tier, authToken: pulumi.secret("test-token") }, opts)
        : undefined;
      const buckets = Object.fromEntries(
        plan.data.buckets.map((k) => [k, new Storage(`${PREFIX}-${k}`, { namePrefix: `${PREFIX}-${k}`, region: plan.region, protect: false }, opts)]),
      );
      const platform = new FargateProfile(PREFIX, { plan, network, queue, redisAuthSecretArn: REDIS_AUTH_ARN, buckets }, opts);
      return platform.outputs;
    },
    { stack: "test" },
  );
}

type Secrets = { name: string; valueFrom: string }[];
type Env = { name: string; value: string }[];
const ROLES = ["api", "ui", "console", "instant-worker", "queued-worker", "orchestrator", "custom-code-runner"];
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

describe("FargateProfile (Membrane-shaped)", () => {
  let cap: Capture;
  const sg = (role: string) => cap.one("aws:ec2/securityGroup:SecurityGroup", `${PREFIX}-${role}-sg`);
  const queueMetricSg = () => cap.one("aws:ec2/securityGroup:SecurityGroup", `${PREFIX}-queued-worker-queue-metric-fn-sg`);
  const rulesInto = (group: CapturedResource) => cap.ofType(INGRESS).filter((r) => r.inputs.securityGroupId === group.id);
  const service = (role: string) => cap.one("aws:ecs/service:Service", `${PREFIX}-${role}-service`);
  const container = (role: string) => containers(cap, `${PREFIX}-${role}-task`)[0]!;

  beforeAll(async () => {
    cap = await captureProfile(membranePlan());
  });

  it("builds one cluster with both Fargate capacity providers and one service per role", () => {
    expect(cap.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").inputs.capacityProviders).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(
      cap
        .ofType("aws:ecs/service:Service")
        .map((s) => s.inputs.name)
        .sort(),
    ).toEqual(ROLES.map((r) => `${PREFIX}-${r}`).sort());
  });

  it("runs the spot roles on FARGATE_SPOT and the rest on FARGATE, never with launchType", () => {
    for (const role of ROLES) {
      const provider = role === "instant-worker" || role === "queued-worker" ? "FARGATE_SPOT" : "FARGATE";
      expect(service(role).inputs.capacityProviderStrategies, role).toEqual([{ capacityProvider: provider, base: 0, weight: 1 }]);
      expect(service(role).inputs.launchType).toBeUndefined();
    }
  });

  describe("load balancer", () => {
    it("answers unmatched requests with a fixed 404", () => {
      expect(cap.one("aws:lb/listener:Listener", "-https").inputs.defaultActions).toEqual([
        { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" } },
      ]);
    });

    it("routes each public role by its path, host and priority to its own target group on its port", () => {
      const https = cap.one("aws:lb/listener:Listener", "-https");
      const expected: Record<string, { conditions: unknown[]; priority: number; port: number; health: string }> = {
        api: { conditions: [{ pathPattern: { values: ["/*"] } }], priority: 300, port: 5000, health: "/health" },
        ui: { conditions: [{ pathPattern: { values: ["/*"] } }, { hostHeader: { values: ["ui.example.com"] } }], priority: 100, port: 3000, health: "/" },
        console: {
          conditions: [{ pathPattern: { values: ["/*"] } }, { hostHeader: { values: ["console.example.com"] } }],
          priority: 200,
          port: 3001,
          health: "/",
        },
      };
      expect(
        cap
          .ofType("aws:lb/listenerRule:ListenerRule")
          .map((r) => r.name)
          .sort(),
      ).toEqual(
        Object.keys(expected)
          .map((r) => `${PREFIX}-${r}-rule`)
          .sort(),
      );
      for (const [role, e] of Object.entries(expected)) {
        const tg = cap.one("aws:lb/targetGroup:TargetGroup", `${PREFIX}-${role}-tg`);
        const rule = cap.one("aws:lb/listenerRule:ListenerRule", `${PREFIX}-${role}-rule`);
        expect(rule.inputs).toMatchObject({ listenerArn: https.outputs.arn, priority: e.priority, conditions: e.conditions });
        expect(rule.inputs.actions).toEqual([{ type: "forward", targetGroupArn: tg.outputs.arn }]);
        expect(tg.inputs).toMatchObject({ port: e.port, targetType: "ip", healthCheck: { path: e.health } });
        expect(service(role).inputs.loadBalancers).toEqual([{ targetGroupArn: tg.outputs.arn, containerName: role, containerPort: e.port }]);
        // Only the ALB reaches a public role.
        const alb = cap.one("aws:ec2/securityGroup:SecurityGroup", `${PREFIX}-alb-sg`);
        expect(rulesInto(sg(role)).map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort])).toEqual([[alb.id, e.port, e.port]]);
      }
    });

    it("lets the ALB reach only the public roles' ports in the VPC", () => {
      const egress = cap.one("aws:ec2/securityGroup:SecurityGroup", `${PREFIX}-alb-sg`).inputs.egress as { fromPort: number; toPort: number }[];
      expect(egress.map((e) => [e.fromPort, e.toPort])).toEqual([
        [5000, 5000],
        [3000, 3000],
        [3001, 3001],
      ]);
    });

    it("makes the service wait for its own listener rule, which attaches its target group", () => {
      const rule = cap.one("aws:lb/listenerRule:ListenerRule", `${PREFIX}-ui-rule`);
      expect(service("ui").options.dependsOn).toContain(rule.urn);
    });
  });

  describe("internal custom-code runner", () => {
    it("has no target group, no listener rule and no load balancer", () => {
      expect(cap.ofType("aws:lb/targetGroup:TargetGroup").filter((t) => t.name.includes("custom-code-runner"))).toEqual([]);
      expect(cap.ofType("aws:lb/listenerRule:ListenerRule").filter((t) => t.name.includes("custom-code-runner"))).toEqual([]);
      expect(service("custom-code-runner").inputs.loadBalancers).toBeUndefined();
    });

    it("admits its port only from the api and queued-worker security groups", () => {
      const rules = rulesInto(sg("custom-code-runner"));
      expect(rules.map((r) => r.inputs.referencedSecurityGroupId).sort()).toEqual([sg("api").id, sg("queued-worker").id].sort());
      for (const r of rules) {
        expect(r.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 8080, toPort: 8080 });
        expect(r.inputs.cidrIpv4).toBeUndefined();
      }
      expect(sg("custom-code-runner").inputs.ingress).toBeUndefined();
    });

    it("serves over Service Connect under its role name and port; its clients start after it", () => {
      const ns = cap.one("aws:servicediscovery/httpNamespace:HttpNamespace");
      expect(service("custom-code-runner").inputs.serviceConnectConfiguration).toEqual({
        enabled: true,
        namespace: ns.outputs.arn,
        services: [{ portName: "http", discoveryName: "custom-code-runner", clientAlias: [{ port: 8080, dnsName: "custom-code-runner" }] }],
      });
      expect(container("custom-code-runner").portMappings).toEqual([{ containerPort: 8080, protocol: "tcp", name: "http" }]);
      // A component in dependsOn stands for its children: the client services wait for the runner's service.
      const runner = service("custom-code-runner");
      expect(service("api").options.dependsOn).toContain(runner.urn);
      expect(service("queued-worker").options.dependsOn).toContain(runner.urn);
      expect(service("instant-worker").options.dependsOn).not.toContain(runner.urn);
      const env = Object.fromEntries((container("api").environment as Env).map((e) => [e.name, e.value]));
      expect(env.CUSTOM_CODE_RUNNER_URL).toBe("http://custom-code-runner:8080");
    });

    it("fills `${...}` references in the plan's env with the stack's endpoints", () => {
      const env = container("api").environment as { name: string; value: string }[];
      expect(env).toContainEqual({ name: "CODE_RUNNER", value: "http://custom-code-runner:8080/run" });
      expect(env.find((e) => e.name === "TMP_STORAGE_BUCKET")?.value).toMatch(/tmp/);
      expect(JSON.stringify(env)).not.toContain("${");
    });

    it("health-checks the role's own path on its own port", () => {
      expect(container("custom-code-runner").healthCheck).toMatchObject({
        command: ["CMD", "node", "-e", expect.stringContaining('"http://127.0.0.1:8080/health"')],
      });
    });
  });

  describe("data edges", () => {
    it("opens Redis only to the roles that connect to it", () => {
      const redisSg = cap.one("aws:ec2/securityGroup:SecurityGroup", `${PREFIX}-redis-sg`);
      expect(
        rulesInto(redisSg)
          .map((r) => r.inputs.referencedSecurityGroupId)
          .sort(),
      ).toEqual([...["api", "instant-worker", "queued-worker", "orchestrator"].map((r) => sg(r).id), queueMetricSg().id].sort());
    });

    it("publishes the queued worker's backlog from the length of its scaling key, tracked per task", () => {
      const fn = cap.one("aws:lambda/function:Function", `${PREFIX}-queued-worker-queue-metric-fn`);
      const vars = (fn.inputs.environment as { variables: Record<string, unknown> }).variables;
      expect(vars).toMatchObject({ QUEUE_LIST_NAME: "bull:queued-tasks:wait", ECS_SERVICE: expect.any(String), REDIS_TLS: "true" });
      const policy = cap.one("aws:appautoscaling/policy:Policy", `${PREFIX}-queued-worker-scaling-backlog`);
      expect(JSON.stringify(policy.inputs)).toContain("BacklogPerWorker");
      // Only the queue-scaled role gets a publisher.
      expect(cap.ofType("aws:lambda/function:Function").filter((f) => f.name.includes("queue-metric"))).toHaveLength(1);
    });

    it("gives a task role only to roles that reach S3, with exactly their buckets", () => {
      const attachments = (role: string) =>
        cap
          .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
          .filter((a) => a.name.startsWith(`${PREFIX}-${role}-task-policy-`))
          .map((a) => a.inputs.policyArn)
          .sort();
      const policy = (bucket: string) => cap.one("aws:iam/policy:Policy", `${PREFIX}-${bucket}-access`).outputs.arn;
      expect(attachments("api")).toEqual(["tmp", "connectors", "static"].map(policy).sort());
      expect(attachments("queued-worker")).toEqual(["tmp", "connectors"].map(policy).sort());
      for (const role of ["ui", "console", "orchestrator", "custom-code-runner"]) {
        expect(cap.ofType("aws:iam/role:Role").filter((r) => r.name === `${PREFIX}-${role}-task-role`)).toEqual([]);
        expect(cap.one("aws:ecs/taskDefinition:TaskDefinition", `${PREFIX}-${role}-task`).inputs.taskRoleArn).toBeUndefined();
      }
    });
  });

  describe("secrets", () => {
    const expected: Record<string, Secrets> = {
      api: [
        { name: "MONGO_URI", valueFrom: MONGO_SECRET_ARN },
        { name: "AUTH_SECRET", valueFrom: `${AUTH_SECRET_ARN}:secret::` },
        { name: "REDIS_PASSWORD", valueFrom: REDIS_AUTH_ARN },
      ],
      ui: [],
      console: [],
      "instant-worker": [
        { name: "MONGO_URI", valueFrom: MONGO_SECRET_ARN },
        { name: "REDIS_PASSWORD", valueFrom: REDIS_AUTH_ARN },
      ],
      "queued-worker": [
        { name: "MONGO_URI", valueFrom: MONGO_SECRET_ARN },
        { name: "REDIS_PASSWORD", valueFrom: REDIS_AUTH_ARN },
      ],
      orchestrator: [
        { name: "MONGO_URI", valueFrom: MONGO_SECRET_ARN },
        { name: "REDIS_PASSWORD", valueFrom: REDIS_AUTH_ARN },
      ],
      "custom-code-runner": [],
    };

    it("puts each secret only in the roles that declare (or connect to) it, by reference", () => {
      for (const role of ROLES) {
        expect(container(role).secrets, role).toEqual(expected[role]);
        const env = container(role).environment as Env;
        expect(
          env.filter((e) => /PASSWORD|SECRET|MONGO/.test(e.name)).map((e) => e.name),
          role,
        ).toEqual([]);
      }
    });

    it("lets each execution role read exactly its role's secrets, and gives no secrets policy to a role without any", () => {
      for (const role of ROLES) {
        const policies = cap.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name === `${PREFIX}-${role}-exec-secrets`);
        if (expected[role]!.length === 0) {
          expect(policies, role).toEqual([]);
          continue;
        }
        const doc = JSON.parse(policies[0]!.inputs.policy as string) as { Statement: { Resource: string[] }[] };
        const arns = [...new Set(expected[role]!.map((s) => s.valueFrom.replace(/:[^:]+::$/, "")))].sort();
        expect(doc.Statement).toEqual([{ Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: arns }]);
      }
    });
  });

  describe("scaling", () => {
    const policies = (role: string) => cap.ofType("aws:appautoscaling/policy:Policy").filter((p) => p.name.startsWith(`${PREFIX}-${role}-scaling-`));

    it("scales the api on requests per target OR CPU, 60 s out / 300 s in", () => {
      const [cpu, requests] = [`${PREFIX}-api-scaling-cpu`, `${PREFIX}-api-scaling-requests`].map((n) => cap.one("aws:appautoscaling/policy:Policy", n));
      expect(policies("api")).toHaveLength(2);
      expect(cpu!.inputs.targetTrackingScalingPolicyConfiguration).toEqual({
        targetValue: 70,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
      });
      const lb = cap.one("aws:lb/loadBalancer:LoadBalancer").outputs.arnSuffix;
      const tg = cap.one("aws:lb/targetGroup:TargetGroup", `${PREFIX}-api-tg`).outputs.arnSuffix;
      expect(requests!.inputs.targetTrackingScalingPolicyConfiguration).toEqual({
        targetValue: 1000,
        predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: `${lb}/${tg}` },
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
      });
      expect(cap.one("aws:appautoscaling/target:Target", `${PREFIX}-api-scaling-target`).inputs).toMatchObject({ minCapacity: 2, maxCapacity: 6 });
    });

    it("tracks CPU alone for cpu roles, the backlog metric for queue roles, and nothing for static roles", () => {
      expect(policies("ui").map((p) => p.name)).toEqual([`${PREFIX}-ui-scaling-cpu`]);
      const backlog = policies("queued-worker");
      expect(backlog.map((p) => p.name)).toEqual([`${PREFIX}-queued-worker-scaling-backlog`]);
      expect(backlog[0]!.inputs.targetTrackingScalingPolicyConfiguration).toMatchObject({ targetValue: 5, scaleOutCooldown: 60, scaleInCooldown: 300 });
      const targets = cap.ofType("aws:appautoscaling/target:Target").map((t) => t.name);
      expect(targets).not.toContain(`${PREFIX}-console-scaling-target`);
      expect(targets).not.toContain(`${PREFIX}-orchestrator-scaling-target`);
      expect(service("console").options.ignoreChanges).toEqual([]);
      expect(service("ui").options.ignoreChanges).toEqual(["desiredCount"]);
    });
  });

  it("outputs the URL, cluster, dashboard, alarm topic and one service name per role", () => {
    expect(Object.keys(cap.outputs).sort()).toEqual(
      [
        "url",
        "clusterName",
        "dashboardUrl",
        "alarmTopicArn",
        "apiServiceName",
        "uiServiceName",
        "consoleServiceName",
        "instantWorkerServiceName",
        "queuedWorkerServiceName",
        "orchestratorServiceName",
        "customCodeRunnerServiceName",
      ].sort(),
    );
    expect(cap.outputs.queuedWorkerServiceName).toBe(`${PREFIX}-queued-worker`);
  });
});

describe("FargateProfile refusals (before any resource)", () => {
  const tiers = { buckets: {} };
  it("refuses prometheus scaling, which runs on EKS only", () => {
    const plan = withRole(membranePlan(), "orchestrator", {
      scaling: {
        mode: "prometheus",
        query: "sum(up)",
        threshold: 1,
        serverAddress: "http://prom:9090",
        scaleOutCooldownSeconds: 60,
        scaleInCooldownSeconds: 300,
      },
    });
    expect(() =>
      checkFargateProfile({ plan: { ...plan, data: { ...plan.data, buckets: [] }, roles: plan.roles.filter((r) => r.name === "orchestrator") }, ...tiers }),
    ).toThrow(/prometheus scaling runs on EKS only/);
  });

  it("refuses requests-or-cpu on an internal role", () => {
    const plan = withRole(membranePlan(), "orchestrator", {
      scaling: { mode: "requests-or-cpu", cpuTarget: 70, requestsPerTarget: 100, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 },
    });
    expect(() => checkFargateProfile({ plan: { ...plan, roles: plan.roles.filter((r) => r.name === "orchestrator") }, ...tiers })).toThrow(
      /not behind the load balancer/,
    );
  });

  it("refuses an edge to a data tier or bucket the profile does not have", () => {
    const plan = membranePlan();
    expect(() => checkFargateProfile({ plan, buckets: {} })).toThrow(/connects to redis, but the profile has no Redis/);
    const onlyUi = { ...plan, roles: plan.roles.filter((r) => r.name === "ui") };
    expect(() => checkFargateProfile({ plan: withRole(onlyUi, "ui", { connects: [{ target: "postgres", port: 5432 }] }), buckets: {} })).toThrow(
      /no PostgreSQL/,
    );
    expect(() => checkFargateProfile({ plan: withRole(onlyUi, "ui", { connects: [{ target: "s3", bucket: "nope" }] }), buckets: {} })).toThrow(/bucket "nope"/);
  });
});

describe("profile helpers", () => {
  it("orders Service Connect servers before their clients and refuses a cycle", () => {
    const order = serverFirstOrder(membranePlan().roles).map((r) => r.name);
    expect(order.indexOf("custom-code-runner")).toBeLessThan(order.indexOf("api"));
    const cyclic = withRole(membranePlan(), "custom-code-runner", { connects: [{ target: "role", role: "api", port: 5000 }] });
    expect(() => serverFirstOrder(cyclic.roles)).toThrow(/cycle/);
  });

  it("turns a plan path into an ALB path pattern", () => {
    expect(albPathPattern("/")).toBe("/*");
    expect(albPathPattern("/api/*")).toBe("/api/*");
    expect(albPathPattern("/api/")).toBe("/api/*");
  });
});
