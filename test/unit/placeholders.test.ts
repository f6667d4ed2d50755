import { describe, expect, it } from "vitest";
import { loadStackFile, parseStackConfig, rawFromStackFile } from "../../config";
import { ConfigError } from "../../config/errors";
import { refusePlaceholders } from "../../config/update-guard";
import { plan } from "../../sizing/plan";
import { findPlaceholders } from "../../sizing/placeholders";

describe("placeholders in the shipped stacks", () => {
  it.each(["Pulumi.prod.yaml", "examples/eks-prod.yaml"])("%s: flags the example URL and the example-account certificate", (file) => {
    expect(findPlaceholders(loadStackFile(file)).map((p) => p.key)).toEqual(["frontendUrl", "loadBalancer.certificateArn"]);
  });

  it("the plan warns about each and carries them for pulumi up", () => {
    const p = plan(loadStackFile("Pulumi.staging.yaml"));
    expect(p.placeholders.map((x) => x.key)).toEqual(["frontendUrl"]);
    expect(p.warnings).toContain(
      "placeholder: frontendUrl is an example domain (RFC 2606): set the URL your DNS will point at the load balancer; pulumi up refuses it until replaced",
    );
  });

  it("a real update refuses them, naming each key; a stack with real values passes", () => {
    const p = plan(loadStackFile("Pulumi.prod.yaml"));
    expect(() => refusePlaceholders(p)).toThrow(ConfigError);
    expect(() => refusePlaceholders(p)).toThrow(
      /frontendUrl: is an example domain[\s\S]*loadBalancer\.certificateArn: is in AWS's example account 123456789012/,
    );
    const real = plan(
      parseStackConfig(
        {
          ...rawFromStackFile("Pulumi.prod.yaml"),
          frontendUrl: "https://flows.acme-corp.io",
          loadBalancer: { certificateArn: "arn:aws:acm:us-east-1:210987654321:certificate/0d3c1a52-6d5e-4a8e-9f3b-2f1e6a7b8c9d" },
        },
        "real",
      ),
    );
    expect(real.placeholders).toEqual([]);
    expect(() => refusePlaceholders(real)).not.toThrow();
  });
});
