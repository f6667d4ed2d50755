import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkStackExport } from "../../policies/engine/check";

/**
 * A stack export written the way `pulumi stack export` prints a plain third-party program: no
 * ActivePieces, no components of ours, a default provider in us-east-1 and a second provider in
 * eu-west-1, secrets as ciphertext, provider-normalized outputs.
 */
const FIXTURE = path.join(__dirname, "../fixtures/third-party-stack-export.json");

describe("a third-party program's stack export", () => {
  it("yields exactly the three expected mandatory violations", async () => {
    const doc = JSON.parse(readFileSync(FIXTURE, "utf8")) as unknown;
    const { violations } = await checkStackExport(doc);
    expect(violations.map((v) => [v.policy, v.enforcementLevel, v.urn])).toEqual([
      ["disallow-plaintext-secret-env", "mandatory", "urn:pulumi:dev::shop-api::aws:ecs/taskDefinition:TaskDefinition::api-task"],
      ["require-rds-managed-master-password", "mandatory", "urn:pulumi:dev::shop-api::aws:rds/instance:Instance::db"],
      ["require-s3-same-region", "mandatory", "urn:pulumi:dev::shop-api::aws:s3/bucket:Bucket::uploads"],
    ]);
    expect(violations[0]!.message).toContain(
      'Container "api" of aws:ecs/taskDefinition:TaskDefinition "api-task" sets DB_PASSWORD as a literal environment value',
    );
    // The password is only ciphertext in the export: its presence is the finding.
    expect(violations[1]!.message).toContain('RDS instance "db" sets the master password through `password`');
    expect(violations[2]!.message).toContain(
      'S3 bucket "uploads" is in eu-west-1 (from its `region`) but must be in the region of the stack\'s compute: us-east-1 (aws:ecs/cluster:Cluster "shop")',
    );
  });
});
