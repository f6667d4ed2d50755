import { DEFAULT_ELB_SSL_POLICY, LEGACY_ELB_SSL_POLICY, TLS12_ELB_SSL_POLICIES, TLS12_ELB_SSL_POLICY_NAME } from "../facts/elb";
import { resourceRule } from "../lib/define";
import { INGRESS, LBC_ANNOTATION_PREFIX, annotationsOf, ingressClassOf, ingressServesHttps, isLbcIngress } from "../lib/k8s";
import { optStr } from "../lib/values";

const LISTENERS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const SSL_POLICY_ANNOTATION = `${LBC_ANNOTATION_PREFIX}ssl-policy`;

interface Config {
  allowedPolicies: string[];
}

/**
 * TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail PCI DSS; a listener created through the API
 * (Pulumi, Terraform, CloudFormation) without `sslPolicy` gets ELBSecurityPolicy-2016-08, which still
 * accepts them, and so does an AWS Load Balancer Controller Ingress without the ssl-policy annotation.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const requireTlsListenerPolicy = resourceRule<Config>({
  name: "require-tls-listener-policy",
  description:
    "HTTPS and TLS load balancer listeners (and AWS Load Balancer Controller Ingresses) must use an ELB security policy from the allowlist of TLS 1.2+ policies, not ELBSecurityPolicy-2016-08 or older.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `sslPolicy` (or the `alb.ingress.kubernetes.io/ssl-policy` annotation) to ELBSecurityPolicy-TLS13-1-2-2021-06, or another TLS 1.2+ policy from the allowlist.",
  configSchema: {
    properties: {
      allowedPolicies: {
        type: "array",
        items: { type: "string" },
        default: [...TLS12_ELB_SSL_POLICIES],
        description: "ELB security policies a listener may use (the TLS 1.2+ policies by default).",
      },
    },
  },
  appliesTo: (t) => LISTENERS.includes(t) || t === INGRESS,
  validate: (args, report, config) => {
    let policy: string | undefined;
    let what: string;
    let field: string;
    let missing: string;
    if (args.type === INGRESS) {
      if (!isLbcIngress(args.props) || !ingressServesHttps(args.props)) return;
      policy = annotationsOf(args.props)[SSL_POLICY_ANNOTATION];
      what = `Ingress "${args.name}" (AWS Load Balancer Controller)`;
      field = `the \`${SSL_POLICY_ANNOTATION}\` annotation`;
      missing = `has no \`${SSL_POLICY_ANNOTATION}\` annotation`;
      const cls = ingressClassOf(args.props);
      if (policy === undefined && cls !== undefined && cls !== "alb") {
        report.cannotVerify(
          `the TLS policy of ${what}`,
          `it ${missing} and its IngressClass "${cls}" may set one through IngressClassParams`,
          `set ${field} to ${TLS12_ELB_SSL_POLICIES[0]}.`,
        );
        return;
      }
    } else {
      const protocol = optStr(args.props, "protocol")?.toUpperCase();
      if (protocol !== "HTTPS" && protocol !== "TLS") return;
      policy = optStr(args.props, "sslPolicy");
      what = `${protocol} listener "${args.name}"`;
      field = "`sslPolicy`";
      missing = "sets no `sslPolicy`";
    }
    const fix = `set ${field} to ${TLS12_ELB_SSL_POLICIES[0]} (TLS 1.3 with TLS 1.2) or another policy from the allowlist.`;
    if (policy === undefined || policy === "") {
      report.violation(`${what} ${missing}, so it gets ${DEFAULT_ELB_SSL_POLICY}, which accepts TLS 1.0 and 1.1.`, fix);
    } else if (config.allowedPolicies.includes(policy)) {
      return;
    } else if (LEGACY_ELB_SSL_POLICY.test(policy)) {
      report.violation(`${what} uses ${policy}, which accepts TLS versions below 1.2.`, fix);
    } else if (TLS12_ELB_SSL_POLICY_NAME.test(policy) && !TLS12_ELB_SSL_POLICIES.includes(policy)) {
      report.advisory(
        `${what} uses ${policy}, a TLS 1.2+ policy by its name that the pack's table (policies/facts/elb.ts) does not list yet.`,
        "add it to `allowedPolicies` in the pack config, or use a policy from the allowlist.",
      );
    } else {
      report.violation(`${what} uses ${policy}, which is not in the allowlist of TLS 1.2+ policies.`, fix);
    }
  },
});
