/**
 * New rules on what faces the internet: public ingress only on load balancers, a TLS 1.2+ policy on
 * HTTPS/TLS listeners, ALB access logs (mandatory in protected environments).
 */
import { describe, expect, it } from "vitest";
import { WEB_ALB_SG, WEB_TASK_SG, checkIn, eksWorkersStack, webStack } from "./other-teams";
import { UNKNOWN, edit, expectOne, find, resource } from "./support";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const annotations = (p: Record<string, unknown>) => (p.metadata as { annotations: Record<string, string> }).annotations;

describe("limit-public-ingress-to-load-balancers", () => {
  it("rejects the internet on the tasks' security group", async () => {
    const v = await checkIn(
      edit(webStack(), SG, "task-sg", (p) => {
        p.ingress = [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/0"] }];
      }),
    );
    const hit = expectOne(
      v,
      "limit-public-ingress-to-load-balancers",
      'aws:ec2/securityGroup:SecurityGroup "task-sg" opens port 8080 to 0.0.0.0/0 on security group "task-sg", which aws:ecs/service:Service "web" uses',
    );
    expect(hit.urn).toBe("urn:pulumi:dev::shop::aws:ec2/securityGroup:SecurityGroup::task-sg");
  });

  it("rejects a separate ingress rule that opens a node group's launch template group to ::/0", async () => {
    const lt = resource("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
      vpcSecurityGroupIds: ["sg-0nodes000000000001"],
      metadataOptions: { httpTokens: "required" },
    });
    const rule = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", {
      securityGroupId: "sg-0nodes000000000001",
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv6: "::/0",
    });
    expectOne(
      await checkIn([...webStack(), lt, rule]),
      "limit-public-ingress-to-load-balancers",
      'opens port 22 to ::/0 on security group sg-0nodes000000000001, which aws:ec2/launchTemplate:LaunchTemplate "nodes" uses',
    );
  });

  it("accepts the load balancer's own group, egress to the internet and ICMP", async () => {
    const stack = edit(webStack(), SG, "alb-sg", (p) => {
      (p.ingress as unknown[]).push({ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] });
    });
    const icmp = edit(stack, SG, "task-sg", (p) => {
      p.ingress = [{ protocol: "icmp", fromPort: 3, toPort: 4, cidrBlocks: ["0.0.0.0/0"] }];
    });
    expect(await checkIn(icmp)).toEqual([]);
  });

  it("links the load balancer to its group through the dependency when ids are unknown in preview", async () => {
    const stack = webStack();
    const lb = find(stack, LB, "alb");
    lb.outputs!.securityGroups = [UNKNOWN];
    lb.propertyDependencies = { securityGroups: [find(stack, SG, "alb-sg").urn] };
    expect(await checkIn(stack)).toEqual([]);
  });

  it("gives an advisory for an open group nothing in the stack uses, silenced by exemptSecurityGroups", async () => {
    const stack = webStack().filter((r) => r.type !== LB);
    expectOne(
      await checkIn(stack),
      "limit-public-ingress-to-load-balancers",
      'Cannot verify whether security group "alb-sg" belongs to a load balancer: aws:ec2/securityGroup:SecurityGroup "alb-sg" opens port 443 to 0.0.0.0/0 and ::/0 and nothing in this stack uses the group',
      "advisory",
    );
    expect(await checkIn(stack, undefined, { "limit-public-ingress-to-load-balancers": { exemptSecurityGroups: [WEB_ALB_SG] } })).toEqual([]);
  });

  it("leaves an open database port to disallow-open-database-ingress, so it is reported once", async () => {
    const v = await checkIn(
      edit(webStack(), SG, "db-sg", (p) => {
        p.ingress = [{ protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["0.0.0.0/0"] }];
      }),
    );
    expectOne(v, "disallow-open-database-ingress", "to port 3306");
  });

  it("rejects a group both the load balancer and the tasks use", async () => {
    const v = await checkIn(
      edit(webStack(), "aws:ecs/service:Service", "web", (p) => {
        (p.networkConfiguration as { securityGroups: string[] }).securityGroups = [WEB_TASK_SG, WEB_ALB_SG];
      }),
    );
    expectOne(v, "limit-public-ingress-to-load-balancers", 'on security group "alb-sg", which aws:ecs/service:Service "web" uses');
  });
});

