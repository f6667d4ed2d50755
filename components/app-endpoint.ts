/**
 * How the ActivePieces app is reached, the same on every platform: the port and health path, and
 * the load balancer's endpoint settings of the plan (sizing/endpoint.ts) rendered for each
 * platform: ALB and target group inputs on Fargate, Ingress annotations on EKS. Pure (no Pulumi
 * import), so a test can compare the two renderings.
 * https://www.activepieces.com/docs/install/configuration/environment-variables
 */
import type { LoadBalancerPlan } from "../sizing/types";

/** Port and health path of the app, from the runtime contract (contract/lines.ts). */
export { AP_PORT as APP_PORT, APP_HEALTH_PATH } from "../contract/lines";

/** Base URL of the load balancer: https when the plan has a certificate; empty while the host is unknown. */
export function loadBalancerUrl(lb: Pick<LoadBalancerPlan, "https">, host: string): string {
  return host ? `${lb.https ? "https" : "http"}://${host}` : "";
}

/** The endpoint settings as inputs of aws.lb.LoadBalancer and aws.lb.TargetGroup (Fargate). */
export function albSettings(lb: LoadBalancerPlan) {
  const hc = lb.healthCheck;
  return {
    loadBalancer: { idleTimeout: lb.idleTimeoutSeconds, dropInvalidHeaderFields: true },
    targetGroup: {
      deregistrationDelay: lb.deregistrationDelaySeconds,
      healthCheck: {
        path: hc.path,
        matcher: hc.successCodes,
        interval: hc.intervalSeconds,
        timeout: hc.timeoutSeconds,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
      },
    },
    sslPolicy: lb.tlsPolicy,
  };
}

/**
 * The same settings as AWS Load Balancer Controller Ingress annotations (EKS), so the EKS ALB does
 * not run with the controller's defaults (60 s idle timeout, 15 s / 5 s / 2 / 2 health checks,
 * 300 s deregistration delay). Annotation names and value formats:
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 * `load-balancer-attributes` and `target-group-attributes` take the ELB attribute keys
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes).
 * Returns the annotations and the load balancer attributes, which the caller joins with its own
 * (access logs, deletion protection) into the one `load-balancer-attributes` annotation.
 */
export function ingressEndpointSettings(lb: LoadBalancerPlan): { annotations: Record<string, string>; loadBalancerAttributes: string[] } {
  const hc = lb.healthCheck;
  return {
    annotations: {
      "alb.ingress.kubernetes.io/healthcheck-path": hc.path,
      "alb.ingress.kubernetes.io/success-codes": hc.successCodes,
      "alb.ingress.kubernetes.io/healthcheck-interval-seconds": String(hc.intervalSeconds),
      "alb.ingress.kubernetes.io/healthcheck-timeout-seconds": String(hc.timeoutSeconds),
      "alb.ingress.kubernetes.io/healthy-threshold-count": String(hc.healthyThreshold),
      "alb.ingress.kubernetes.io/unhealthy-threshold-count": String(hc.unhealthyThreshold),
      "alb.ingress.kubernetes.io/target-group-attributes": `deregistration_delay.timeout_seconds=${lb.deregistrationDelaySeconds}`,
    },
    loadBalancerAttributes: ["routing.http.drop_invalid_header_fields.enabled=true", `idle_timeout.timeout_seconds=${lb.idleTimeoutSeconds}`],
  };
}
