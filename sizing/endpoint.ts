/**
 * How the app's load balancer treats clients and targets, decided once for both platforms: the
 * Fargate split renders it as ALB and target group inputs (components/fargate/alb.ts), the EKS split
 * as AWS Load Balancer Controller annotations on its Ingress (components/app-endpoint.ts).
 */
import type { StackConfig } from "../config/defaults";
import { APP_HEALTH_PATH } from "../contract/lines";
import { appDrain } from "./eks";
import type { HealthCheckPlan, LoadBalancerPlan } from "./types";

/**
 * ALB deregistration delay: in-flight API requests finish; long ones (websockets) reconnect. It
 * runs before the stop timeout, not inside it: ECS deregisters a stopping app task and waits this
 * long before SIGTERM; on EKS the preStop sleep covers it (appDrain).
 */
export const DEREGISTRATION_DELAY_SECONDS = 30;
/** Idle client connections stay open 120 s (ALB default 60 s): long polls and slow flow-run pages. */
export const IDLE_TIMEOUT_SECONDS = 120;
/**
 * A target is healthy after 2 passing checks 15 s apart (about 30 s after it starts answering) and
 * out after 3 failures (45 s); 5 s per check. The path is the app's readiness endpoint on every line.
 */
export const APP_HEALTH_CHECK: HealthCheckPlan = {
  path: APP_HEALTH_PATH,
  successCodes: "200",
  intervalSeconds: 15,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
};
/** Load balancer TLS policy: TLS 1.2 and 1.3 only. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The load balancer part of the plan; `appStopTimeoutSeconds` sets the EKS app pod's grace period. */
export function loadBalancerPlan(lb: StackConfig["loadBalancer"], appStopTimeoutSeconds: number): LoadBalancerPlan {
  return {
    scheme: lb.scheme,
    allowedCidrs: lb.allowedCidrs,
    allowedPrefixListIds: lb.allowedPrefixListIds,
    certificateArn: lb.certificateArn,
    https: lb.certificateArn !== undefined,
    deregistrationDelaySeconds: DEREGISTRATION_DELAY_SECONDS,
    ...appDrain(DEREGISTRATION_DELAY_SECONDS, appStopTimeoutSeconds),
    idleTimeoutSeconds: IDLE_TIMEOUT_SECONDS,
    healthCheck: APP_HEALTH_CHECK,
    tlsPolicy: ALB_TLS_POLICY,
  };
}
