/**
 * The profile contract check (contract/check/profile/) against the Membrane example, captured once
 * per platform: each kind of edge breaks, alone, when the resource that provides it is removed, and
 * each kind of opening beyond the contract is reported, alone, when it is added. A test fails if the
 * check stops looking at the thing it removes or adds.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseAnyStackConfig, rawFromStackFile } from "../../config/load";
import { isProfileConfig } from "../../config/profile-schema";
import { checkProfileContract, expectedProfileEdges, type ProfileContractCheck } from "../../contract/check/profile";
import { capture, type Capture } from "../../offline/capture";
import { planProfile } from "../../sizing/profile";
import type { WorkloadPlan } from "../../sizing/profile-types";
import { buildProfileStack } from "../../stack-profile";
import { type R, added, byName, container, edgeNames, edit, podContainer, statements, without } from "./contract-check-support";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const LISTENER_RULE = "aws:lb/listenerRule:ListenerRule";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const K8S_SERVICE = "kubernetes:core/v1:Service";
const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation";

const MONGO = "arn:aws:secretsmanager:us-east-1:123456789012:secret:membrane/mongo-uri-AbCdEf";
const RUNNER = "custom-code-runner";

type Props = Record<string, unknown>;

interface ProfileStack {
  readonly plan: WorkloadPlan;
  readonly cap: Capture;
  readonly rs: R[];
  /** The id of the security group whose name ends with `-<suffix>-sg`. */
  readonly sg: (role: string) => string;
}

/** The example stack file planned as `plan` does, and its profile stack captured under mocks. */
async function capturedProfile(file: string): Promise<ProfileStack> {
  const config = parseAnyStackConfig(rawFromStackFile(file), file);
  if (!isProfileConfig(config)) throw new Error(`${file} is not a profile stack`);
  const plan = planProfile(config);
  const cap = await capture(() => buildProfileStack(plan, "test"), { stack: "test" });
  return { plan, cap, rs: cap.resources, sg: (role) => cap.one(SG, `-${role}-sg`).id! };
}

const brokenOf = (r: ProfileContractCheck) => r.edges.filter((e) => !e.ok).map((e) => ({ role: e.role, target: e.target, missing: e.missing }));

/** Exactly these edges broke, with these messages, and nothing extra appeared. */
async function expectBroken(s: ProfileStack, rs: R[], ...edges: [role: string, target: string, missing: string][]): Promise<void> {
  const r = await checkProfileContract(s.plan, rs);
  expect(brokenOf(r)).toEqual(edges.map(([role, target, missing]) => ({ role, target, missing })));
  expect(r.extras).toEqual([]);
  expect(r.ok).toBe(false);
}

/** Every edge holds and exactly these extras are reported (strings, or asymmetric matchers). */
async function expectExtras(s: ProfileStack, rs: R[], ...extras: unknown[]): Promise<void> {
  const r = await checkProfileContract(s.plan, rs);
  expect(brokenOf(r)).toEqual([]);
  expect(r.extras).toEqual(extras);
  expect(r.ok).toBe(false);
}

/** The Membrane edges, the same on both platforms. */
const WORKER_EDGES = (role: string, runner: boolean) => [
  `${role} -> redis`,
  `${role} -> s3:tmp`,
  `${role} -> s3:connectors`,
  `${role} -> s3:static`,
  ...(runner ? [`${role} -> role:${RUNNER}`] : []),
  `${role} -> external:mongo`,
  `${role} -> secret:MONGO_URI`,
  `${role} -> secret:SECRET`,
  `${role} -> secret:ENCRYPTION_SECRET`,
];
const MEMBRANE_EDGES = [
  ...WORKER_EDGES("api", true),
  ...WORKER_EDGES("instant-worker", true),
  ...WORKER_EDGES("queued-worker", true),
  ...WORKER_EDGES("orchestrator", false),
  "load-balancer -> role:api",
  "load-balancer -> role:ui",
  "load-balancer -> role:console",
];

