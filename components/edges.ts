import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { RoleName } from "../contract/types";
import type { Plan } from "../sizing/types";
import type { Database } from "./database";
import { allowTcpFrom } from "./ingress";
import type { Queue } from "./queue";

export interface EdgeTargets {
  /** Each role's own security group. */
  readonly sgs: Readonly<Record<RoleName, aws.ec2.SecurityGroup>>;
  readonly database: Pick<Database, "allowFrom">;
  readonly queue: Pick<Queue, "allowFrom">;
}

/**
 * Opens, for each role, exactly the network edges its release contract names and no other:
 * Postgres and Redis from the roles that connect to them, the app's port from the roles that call
 * it. S3 goes through the gateway endpoint and the task role (IAM, not a security group).
 */
export function openContractEdges(name: string, plan: Plan, t: EdgeTargets, parent: pulumi.Resource): void {
  for (const role of ["app", "worker"] as const) {
    const source = t.sgs[role].id;
    for (const edge of plan.release.contract.roles[role].connects) {
      // `db-from-app` and `redis-from-app` keep the names earlier releases gave them, so an existing
      // stack updates in place (a replaced rule would collide with its own duplicate).
      const rule = `${name}-${edge.target === "postgres" ? "db" : edge.target}-from-${role}`;
      if (edge.target === "postgres") t.database.allowFrom(rule, source, { parent });
      else if (edge.target === "redis") t.queue.allowFrom(rule, source, { parent });
      else if (edge.target === "app") {
        allowTcpFrom(
          rule,
          { securityGroupId: t.sgs.app.id, sourceSecurityGroupId: source, port: edge.port, description: `${role} to app (internal)` },
          { parent },
        );
      }
    }
  }
}