describe("require-tls-listener-policy", () => {
  it("rejects an HTTPS listener without sslPolicy, which gets ELBSecurityPolicy-2016-08", async () => {
    const v = await checkIn(
      edit(webStack(), LISTENER, "https", (p) => {
        delete p.sslPolicy;
      }),
    );
    expectOne(
      v,
      "require-tls-listener-policy",
      'HTTPS listener "https" sets no `sslPolicy`, so it gets ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1',
    );
  });

  it("rejects ELBSecurityPolicy-2016-08 and TLS 1.1 policies by name", async () => {
    expectOne(
      await checkIn(
        edit(webStack(), LISTENER, "https", (p) => {
          p.sslPolicy = "ELBSecurityPolicy-2016-08";
        }),
      ),
      "require-tls-listener-policy",
      "uses ELBSecurityPolicy-2016-08, which accepts TLS versions below 1.2",
    );
    expectOne(
      await checkIn(
        edit(webStack(), LISTENER, "https", (p) => {
          p.protocol = "TLS";
          p.sslPolicy = "ELBSecurityPolicy-TLS13-1-1-2021-06";
        }),
      ),
      "require-tls-listener-policy",
      'TLS listener "https" uses ELBSecurityPolicy-TLS13-1-1-2021-06',
    );
  });

  it("gives an advisory for a TLS 1.2+ policy name the table does not know yet, and honours allowedPolicies", async () => {
    const stack = edit(webStack(), LISTENER, "https", (p) => {
      p.sslPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2027-01";
    });
    expectOne(
      await checkIn(stack),
      "require-tls-listener-policy",
      "a TLS 1.2+ policy by its name that the pack's table (policies/facts/elb.ts) does not list yet",
      "advisory",
    );
    expect(await checkIn(stack, undefined, { "require-tls-listener-policy": { allowedPolicies: ["ELBSecurityPolicy-TLS13-1-2-Res-PQ-2027-01"] } })).toEqual([]);
    const strict = { "require-tls-listener-policy": { allowedPolicies: ["ELBSecurityPolicy-TLS13-1-3-2021-06"] } };
    expectOne(
      await checkIn(webStack(), undefined, strict),
      "require-tls-listener-policy",
      "uses ELBSecurityPolicy-TLS13-1-2-2021-06, which is not in the allowlist",
    );
  });

  it("rejects an AWS Load Balancer Controller Ingress with HTTPS and no ssl-policy annotation", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), INGRESS, "flows-ingress", (p) => {
        delete annotations(p)["alb.ingress.kubernetes.io/ssl-policy"];
      }),
    );
    expectOne(
      v,
      "require-tls-listener-policy",
      'Ingress "flows-ingress" (AWS Load Balancer Controller) has no `alb.ingress.kubernetes.io/ssl-policy` annotation, so it gets ELBSecurityPolicy-2016-08',
    );
  });
});

describe("require-alb-access-logs", () => {
  it("is mandatory for an ALB without access logs in a protected environment", async () => {
    const v = await checkIn(
      edit(webStack(), LB, "alb", (p) => {
        delete p.accessLogs;
      }),
      "production",
    );
    expectOne(
      v,
      "require-alb-access-logs",
      'Application Load Balancer "alb" sets no `accessLogs`, so requests leave no access log (required: its environment is "production"',
    );
  });

  it("is advisory elsewhere, and notices logs switched off", async () => {
    const v = await checkIn(
      edit(webStack(), LB, "alb", (p) => {
        p.accessLogs = { bucket: "shop-alb-logs-7c1d2e3", enabled: false };
      }),
      "staging",
    );
    expectOne(
      v,
      "require-alb-access-logs",
      "leaves `accessLogs.enabled` off, so requests leave no access log; advisory because it is not in a protected environment",
      "advisory",
    );
  });

  it("leaves network load balancers alone", async () => {
    expect(
      await checkIn(
        edit(webStack(), LB, "alb", (p) => {
          p.loadBalancerType = "network";
          delete p.accessLogs;
        }),
        "production",
      ),
    ).toEqual([]);
  });

  it("judges an LBC Ingress by its EKS cluster's environment", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), INGRESS, "flows-ingress", (p) => {
        annotations(p)["alb.ingress.kubernetes.io/load-balancer-attributes"] = "routing.http.drop_invalid_header_fields.enabled=true";
      }),
      "prod",
    );
    const hit = expectOne(v, "require-alb-access-logs", 'Ingress "flows-ingress" (AWS Load Balancer Controller) does not enable `access_logs.s3.enabled`');
    expect(hit.message).toContain('aws:eks/cluster:Cluster "flows"');
  });

  it("gives an advisory for an Ingress whose group may enable logs elsewhere", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), INGRESS, "flows-ingress", (p) => {
        annotations(p)["alb.ingress.kubernetes.io/load-balancer-attributes"] = "";
        annotations(p)["alb.ingress.kubernetes.io/group.name"] = "shared-public";
      }),
      "prod",
    );
    expectOne(v, "require-alb-access-logs", 'it joins IngressGroup "shared-public"', "advisory");
  });
});
