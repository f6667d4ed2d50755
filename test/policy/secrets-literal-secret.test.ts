import { afterEach, describe, expect, it, vi } from "vitest";
import type { StackExportResource } from "../../policies/engine/check";
import { eksStack } from "./baseline";
import { SECRET_SIG, SIG, UNKNOWN, check, expectOne, resource, secret } from "./support";

/**
 * Class 4: the Kubernetes provider marks a Secret's `data` and `stringData` secret, so an export
 * without `--show-secrets` holds them as one ciphertext. Data the program wrote is literal data
 * whether or not the check can read it.
 */
const FIX =
  "Fix: create an ExternalSecret (External Secrets Operator) or a SecretProviderClass (Secrets Store CSI driver) that syncs the value from Secrets Manager, and drop the Secret from the program.";

function k8sSecret(fields: Record<string, unknown>): StackExportResource[] {
  return [
    ...eksStack(),
    resource(
      "kubernetes:core/v1:Secret",
      "ap-secrets",
      {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: { name: "activepieces", namespace: "activepieces" },
        ...fields,
      },
      { provider: null },
    ),
  ];
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("disallow-kubernetes-literal-secret on data the check cannot read", () => {
  it("rejects a Secret whose data is only ciphertext in the export", async () => {
    const v = await check(k8sSecret({ data: { [SIG]: SECRET_SIG, ciphertext: "v1:azhz:eyJqd3Qtc2VjcmV0IjoiKioqIn0=" } }));
    expectOne(v, "disallow-kubernetes-literal-secret", "");
    expect(v[0]!.message).toBe(
      `Kubernetes Secret "activepieces" is created with literal data (it is encrypted in this stack export, so its keys cannot be listed). ${FIX}`,
    );
  });

  it("lists the keys when the export was written with --show-secrets", async () => {
    const v = await check(k8sSecret({ stringData: secret({ "jwt-secret": "x", "worker-token": "y" }) }));
    expectOne(
      v,
      "disallow-kubernetes-literal-secret",
      'Kubernetes Secret "activepieces" is created with literal stringData.jwt-secret, stringData.worker-token.',
    );
  });

  it("rejects data not known during preview, and names both fields", async () => {
    vi.stubEnv("PULUMI_DRY_RUN", "true");
    const v = await check(k8sSecret({ data: UNKNOWN, stringData: { "worker-token": "y" } }));
    expectOne(
      v,
      "disallow-kubernetes-literal-secret",
      'Kubernetes Secret "activepieces" is created with literal data (it is not known during preview, so its keys cannot be listed), stringData.worker-token.',
    );
  });

  it("accepts an empty data map and a Secret without data", async () => {
    expect(await check(k8sSecret({ data: {} }))).toEqual([]);
    expect(await check(k8sSecret({}))).toEqual([]);
  });
});