describe("profile contract check on Fargate (examples/membrane.yaml)", () => {
  let s: ProfileStack;
  beforeAll(async () => {
    s = await capturedProfile("examples/membrane.yaml");
  });

  it("passes with exactly the profile's edges and nothing beyond them", async () => {
    expect(s.plan.platform).toBe("fargate");
    expect(edgeNames(expectedProfileEdges(s.plan))).toEqual(MEMBRANE_EDGES);
    const r = await checkProfileContract(s.plan, s.rs);
    expect(edgeNames(r.edges)).toEqual(MEMBRANE_EDGES);
    expect(r).toMatchObject({ ok: true, extras: [] });
  });

  describe("each edge breaks when the resource that provides it is removed", () => {
    it("queued-worker -> role: the security group rule admitting it to the runner", () =>
      expectBroken(s, without(s.rs, byName(RULE, `-${RUNNER}-from-queued-worker`)), [
        "queued-worker",
        `role:${RUNNER}`,
        `no ingress rule on the ${RUNNER} security group from the queued-worker security group on 5000`,
      ]));

    it("api -> redis: the cache's ingress rule for api", () =>
      expectBroken(s, without(s.rs, byName(RULE, "-redis-from-api")), [
        "api",
        "redis",
        "no ingress rule on the cache security group from the api security group on 6379",
      ]));

    it("api -> secret: the execution role's grant on the secret", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(ROLE_POLICY, "-api-exec-secrets"),
          statements((st) => st.map((x) => ({ ...x, Resource: [x.Resource].flat().filter((a) => a !== MONGO) }))),
        ),
        ["api", "secret:MONGO_URI", `the api execution role does not allow secretsmanager:GetSecretValue on ${MONGO}`],
      ));

    it("api -> secret: the container's secret reference", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(TASK, "-api-task"),
          container((c) => {
            c.secrets = c.secrets.filter((x) => x.name !== "MONGO_URI");
          }),
        ),
        ["api", "secret:MONGO_URI", "the api container has no secret MONGO_URI"],
      ));

    it("api -> s3: the task role's bucket policy", () => {
      const bucket = s.cap.one("aws:s3/bucket:Bucket", "-tmp-bucket").outputs.arn as string;
      return expectBroken(s, without(s.rs, byName(ATTACHMENT, "-api-task-policy-s3-tmp")), [
        "api",
        "s3:tmp",
        `the api task role does not allow s3:GetObject on ${bucket}/*`,
      ]);
    });

    it("api -> external: the security group's egress to the internet", () =>
      expectBroken(
        s,
        edit(s.rs, byName(SG, "-api-sg"), (p) => {
          p.egress = [];
        }),
        ["api", "external:mongo", "the api security group has no egress to the internet for mongo"],
      ));

    it("load balancer -> public role: the listener rule", () =>
      expectBroken(s, without(s.rs, byName(LISTENER_RULE, "-ui-rule")), [
        "load-balancer",
        "role:ui",
        "no listener or listener rule forwards to the ui target group",
      ]));

    it("load balancer -> public role: the security group rule from the load balancer", () =>
      expectBroken(s, without(s.rs, byName(RULE, "-console-from-alb")), [
        "load-balancer",
        "role:console",
        "no ingress rule on the console security group from the load balancer on 5000",
      ]));
  });

  describe("nothing beyond the contract: each extra opening is reported", () => {
    it("a security group rule from ui (which does not connect) to the runner", () =>
      expectExtras(
        s,
        added(s.rs, RULE, "membrane-test-custom-code-runner-from-ui", {
          securityGroupId: s.sg(RUNNER),
          referencedSecurityGroupId: s.sg("ui"),
          ipProtocol: "tcp",
          fromPort: 5000,
          toPort: 5000,
        }),
        `ingress rule membrane-test-custom-code-runner-from-ui opens the ${RUNNER} security group to the ui security group on 5000, which no contract edge or known caller needs`,
      ));

    it("a target group in front of the internal runner", () => {
      const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/membrane-test-runner-tg/0123456789abcdef";
      const rs = edit(
        added(s.rs, TARGET_GROUP, "membrane-test-custom-code-runner-tg", { port: 5000, protocol: "HTTP" }, { arn: tg }, tg),
        byName(SERVICE, `-${RUNNER}-service`),
        (p) => {
          p.loadBalancers = [{ containerName: RUNNER, containerPort: 5000, targetGroupArn: tg }];
        },
      );
      return expectExtras(s, rs, `the internal ${RUNNER} service is registered in a load balancer target group`);
    });

    it("a listener rule forwarding to a target group that serves no public role", () => {
      const listener = s.cap.one("aws:lb/listener:Listener", "-https").outputs.arn as string;
      const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/membrane-test-stray-tg/fedcba9876543210";
      return expectExtras(
        s,
        added(s.rs, LISTENER_RULE, "membrane-test-stray-rule", {
          listenerArn: listener,
          priority: 99,
          actions: [{ type: "forward", targetGroupArn: tg }],
          conditions: [{ pathPattern: { values: ["/run/*"] } }],
        }),
        `membrane-test-stray-rule forwards to target group ${tg}, which serves no public role`,
      );
    });

    it("a secret the ui execution role may read but ui does not", () => {
      const redisAuth = s.cap.one("aws:secretsmanager/secret:Secret").outputs.arn as string;
      return expectExtras(
        s,
        added(s.rs, ROLE_POLICY, "membrane-test-ui-exec-extra", {
          role: s.cap.one("aws:iam/role:Role", "-ui-exec-role").id,
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: redisAuth }],
          }),
        }),
        `the ui execution role allows secretsmanager:GetSecretValue on ${redisAuth}, which the ui role does not read`,
      );
    });

    it("a secret in the ui container that the ui role does not list", () =>
      expectExtras(
        s,
        edit(
          s.rs,
          byName(TASK, "-ui-task"),
          container((c) => {
            c.secrets = [...(c.secrets ?? []), { name: "MONGO_URI", valueFrom: MONGO }];
          }),
        ),
        "the ui container receives the secret MONGO_URI, which the membrane ui role does not list",
      ));

    it("a task role with bucket access for the runner, which connects to no bucket", () => {
      const apiTaskRole = (s.cap.one(TASK, "-api-task").inputs.taskRoleArn as string) ?? "";
      return expectExtras(
        s,
        edit(s.rs, byName(TASK, `-${RUNNER}-task`), (p: Props) => {
          p.taskRoleArn = apiTaskRole;
        }),
        ...["tmp", "connectors", "static"].map((key) =>
          expect.stringMatching(new RegExp(`^the ${RUNNER} task role .*, but the ${RUNNER} role has no edge to the ${key} bucket$`)),
        ),
      );
    });
  });
});

