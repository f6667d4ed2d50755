import { describe, expect, it } from "vitest";
import { checkStackExport } from "../../policies/engine/check";
import { withEnvironment } from "./environments";
import { eksWorkersStack, webStack } from "./other-teams";
import { edit, resource, stackExport } from "./support";

/** Other teams' stacks with every new rule firing at least once. */
function broken() {
  let web = edit(webStack(), "aws:ec2/securityGroup:SecurityGroup", "task-sg", (p) => {
    p.ingress = [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/0"] }];
  });
  web = edit(web, "aws:lb/loadBalancer:LoadBalancer", "alb", (p) => {
    delete p.accessLogs;
  });
  web = edit(web, "aws:lb/listener:Listener", "https", (p) => {
    delete p.sslPolicy;
  });
  web = edit(web, "aws:rds/instance:Instance", "db", (p) => {
    p.multiAz = false;
    p.deletionProtection = false;
  });
  web = edit(web, "aws:elasticache/replicationGroup:ReplicationGroup", "cache", (p) => {
    p.automaticFailoverEnabled = false;
  });
  web = edit(web, "aws:ecs/taskDefinition:TaskDefinition", "web-task", (p) => {
    p.memory = "3000";
  });
  let eks = edit(eksWorkersStack(), "aws:eks/cluster:Cluster", "flows", (p) => {
    delete p.vpcConfig;
    delete p.encryptionConfig;
  });
  eks = edit(eks, "kubernetes:apps/v1:Deployment", "flows-worker", (p) => {
    delete (p.spec as { template: { spec: Record<string, unknown> } }).template.spec.securityContext;
  }).filter((r) => r.type !== "kubernetes:networking.k8s.io/v1:NetworkPolicy");
  const serverless = resource("aws:elasticache/serverlessCache:ServerlessCache", "queue", { name: "q", engine: "valkey" });
  return [...web, ...eks, serverless];
}

describe("request pre-filtering with the new rules", () => {
  it("gives the same verdict as sending every resource to every policy", async () => {
    // Context omitted: no group open to the internet, every task definition declares FARGATE, no Serverless cache.
    let quiet = edit(webStack(), "aws:ec2/securityGroup:SecurityGroup", "alb-sg", (p) => {
      p.ingress = [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }];
    });
    quiet = edit(quiet, "aws:ecs/taskDefinition:TaskDefinition", "web-task", (p) => {
      p.requiresCompatibilities = ["FARGATE"];
      p.memory = "3000";
    });
    for (const doc of [
      stackExport(webStack()),
      stackExport(eksWorkersStack()),
      withEnvironment(stackExport(broken()), "prod"),
      stackExport(broken()),
      stackExport(quiet),
    ]) {
      const fast = await checkStackExport(doc);
      const full = await checkStackExport(doc, undefined, { prefilter: false });
      expect(fast.violations.map((v) => JSON.stringify(v)).sort()).toEqual(full.violations.map((v) => JSON.stringify(v)).sort());
    }
    const v = (await checkStackExport(withEnvironment(stackExport(broken()), "prod"))).violations.map((x) => x.policy);
    for (const p of [
      "limit-public-ingress-to-load-balancers",
      "require-tls-listener-policy",
      "require-alb-access-logs",
      "disallow-open-eks-endpoint",
      "require-eks-secrets-encryption",
      "require-worker-pod-hardening",
      "require-worker-network-policy",
      "require-rds-multi-az",
      "require-redis-failover",
      "require-rds-deletion-protection",
      "require-valid-fargate-size",
      "require-redis-noeviction",
    ]) {
      expect(v).toContain(p);
    }
  });
});
