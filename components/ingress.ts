import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface TcpIngress {
  /** Security group that receives the rule. */
  readonly securityGroupId: pulumi.Input<string>;
  /** The only security group allowed in: never a CIDR. */
  readonly sourceSecurityGroupId: pulumi.Input<string>;
  readonly port: number;
  readonly description: string;
}

/** One TCP port opened from one security group, the only way the data tier accepts traffic. */
export function allowTcpFrom(name: string, rule: TcpIngress, opts: pulumi.CustomResourceOptions): aws.vpc.SecurityGroupIngressRule {
  return new aws.vpc.SecurityGroupIngressRule(
    name,
    {
      securityGroupId: rule.securityGroupId,
      referencedSecurityGroupId: rule.sourceSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: rule.port,
      toPort: rule.port,
      description: rule.description,
    },
    opts,
  );
}
