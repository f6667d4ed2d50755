import { beforeAll, describe, expect, it } from "vitest";
import { loadStackFile } from "../../config";
import { toStackExport } from "../../cli/stack-export";
import { plan } from "../../sizing/plan";
import type { Capture, CapturedResource } from "../../offline/capture";
import { captureStack, planFor } from "../stack";

/**
 * The capture records each resource's options as the SDK sends them to the engine, and the
 * export writes them as `pulumi stack export` does: what decides ordering on `up` and `destroy`
 * and what keeps data safe. These edges are the ones a real deployment depends on.
 */
const dependsOn = (r: CapturedResource, on: CapturedResource) => r.options.dependsOn.includes(on.urn);

describe("Fargate prod: options and dependency edges", () => {
  let cap: Capture;
  beforeAll(async () => {
    cap = await captureStack(planFor("prod"));
  });

  it("protects the database and the files bucket, and exports protect and the dependencies", () => {
    const db = cap.one("aws:rds/instance:Instance");
    const files = cap.ofType("aws:s3/bucket:Bucket").find((b) => !b.name.endsWith("-access-logs"))!;
    expect(db.options.protect).toBe(true);
    expect(files.options.protect).toBe(true);
    const exported = toStackExport(cap).deployment.resources ?? [];
    const byUrn = new Map(exported.map((r) => [r.urn, r]));
    expect(byUrn.get(db.urn)).toMatchObject({ protect: true });
    expect(byUrn.get(files.urn)).toMatchObject({ protect: true });
    expect(byUrn.get(db.urn)!.dependencies).toEqual(db.options.dependsOn);
    // The instance's security group input is recorded as a property dependency, as the engine does.
    const sg = cap.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.endsWith("-db-sg"))!;
    expect(byUrn.get(db.urn)!.propertyDependencies!.vpcSecurityGroupIds).toEqual([sg.urn]);
  });

  it("retains the generated secrets on delete in prod", () => {
    for (const s of cap.ofType("aws:secretsmanager/secret:Secret").filter((x) => x.name.startsWith("ap-test-secrets"))) {
      expect(s.options).toMatchObject({ protect: true, retainOnDelete: true });
    }
  });

  it("creates each ECS service after the cluster's capacity providers, the workers after the app", () => {
    const cp = cap.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
    const app = cap.one("aws:ecs/service:Service", "-app-service");
    const worker = cap.one("aws:ecs/service:Service", "-worker-service");
    expect(dependsOn(app, cp)).toBe(true);
    expect(dependsOn(worker, cp)).toBe(true);
    expect(dependsOn(worker, app)).toBe(true);
    for (const svc of [app, worker]) {
      expect(dependsOn(svc, cap.one("pulumi-nodejs:dynamic/activepieces:ImageArchitectureCheck")), `${svc.name} after the image check`).toBe(true);
      for (const l of cap.ofType("aws:lb/listener:Listener")) expect(dependsOn(svc, l)).toBe(true);
    }
    expect(app.options.ignoreChanges).toEqual(["desiredCount"]);
  });

  it("creates the RDS log groups before the instance, which replaces its fixed name delete-first", () => {
    const db = cap.one("aws:rds/instance:Instance");
    for (const lg of cap.ofType("aws:cloudwatch/logGroup:LogGroup").filter((l) => String(l.inputs.name).startsWith("/aws/rds/"))) {
      expect(dependsOn(db, lg)).toBe(true);
    }
    expect(db.options.deleteBeforeReplace).toBe(true);
  });
});

describe("EKS example: ordering on install and destroy", () => {
  let cap: Capture;
  beforeAll(async () => {
    cap = await captureStack(plan(loadStackFile("examples/eks-prod.yaml")));
  });
  const release = (suffix: string) => cap.one("kubernetes:helm.sh/v3:Release", suffix);

  it("installs the other Releases after the load balancer controller (its Service webhook is off too)", () => {
    const lb = release("-lb-controller");
    for (const suffix of ["-keda", "-external-secrets", "-cluster-autoscaler"]) expect(dependsOn(release(suffix), lb), suffix).toBe(true);
  });

  it("keeps the controller's IAM role and Pod Identity association until the Ingress is gone", () => {
    const ingress = cap.one("kubernetes:networking.k8s.io/v1:Ingress");
    const association = cap.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.name.includes("lb-controller"))!;
    const role = cap.one("aws:iam/role:Role", "-lb-controller-role");
    expect(dependsOn(ingress, association)).toBe(true);
    expect(dependsOn(ingress, role)).toBe(true);
  });

  it("lets the HPA own the app's replicas", () => {
    expect(cap.one("kubernetes:apps/v1:Deployment", "-app").options.ignoreChanges).toEqual(["spec.replicas"]);
  });
});
