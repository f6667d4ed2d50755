import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertKeys, indexAlias } from "../stable-names";

/**
 * Trust policy of a role used through EKS Pod Identity: the agent assumes it for a service account
 * and tags the session with the cluster, namespace and service account.
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 */
export const POD_IDENTITY_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
});

export interface PodRoleArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Inline policy document (JSON) of the role. */
  readonly policy?: pulumi.Input<string>;
  /**
   * Managed policies to attach, keyed by a name of the caller's choosing (`{ storage: arn }`): the
   * ARNs are usually outputs, unknown when names are chosen, and the key keeps the attachment's
   * name independent of the order.
   */
  readonly policyArns?: Readonly<Record<string, pulumi.Input<string>>>;
  readonly description: string;
}

/** A pod role and everything that must exist while its pods use it. */
export interface PodRole {
  readonly role: aws.iam.Role;
  readonly association: aws.eks.PodIdentityAssociation;
  /** The inline policy and managed-policy attachments. */
  readonly grants: pulumi.Resource[];
  /**
   * Role, grants and association: a resource that needs the pods to hold these permissions while it
   * is created or deleted (a Helm release of the controller, an object the controller cleans up)
   * depends on them, so Pulumi creates them first and deletes them last.
   */
  readonly resources: pulumi.Resource[];
}

/** An IAM role bound to one Kubernetes service account with a Pod Identity association. */
export function createPodRole(name: string, args: PodRoleArgs, parent: pulumi.Resource): PodRole {
  const role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: POD_IDENTITY_TRUST, description: args.description }, { parent });
  const grants: pulumi.Resource[] = [];
  if (args.policy !== undefined) {
    grants.push(new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: args.policy }, { parent }));
  }
  const policyArns = Object.entries(args.policyArns ?? {});
  assertKeys(
    policyArns.map(([key]) => key),
    `${name} managed policies`,
  );
  // Entry i is aliased to its old position name (see indexAlias for the ordering caveat).
  policyArns.forEach(([key, policyArn], i) => {
    grants.push(
      new aws.iam.RolePolicyAttachment(
        `${name}-managed-${key}`,
        { role: role.name, policyArn },
        {
          parent,
          aliases: indexAlias(`${name}-managed`, i),
        },
      ),
    );
  });
  const association = new aws.eks.PodIdentityAssociation(
    `${name}-pod-identity`,
    {
      clusterName: args.clusterName,
      namespace: args.namespace,
      serviceAccount: args.serviceAccount,
      roleArn: role.arn,
    },
    { parent },
  );
  return { role, association, grants, resources: [role, ...grants, association] };
}
