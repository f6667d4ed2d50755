import { resourceRule } from "../lib/define";
import { optBool, optList, optObj, strings } from "../lib/values";

const EKS_CLUSTER = "aws:eks/cluster:Cluster";

/**
 * The Kubernetes API of an EKS cluster is public and open to every address unless told otherwise
 * (`endpointPublicAccess` defaults to true, `publicAccessCidrs` to 0.0.0.0/0); a leaked credential
 * or an API server bug is then reachable from anywhere.
 * https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
 */
export const disallowOpenEksEndpoint = resourceRule({
  name: "disallow-open-eks-endpoint",
  description: "EKS clusters must not expose their API endpoint to the whole internet: turn public access off or restrict publicAccessCidrs to known networks.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `vpcConfig.endpointPrivateAccess: true` and either `endpointPublicAccess: false` or `publicAccessCidrs` listing the CIDRs of your office, VPN or CI runners.",
  appliesTo: (t) => t === EKS_CLUSTER,
  validate: (args, report) => {
    const vpc = optObj(args.props, "vpcConfig") ?? {};
    if (optBool(vpc, "endpointPublicAccess") === false) return;
    const cidrs = strings(optList(vpc, "publicAccessCidrs"), "vpcConfig.publicAccessCidrs");
    const open = cidrs.length === 0 ? ["0.0.0.0/0 (the default)"] : cidrs.filter((c) => /\/0+$/.test(c.trim()));
    if (open.length === 0) return;
    report.violation(
      `EKS cluster "${args.name}" serves its API endpoint publicly to ${open.join(" and ")}.`,
      "set `vpcConfig.endpointPublicAccess: false` (reach the API from the VPC or a VPN), or set `vpcConfig.publicAccessCidrs` to the networks that need it.",
    );
  },
});
