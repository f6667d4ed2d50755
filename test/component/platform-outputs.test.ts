import { beforeAll, describe, expect, it } from "vitest";
import { loadStackFile } from "../../config";
import type { Capture } from "../../offline/capture";
import { plan } from "../../sizing/plan";
import { captureStack, planFor } from "../stack";

/** The outputs each platform contributes (components' `outputs`), after the shared ones stack.ts adds. */
const SHARED = ["platform", "frontendUrl", "bucketName", "databaseAddress", "secretArns"];
const FARGATE = ["url", "clusterName", "appServiceName", "workerServiceName", "dashboardUrl", "alarmTopicArn"];
const EKS = ["url", "clusterName", "clusterEndpoint", "namespace", "appDeploymentName", "workerDeploymentName", "alarmTopicArn", "dashboardUrl"];

describe("platform outputs and observability, one shape on both platforms", () => {
  let fargate: Capture;
  let eks: Capture;
  beforeAll(async () => {
    fargate = await captureStack(planFor("prod"), "prod");
    eks = await captureStack(plan(loadStackFile("examples/eks-prod.yaml")), "prod");
  });

  it("keeps the stack output names operators and the README use", () => {
    expect(Object.keys(fargate.outputs)).toEqual([...SHARED, ...FARGATE]);
    expect(Object.keys(eks.outputs)).toEqual([...SHARED, ...EKS]);
  });

  it("wires the alarm topic and the dashboard the same way: one topic, one dashboard named after the stack", () => {
    for (const cap of [fargate, eks]) {
      expect(cap.ofType("aws:sns/topic:Topic")).toHaveLength(1);
      expect(cap.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName).toBe("ap-prod-activepieces");
      expect(cap.outputs.dashboardUrl).toContain("#dashboards:name=ap-prod-activepieces");
    }
  });

  it("derives the URL scheme from the certificate on both platforms", () => {
    expect(String(fargate.outputs.url)).toMatch(/^https:\/\//);
    expect(String(eks.outputs.url)).toMatch(/^(https:\/\/|$)/);
  });
});
