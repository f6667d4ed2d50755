import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseSecretRef } from "../secret-ref";
import { assertKeys, indexAlias } from "../stable-names";

const ECS_TASKS_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** Strips a `:<json-key>::` suffix so the IAM resource is the secret itself. */
export function secretResourceArn(valueFrom: string): string {
  return parseSecretRef(valueFrom).arn;
}

/** Policy document allowing GetSecretValue on exactly these secrets, nothing else. */
export function readSecretsPolicy(secretArns: readonly string[]): string {
  const resources = [...new Set(secretArns.map(secretResourceArn))].sort();
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: resources }],
  });
}

/**
 * Execution role of one role's tasks: pulls the image, writes logs, and reads only the secrets
 * that role's container references (an app secret is never readable by a worker task).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data-secrets.html
 */
export function createExecutionRole(name: string, secretArns: pulumi.Input<string>[], parent: pulumi.Resource): aws.iam.Role {
  const role = new aws.iam.Role(
    `${name}-exec-role`,
    {
      assumeRolePolicy: ECS_TASKS_TRUST,
      description: `ECS execution role for ${name}`,
    },
    { parent },
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-exec-managed`,
    {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    },
    { parent },
  );
  // A role that reads no secret gets no policy: IAM refuses a statement without a resource.
  if (secretArns.length > 0) {
    new aws.iam.RolePolicy(
      `${name}-exec-secrets`,
      {
        role: role.name,
        policy: pulumi.all(secretArns).apply(readSecretsPolicy),
      },
      { parent },
    );
  }
  return role;
}

/**
 * Task role (what the application code may call), with the given managed policies attached.
 * Policies are keyed by the caller (`{ storage: arn }`) because their ARNs are usually outputs,
 * unknown when names are chosen; the key names the attachment, so reordering replaces nothing.
 * Entry i is aliased to its old position name (see indexAlias for the ordering caveat).
 */
export function createTaskRole(name: string, policyArns: Readonly<Record<string, pulumi.Input<string>>>, parent: pulumi.Resource): aws.iam.Role {
  const role = new aws.iam.Role(
    `${name}-task-role`,
    {
      assumeRolePolicy: ECS_TASKS_TRUST,
      description: `ECS task role for ${name}`,
    },
    { parent },
  );
  assertKeys(Object.keys(policyArns), `${name} task policies`);
  Object.entries(policyArns).forEach(([key, policyArn], i) => {
    new aws.iam.RolePolicyAttachment(
      `${name}-task-policy-${key}`,
      { role: role.name, policyArn },
      {
        parent,
        aliases: indexAlias(`${name}-task-policy`, i),
      },
    );
  });
  return role;
}
