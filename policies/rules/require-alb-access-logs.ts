import type { PolicyResource } from "@pulumi/policy";
import { guarded, label, stackRule, type Reporter } from "../lib/define";
import {
  INGRESS,
  INGRESS_CLASS,
  INGRESS_CLASS_PARAMS,
  LBC_ANNOTATION_PREFIX,
  LBC_CONTROLLER,
  annotationsOf,
  ingressClassOf,
  isLbcIngress,
  metadata,
  parseAttributes,
} from "../lib/k8s";
import { PROTECTION_SCHEMA, protectionOf, stackEnvironment, type Protection, type ProtectionConfig } from "../lib/protection";
import { StackIndex } from "../lib/stack";
import { objects, optBool, optList, optObj, optStr } from "../lib/values";

const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const EKS_CLUSTER = "aws:eks/cluster:Cluster";
const ATTRIBUTES = `${LBC_ANNOTATION_PREFIX}load-balancer-attributes`;
const GROUP = `${LBC_ANNOTATION_PREFIX}group.name`;
const FIX_LB = "set `accessLogs: { bucket: <log bucket>, enabled: true }` on the load balancer (the bucket policy must let the regional ELB account write).";
const FIX_INGRESS = `add \`access_logs.s3.enabled=true,access_logs.s3.bucket=<log bucket>\` to the \`${ATTRIBUTES}\` annotation (or to the IngressClassParams \`loadBalancerAttributes\`).`;

/** Mandatory where the resource is protected, advisory elsewhere. */
function finding(report: Reporter, protection: Protection, problem: string, fix: string, urn: string): void {
  if (protection.protected) report.violation(`${problem} (required: ${protection.reason}).`, fix, urn);
  else report.advisory(`${problem}; advisory because it is not in a protected environment (${protection.reason}).`, fix, urn);
}

/** Whether `access_logs.s3.enabled=true` is among an Ingress's (or IngressClassParams') attributes. */
function ingressLogsOn(props: Record<string, unknown>): boolean {
  return parseAttributes(annotationsOf(props)[ATTRIBUTES]).get("access_logs.s3.enabled") === "true";
}

/**
 * ALB access logs record every request (client, path, status, latency, TLS version): the only trace
 * of who called a webhook or the API when something goes wrong, and what incident response and most
 * audits ask for. Mandatory in protected environments (see require-rds-deletion-protection for how
 * a resource is judged protected), advisory elsewhere. Covers aws.lb/aws.alb LoadBalancers of type
 * application and Ingresses served by the AWS Load Balancer Controller (judged by the environment of
 * the stack's EKS cluster when they carry no environment label).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const requireAlbAccessLogs = stackRule<ProtectionConfig>({
  name: "require-alb-access-logs",
  description:
    "Application Load Balancers (and AWS Load Balancer Controller Ingresses) in a protected environment must write access logs to S3, and get an advisory elsewhere.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Enable `accessLogs` (bucket and `enabled: true`) on the load balancer, or `access_logs.s3.enabled=true` in the Ingress's load-balancer-attributes annotation.",
  configSchema: { properties: { ...PROTECTION_SCHEMA } },
  appliesTo: (t) => LOAD_BALANCERS.includes(t) || t === INGRESS || t === INGRESS_CLASS || t === INGRESS_CLASS_PARAMS || t === EKS_CLUSTER,
  validate: (args, report, config) => {
    const index = new StackIndex(args.resources);
    for (const lb of index.ofType(...LOAD_BALANCERS)) {
      guarded(report, `the access logs of ${label(lb)}`, lb.urn, () => {
        if ((optStr(lb.props, "loadBalancerType") ?? "application") !== "application") return;
        const logs = optObj(lb.props, "accessLogs");
        if (logs && optBool(logs, "enabled") === true && optStr(logs, "bucket")) return;
        const state = !logs ? "sets no `accessLogs`" : optBool(logs, "enabled") !== true ? "leaves `accessLogs.enabled` off" : "names no `accessLogs.bucket`";
        finding(report, protectionOf(lb, config), `Application Load Balancer "${lb.name}" ${state}, so requests leave no access log`, FIX_LB, lb.urn);
      });
    }
    const ingresses = index.ofType(INGRESS);
    if (ingresses.length === 0) return;
    const lbcClasses = new Map<string, string | undefined>();
    for (const c of index.ofType(INGRESS_CLASS)) {
      guarded(report, label(c), c.urn, () => {
        const spec = optObj(c.props, "spec") ?? {};
        if (optStr(spec, "controller") !== LBC_CONTROLLER) return;
        const params = optObj(spec, "parameters");
        lbcClasses.set(optStr(metadata(c.props), "name") ?? c.name, params ? optStr(params, "name") : undefined);
      });
    }
    const paramsLogsOn = new Map<string, boolean>();
    for (const p of index.ofType(INGRESS_CLASS_PARAMS)) {
      guarded(report, label(p), p.urn, () => {
        const attrs = objects(optList(optObj(p.props, "spec") ?? {}, "loadBalancerAttributes"), "loadBalancerAttributes");
        paramsLogsOn.set(
          optStr(metadata(p.props), "name") ?? p.name,
          attrs.some((a) => optStr(a, "key") === "access_logs.s3.enabled" && optStr(a, "value") === "true"),
        );
      });
    }
    const clusterEnv = stackEnvironment(index.ofType(EKS_CLUSTER), config);
    const lbc: PolicyResource[] = [];
    for (const ing of ingresses)
      guarded(report, `the access logs of ${label(ing)}`, ing.urn, () => {
        if (isLbcIngress(ing.props, new Set(lbcClasses.keys()))) lbc.push(ing);
      });
    const groupsWithLogs = new Set<string>();
    for (const ing of lbc)
      guarded(report, `the access logs of ${label(ing)}`, ing.urn, () => {
        const group = annotationsOf(ing.props)[GROUP];
        if (group && ingressLogsOn(ing.props)) groupsWithLogs.add(group);
      });
    for (const ing of lbc) {
      guarded(report, `the access logs of ${label(ing)}`, ing.urn, () => {
        if (ingressLogsOn(ing.props)) return;
        const group = annotationsOf(ing.props)[GROUP];
        if (group && groupsWithLogs.has(group)) return;
        const cls = ingressClassOf(ing.props);
        const paramsName = cls ? lbcClasses.get(cls) : undefined;
        if (paramsName !== undefined && paramsLogsOn.get(paramsName) === true) return;
        const what = `Ingress "${ing.name}" (AWS Load Balancer Controller)`;
        if (group || (paramsName !== undefined && !paramsLogsOn.has(paramsName)) || (cls !== undefined && cls !== "alb" && !lbcClasses.has(cls))) {
          const where = group
            ? `it joins IngressGroup "${group}", whose other members may live elsewhere`
            : `its IngressClass "${cls}" may set load balancer attributes through IngressClassParams the pack cannot see`;
          report.cannotVerify(`the access logs of ${what}`, `it does not enable them itself and ${where}`, FIX_INGRESS, ing.urn);
          return;
        }
        finding(
          report,
          protectionOf(ing, config, clusterEnv),
          `${what} does not enable \`access_logs.s3.enabled\` in \`${ATTRIBUTES}\`, so its ALB leaves no access log`,
          FIX_INGRESS,
          ing.urn,
        );
      });
    }
  },
});
