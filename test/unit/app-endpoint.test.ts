import { describe, expect, it } from "vitest";
import { albSettings, ingressEndpointSettings, loadBalancerUrl } from "../../components/app-endpoint";
import { ingressAnnotations } from "../../components/eks/ingress";
import { planFor } from "../stack";

const A = "alb.ingress.kubernetes.io/";

/** The Ingress annotations read back into the ALB and target group settings they stand for. */
function fromAnnotations(a: Record<string, string>) {
  const attrs = (key: string) => Object.fromEntries(a[A + key]!.split(",").map((kv) => kv.split("=") as [string, string]));
  const lb = attrs("load-balancer-attributes");
  const tg = attrs("target-group-attributes");
  return {
    loadBalancer: {
      idleTimeout: Number(lb["idle_timeout.timeout_seconds"]),
      dropInvalidHeaderFields: lb["routing.http.drop_invalid_header_fields.enabled"] === "true",
    },
    targetGroup: {
      deregistrationDelay: Number(tg["deregistration_delay.timeout_seconds"]),
      healthCheck: {
        path: a[A + "healthcheck-path"],
        matcher: a[A + "success-codes"],
        interval: Number(a[A + "healthcheck-interval-seconds"]),
        timeout: Number(a[A + "healthcheck-timeout-seconds"]),
        healthyThreshold: Number(a[A + "healthy-threshold-count"]),
        unhealthyThreshold: Number(a[A + "unhealthy-threshold-count"]),
      },
    },
    sslPolicy: a[A + "ssl-policy"],
  };
}

describe("app endpoint settings (one decision, two renderings)", () => {
  for (const stack of ["staging", "prod"] as const) {
    it(`${stack}: the EKS Ingress annotations carry exactly the Fargate ALB and target group settings`, () => {
      const fargate = planFor(stack);
      const eks = planFor(stack, { platform: "eks" });
      expect(eks.loadBalancer).toEqual(fargate.loadBalancer);
      const annotations = ingressAnnotations(eks.loadBalancer, ["subnet-1", "subnet-2"], { bucket: "logs", protect: eks.protectData });
      const rendered = fromAnnotations(annotations);
      const expected = albSettings(fargate.loadBalancer);
      expect(rendered).toEqual(eks.loadBalancer.https ? expected : { ...expected, sslPolicy: undefined });
    });
  }

  it("keeps the ALB at 120 s idle, 15 s / 5 s checks (2 up, 3 down) and a 30 s deregistration delay", () => {
    expect(albSettings(planFor("prod").loadBalancer)).toEqual({
      loadBalancer: { idleTimeout: 120, dropInvalidHeaderFields: true },
      targetGroup: {
        deregistrationDelay: 30,
        healthCheck: { path: "/api/v1/health", matcher: "200", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
      },
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
  });

  it("renders the controller's attribute annotations in its key=value,key=value form", () => {
    const { annotations, loadBalancerAttributes } = ingressEndpointSettings(planFor("prod").loadBalancer);
    expect(annotations[A + "target-group-attributes"]).toBe("deregistration_delay.timeout_seconds=30");
    expect(loadBalancerAttributes).toContain("idle_timeout.timeout_seconds=120");
  });

  it("builds the URL from the plan's scheme on both platforms", () => {
    expect(loadBalancerUrl({ https: true }, "lb.example")).toBe("https://lb.example");
    expect(loadBalancerUrl({ https: false }, "lb.example")).toBe("http://lb.example");
    expect(loadBalancerUrl({ https: true }, "")).toBe("");
  });
});
