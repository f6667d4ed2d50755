import { ACCESS_LOG_PREFIX } from "../alb-logs";
import { ingressEndpointSettings } from "../app-endpoint";
import type { LoadBalancerPlan } from "../../sizing/types";

/**
 * ALB Ingress annotations for the AWS Load Balancer Controller: exposure (scheme, subnets, CIDRs,
 * listeners, certificate) plus the endpoint settings both platforms share (components/app-endpoint.ts).
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
export function ingressAnnotations(
  lb: LoadBalancerPlan,
  subnetIds: readonly string[],
  logs: { readonly bucket: string; readonly protect: boolean },
): Record<string, string> {
  const endpoint = ingressEndpointSettings(lb);
  // Access logs to the stack's log bucket (components/alb-logs.ts), deletion protection on protected
  // stacks: the same ALB attributes the Fargate split sets on its load balancer.
  const attributes = [
    ...endpoint.loadBalancerAttributes,
    "access_logs.s3.enabled=true",
    `access_logs.s3.bucket=${logs.bucket}`,
    `access_logs.s3.prefix=${ACCESS_LOG_PREFIX}`,
    ...(logs.protect ? ["deletion_protection.enabled=true"] : []),
  ];
  const a: Record<string, string> = {
    "alb.ingress.kubernetes.io/scheme": lb.scheme,
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/subnets": subnetIds.join(","),
    ...endpoint.annotations,
    "alb.ingress.kubernetes.io/inbound-cidrs": lb.allowedCidrs.join(","),
    "alb.ingress.kubernetes.io/load-balancer-attributes": attributes.join(","),
  };
  if (lb.allowedPrefixListIds.length > 0) a["alb.ingress.kubernetes.io/security-group-prefix-lists"] = lb.allowedPrefixListIds.join(",");
  if (lb.https && lb.certificateArn) {
    a["alb.ingress.kubernetes.io/listen-ports"] = JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]);
    a["alb.ingress.kubernetes.io/ssl-redirect"] = "443";
    a["alb.ingress.kubernetes.io/certificate-arn"] = lb.certificateArn;
    a["alb.ingress.kubernetes.io/ssl-policy"] = lb.tlsPolicy;
  } else {
    a["alb.ingress.kubernetes.io/listen-ports"] = JSON.stringify([{ HTTP: 80 }]);
  }
  return a;
}
