import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSecretRef, parseSecretRef } from "../../components/secret-ref";
import { secretResourceArn } from "../../components/fargate/iam";
import { remoteRef } from "../../components/eks/secrets-sync";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:activepieces/prod/jwt-AbCdEf";
/** RDS names its managed master secrets `rds!db-<id>`. */
const RDS_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-AbCdEf";

const secretArn = fc
  .record({
    partition: fc.constantFrom("aws", "aws-us-gov", "aws-cn"),
    region: fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2"),
    account: fc.stringMatching(/^\d{12}$/),
    name: fc.stringMatching(/^[A-Za-z0-9/_+=.@!-]{1,40}$/),
  })
  .map((a) => `arn:${a.partition}:secretsmanager:${a.region}:${a.account}:secret:${a.name}`);
const jsonKey = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/);

describe("secret references (components/secret-ref.ts)", () => {
  it("writes the whole secret as its ARN and one JSON key in the `<arn>:<key>::` form", () => {
    expect(formatSecretRef(ARN)).toBe(ARN);
    expect(formatSecretRef(RDS_ARN, "password")).toBe(`${RDS_ARN}:password::`);
  });

  it("reads both forms back, and leaves anything that is not a Secrets Manager ARN whole", () => {
    expect(parseSecretRef(ARN)).toEqual({ arn: ARN });
    expect(parseSecretRef(`${RDS_ARN}:password::`)).toEqual({ arn: RDS_ARN, jsonKey: "password" });
    expect(parseSecretRef("arn:aws:ssm:us-east-1:123456789012:parameter/x")).toEqual({ arn: "arn:aws:ssm:us-east-1:123456789012:parameter/x" });
  });

  it("round-trips every ARN with and without a JSON key", () => {
    fc.assert(
      fc.property(secretArn, fc.option(jsonKey, { nil: undefined }), (arn, key) => {
        const parsed = parseSecretRef(formatSecretRef(arn, key));
        expect(parsed.arn).toBe(arn);
        expect(parsed.jsonKey).toBe(key);
      }),
    );
  });

  it("is what the ECS execution role and External Secrets read: the IAM resource is the bare ARN, the key the property", () => {
    fc.assert(
      fc.property(secretArn, fc.option(jsonKey, { nil: undefined }), (arn, key) => {
        const ref = formatSecretRef(arn, key);
        expect(secretResourceArn(ref)).toBe(arn);
        expect(remoteRef(ref)).toEqual(key ? { key: arn, property: key } : { key: arn });
      }),
    );
  });
});
