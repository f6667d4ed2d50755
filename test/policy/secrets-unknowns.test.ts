import { afterEach, describe, expect, it, vi } from "vitest";
import type { StackExportResource, Violation } from "../../policies/engine/check";
import { ecsStack, eksStack } from "./baseline";
import { ACCOUNT, SECRET_SIG, SIG, UNKNOWN, check, edit, expectOne, resource } from "./support";

/**
 * Class 3: one value the pack cannot read (unknown during preview, ciphertext in an export) must
 * not hide the rest of a resource, and a rule must not ask a resource for what it does not have.
 */
const LAMBDA_TYPE = "aws:lambda/function:Function";
const LAMBDA = `${LAMBDA_TYPE} "ap-queue-metric"`;
const LAMBDA_FIX =
  "Fix: store it in Secrets Manager and read it at runtime (the AWS Parameters and Secrets Lambda Extension or the SDK), passing only the secret ARN in the environment.";
const FIX_UNKNOWN = "Fix: re-run the check once the value is known (after `pulumi up`, or with `pulumi stack export --show-secrets`).";
const ciphertext = () => ({ [SIG]: SECRET_SIG, ciphertext: "v1:bGFtYmRh:ZW52LXNlY3JldA==" });
const ECR = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/renderer`;
const row = (x: Violation) => [x.policy, x.enforcementLevel, x.message];

function withLambdaEnv(vars: Record<string, unknown>): StackExportResource[] {
  return edit(ecsStack(), LAMBDA_TYPE, "ap-queue-metric", (p) => {
    Object.assign((p.environment as { variables: Record<string, unknown> }).variables, vars);
  });
}

function imageLambda(inputs: Record<string, unknown>): StackExportResource {
  return resource(LAMBDA_TYPE, "renderer", {
    packageType: "Image",
    role: `arn:aws:iam::${ACCOUNT}:role/renderer`,
    timeout: 60,
    region: "us-east-1",
    ...inputs,
  });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("each environment variable is judged on its own", () => {
  it("a Lambda's encrypted variable does not hide a literal secret beside it", async () => {
    const v = await check(withLambdaEnv({ QUEUE_URL: ciphertext(), SLACK_BOT_TOKEN: "xoxb-1-2-abc" }));
    expect(v.map(row).sort()).toEqual([
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        `${LAMBDA} sets QUEUE_URL as a literal environment value, and the program marked its value secret (it is encrypted in this stack export). ${LAMBDA_FIX}`,
      ],
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        `${LAMBDA} sets SLACK_BOT_TOKEN as a literal environment value, and its name marks a secret (BOT_TOKEN). ${LAMBDA_FIX}`,
      ],
    ]);
  });

  it("during preview, an unknown variable is an advisory of its own beside the literal secret", async () => {
    vi.stubEnv("PULUMI_DRY_RUN", "true");
    const v = await check(withLambdaEnv({ QUEUE_URL: UNKNOWN, SLACK_BOT_TOKEN: "xoxb-1-2-abc" }));
    expect(v.map(row).sort()).toEqual([
      [
        "disallow-plaintext-secret-env",
        "advisory",
        `Cannot verify QUEUE_URL of ${LAMBDA}: its value is not known during preview, so the pack cannot tell whether the program put a secret there. ${FIX_UNKNOWN}`,
      ],
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        `${LAMBDA} sets SLACK_BOT_TOKEN as a literal environment value, and its name marks a secret (BOT_TOKEN). ${LAMBDA_FIX}`,
      ],
    ]);
  });

  it("a Kubernetes image not known during preview does not hide a literal password", async () => {
    vi.stubEnv("PULUMI_DRY_RUN", "true");
    const v = await check(
      edit(eksStack(), "kubernetes:apps/v1:Deployment", "ap-app", (p) => {
        const c = (p.spec as { template: { spec: { containers: { image: string; env: unknown[] }[] } } }).template.spec.containers[0]!;
        c.image = UNKNOWN;
        c.env.push({ name: "DB_PASSWORD", value: "hunter2" });
      }),
    );
    expect(v.map(row).sort()).toEqual([
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        'Container "app" of kubernetes:apps/v1:Deployment "ap-app" sets DB_PASSWORD as a literal environment value, and its name marks a secret (PASSWORD). Fix: replace `value` with `valueFrom.secretKeyRef` on a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver).',
      ],
      [
        "require-pinned-image",
        "advisory",
        `Cannot verify the image of container "app" of kubernetes:apps/v1:Deployment "ap-app": it is not known during preview. ${FIX_UNKNOWN}`,
      ],
    ]);
  });
});

describe("require-pinned-image judges functions by their package", () => {
  it("leaves a zip Lambda alone, even with an encrypted environment variable", async () => {
    const v = await check(withLambdaEnv({ QUEUE_URL: ciphertext() }));
    expect(v.filter((x) => x.policy === "require-pinned-image")).toEqual([]);
  });

  it("leaves a zip Lambda alone when its environment is not known during preview", async () => {
    vi.stubEnv("PULUMI_DRY_RUN", "true");
    const v = await check(
      edit(ecsStack(), LAMBDA_TYPE, "ap-queue-metric", (p) => {
        p.environment = UNKNOWN;
        p.packageType = "Zip";
      }),
    );
    expect(v.filter((x) => x.policy === "require-pinned-image")).toEqual([]);
  });

  it("checks an image Lambda without environment and calls it a function", async () => {
    const v = await check([...ecsStack(), imageLambda({ imageUri: `${ECR}:latest` })]);
    expectOne(v, "require-pinned-image", "");
    expect(v[0]!.message).toBe(
      `Lambda function "renderer" runs image "${ECR}:latest", which uses the \`latest\` tag. Fix: pin a release tag or a digest (\`image@sha256:...\`).`,
    );
    expect(await check([...ecsStack(), imageLambda({ imageUri: `${ECR}:2026.11.1` })])).toEqual([]);
  });

  it("says an encrypted image is encrypted in this stack export, and not known during preview in a preview", async () => {
    const stack = [...ecsStack(), imageLambda({ imageUri: ciphertext() })];
    expectOne(
      await check(stack),
      "require-pinned-image",
      `Cannot verify the image of Lambda function "renderer": its imageUri is encrypted in this stack export. ${FIX_UNKNOWN}`,
      "advisory",
    );
    vi.stubEnv("PULUMI_DRY_RUN", "true");
    expectOne(
      await check([...ecsStack(), imageLambda({ imageUri: UNKNOWN })]),
      "require-pinned-image",
      `Cannot verify the image of Lambda function "renderer": its imageUri is not known during preview. ${FIX_UNKNOWN}`,
      "advisory",
    );
  });

  it("says an encrypted ECS containerDefinitions is encrypted in this stack export", async () => {
    const v = await check(
      edit(ecsStack(), "aws:ecs/taskDefinition:TaskDefinition", "ap-worker", (p) => {
        p.containerDefinitions = ciphertext();
      }),
    );
    const pinned = v.filter((x) => x.policy === "require-pinned-image");
    expect(pinned.map(row)).toEqual([
      [
        "require-pinned-image",
        "advisory",
        `Cannot verify the images of aws:ecs/taskDefinition:TaskDefinition "ap-worker": its containerDefinitions is encrypted in this stack export. ${FIX_UNKNOWN}`,
      ],
    ]);
  });
});