describe("profile contract check on EKS (examples/membrane-eks.yaml)", () => {
  let s: ProfileStack;
  beforeAll(async () => {
    s = await capturedProfile("examples/membrane-eks.yaml");
  });

  interface Peer {
    podSelector?: { matchLabels: Record<string, string> };
  }
  interface NetpolSpec {
    ingress: { from: Peer[]; ports: { port: number }[] }[];
    egress: { to?: { ipBlock?: { cidr: string } }[] }[];
  }
  interface IngressSpec {
    rules: { host?: string; http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { number: number } } } }[] } }[];
  }
  const netpol = (fn: (spec: NetpolSpec) => void) => (p: Props) => fn(p.spec as NetpolSpec);
  const ingress = (fn: (spec: IngressSpec) => void) => (p: Props) => fn(p.spec as IngressSpec);
  const component = (peer: Peer) => peer.podSelector?.matchLabels["app.kubernetes.io/component"];

  it("passes with exactly the profile's edges and nothing beyond them", async () => {
    expect(s.plan.platform).toBe("eks");
    const r = await checkProfileContract(s.plan, s.rs);
    expect(edgeNames(r.edges)).toEqual(MEMBRANE_EDGES);
    expect(r).toMatchObject({ ok: true, extras: [] });
  });

  describe("each edge breaks when the resource that provides it is removed", () => {
    it("queued-worker -> role: the NetworkPolicy ingress peer on the runner", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(NETPOL, `-${RUNNER}-netpol`),
          netpol((spec) => {
            for (const rule of spec.ingress) rule.from = rule.from.filter((peer) => component(peer) !== "queued-worker");
          }),
        ),
        ["queued-worker", `role:${RUNNER}`, `no NetworkPolicy on the ${RUNNER} pods admits the queued-worker pods on 5000`],
      ));

    it("callers -> role: the runner's Service", () =>
      expectBroken(
        s,
        without(s.rs, byName(K8S_SERVICE, `-${RUNNER}-svc`)),
        ...["api", "instant-worker", "queued-worker"].map((role): [string, string, string] => [
          role,
          `role:${RUNNER}`,
          `no Service selects the ${RUNNER} pods on 5000 for the ${role} role`,
        ]),
      ));

    it("api -> secret: the ExternalSecret entry", () =>
      expectBroken(
        s,
        edit(s.rs, byName(EXTERNAL_SECRET, "-api-secrets"), (p) => {
          const spec = p.spec as { data: { secretKey: string }[] };
          spec.data = spec.data.filter((d) => d.secretKey !== "MONGO_URI");
        }),
        ["api", "secret:MONGO_URI", "the ExternalSecret api-secrets does not fill MONGO_URI for the api container's MONGO_URI"],
      ));

    it("api -> secret: the pod's secretKeyRef", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(DEPLOYMENT, "-api"),
          podContainer((c) => {
            c.env = c.env.filter((e) => e.name !== "MONGO_URI");
          }),
        ),
        ["api", "secret:MONGO_URI", "the api container has no MONGO_URI from a Kubernetes Secret"],
      ));

    it("api -> s3: the Pod Identity role's bucket policy", () => {
      const bucket = s.cap.one("aws:s3/bucket:Bucket", "-tmp-bucket").outputs.arn as string;
      return expectBroken(s, without(s.rs, byName(ATTACHMENT, "-api-managed-tmp")), [
        "api",
        "s3:tmp",
        `the api Pod Identity role does not allow s3:GetObject on ${bucket}/*`,
      ]);
    });

    it("api -> external: the NetworkPolicy egress to the internet", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(NETPOL, "-api-netpol"),
          netpol((spec) => {
            spec.egress = spec.egress.filter((e) => !(e.to ?? []).some((t) => t.ipBlock?.cidr === "0.0.0.0/0"));
          }),
        ),
        ["api", "external:mongo", "no NetworkPolicy egress lets the api pods reach mongo on the internet"],
      ));

    it("load balancer -> public role: the Ingress path", () =>
      expectBroken(
        s,
        edit(
          s.rs,
          byName(INGRESS, "-ingress"),
          ingress((spec) => {
            spec.rules = spec.rules.filter((r) => r.host !== "ui.example.com");
          }),
        ),
        ["load-balancer", "role:ui", "no Ingress path sends to a Service of the ui pods"],
      ));
  });

  describe("nothing beyond the contract: each extra opening is reported", () => {
    it("a NetworkPolicy peer admitting ui (which does not connect) to the runner", () =>
      expectExtras(
        s,
        edit(
          s.rs,
          byName(NETPOL, `-${RUNNER}-netpol`),
          netpol((spec) => {
            spec.ingress[0]!.from.push({ podSelector: { matchLabels: { "app.kubernetes.io/component": "ui", "app.kubernetes.io/name": "membrane" } } });
          }),
        ),
        `the NetworkPolicy ${RUNNER} admits the ui pods to the ${RUNNER} pods, which the ui role does not connect to`,
      ));

    it("no NetworkPolicy on the internal runner", () =>
      expectExtras(
        s,
        without(s.rs, byName(NETPOL, `-${RUNNER}-netpol`)),
        `no NetworkPolicy limits ingress to the internal ${RUNNER} pods: every pod in the cluster can reach them`,
      ));

    it("an Ingress path to the internal runner", () =>
      expectExtras(
        s,
        edit(
          s.rs,
          byName(INGRESS, "-ingress"),
          ingress((spec) => {
            spec.rules.push({
              host: "runner.example.com",
              http: { paths: [{ path: "/run", pathType: "Prefix", backend: { service: { name: RUNNER, port: { number: 5000 } } } }] },
            });
          }),
        ),
        `the Ingress membrane sends /run to the internal ${RUNNER} pods`,
      ));

    it("a LoadBalancer Service for the internal runner", () =>
      expectExtras(
        s,
        edit(s.rs, byName(K8S_SERVICE, `-${RUNNER}-svc`), (p) => {
          (p.spec as Props).type = "LoadBalancer";
        }),
        `the Service ${RUNNER} exposes the internal ${RUNNER} pods outside the cluster`,
      ));

    it("an ExternalSecret entry and secretKeyRef the ui role does not list", () =>
      expectExtras(
        s,
        added(
          edit(
            s.rs,
            byName(DEPLOYMENT, "-ui"),
            podContainer((c) => {
              c.env = [...(c.env ?? []), { name: "MONGO_URI", valueFrom: { secretKeyRef: { name: "ui-secrets", key: "MONGO_URI" } } }];
            }),
          ),
          EXTERNAL_SECRET,
          "membrane-test-ui-secrets",
          {
            metadata: { name: "ui-secrets", namespace: "membrane" },
            spec: { target: { name: "ui-secrets" }, data: [{ secretKey: "MONGO_URI", remoteRef: { key: MONGO } }] },
          },
        ),
        "the ui container receives the secret MONGO_URI, which the membrane ui role does not list",
      ));

    it("a Pod Identity role with bucket access for the runner, which connects to no bucket", () => {
      const apiRole = s.cap.one(POD_IDENTITY, "-api-pod-identity").inputs.roleArn as string;
      return expectExtras(
        s,
        added(s.rs, POD_IDENTITY, "membrane-test-custom-code-runner-pod-identity", {
          clusterName: "membrane-test",
          namespace: "membrane",
          serviceAccount: RUNNER,
          roleArn: apiRole,
        }),
        ...["tmp", "connectors", "static"].map((key) =>
          expect.stringMatching(new RegExp(`^the ${RUNNER} Pod Identity role .*, but the ${RUNNER} role has no edge to the ${key} bucket$`)),
        ),
      );
    });
  });
});
