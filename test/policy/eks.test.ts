/** New EKS rules: API endpoint, secrets encryption, worker pod hardening, worker NetworkPolicy. */
import { describe, expect, it } from "vitest";
import { eksStack } from "./baseline";
import { HARDENED, checkIn, eksWorkersStack } from "./other-teams";
import { check, edit, expectOne, resource } from "./support";

const CLUSTER = "aws:eks/cluster:Cluster";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

type Container = { name: string; env: { name: string; value?: string }[]; securityContext?: Record<string, unknown> };
type PodSpec = { securityContext?: Record<string, unknown>; containers: Container[]; initContainers?: Container[] };
const podSpec = (p: Record<string, unknown>) => (p.spec as { template: { spec: PodSpec } }).template.spec;
const worker = (p: Record<string, unknown>) => podSpec(p).containers[0]!;

describe("disallow-open-eks-endpoint", () => {
  it("the compliant EKS stack passes", async () => {
    expect(await checkIn(eksWorkersStack())).toEqual([]);
  });

  it("rejects a public endpoint open to 0.0.0.0/0", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), CLUSTER, "flows", (p) => {
        (p.vpcConfig as Record<string, unknown>).publicAccessCidrs = ["0.0.0.0/0"];
      }),
    );
    expectOne(v, "disallow-open-eks-endpoint", 'EKS cluster "flows" serves its API endpoint publicly to 0.0.0.0/0');
  });

  it("rejects the defaults: public access on, no CIDRs", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), CLUSTER, "flows", (p) => {
        p.vpcConfig = { subnetIds: ["subnet-0123456789abcdef0"] };
      }),
    );
    expectOne(v, "disallow-open-eks-endpoint", "publicly to 0.0.0.0/0 (the default)");
  });

  it("accepts a private-only endpoint whatever the CIDRs say", async () => {
    expect(
      await checkIn(
        edit(eksWorkersStack(), CLUSTER, "flows", (p) => {
          p.vpcConfig = { endpointPublicAccess: false, publicAccessCidrs: ["0.0.0.0/0"] };
        }),
      ),
    ).toEqual([]);
  });
});

describe("require-eks-secrets-encryption", () => {
  it("rejects a cluster without encryptionConfig", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), CLUSTER, "flows", (p) => {
        delete p.encryptionConfig;
      }),
    );
    expectOne(v, "require-eks-secrets-encryption", 'EKS cluster "flows" does not encrypt Kubernetes secrets with a KMS key');
  });

  it("rejects secrets listed without a key", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), CLUSTER, "flows", (p) => {
        p.encryptionConfig = { resources: ["secrets"] };
      }),
    );
    expectOne(v, "require-eks-secrets-encryption", 'lists "secrets" in encryptionConfig but names no KMS key');
  });

  it("accepts the list form older exports hold", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), CLUSTER, "flows", (p) => {
        p.encryptionConfig = [{ resources: ["secrets"], provider: { keyArn: "arn:aws:kms:us-east-1:123456789012:key/1f2e" } }];
      }),
    );
    expect(v).toEqual([]);
  });
});

describe("require-worker-pod-hardening", () => {
  it("rejects a worker without a seccomp profile", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), DEPLOYMENT, "flows-worker", (p) => {
        delete podSpec(p).securityContext;
      }),
    );
    expectOne(
      v,
      "require-worker-pod-hardening",
      'Container "worker" of kubernetes:apps/v1:Deployment "flows-worker", a pod running ActivePieces workers, leaves seccompProfile unset',
    );
  });

  it("rejects a container that overrides the pod's profile with Unconfined", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), DEPLOYMENT, "flows-worker", (p) => {
        worker(p).securityContext = { ...HARDENED, seccompProfile: { type: "Unconfined" } };
      }),
    );
    expectOne(v, "require-worker-pod-hardening", 'leaves seccompProfile "Unconfined"');
  });

  it("rejects capabilities kept and privilege escalation allowed", async () => {
    expectOne(
      await checkIn(
        edit(eksWorkersStack(), DEPLOYMENT, "flows-worker", (p) => {
          worker(p).securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["NET_RAW"] } };
        }),
      ),
      "require-worker-pod-hardening",
      "leaves capabilities.drop without ALL",
    );
    expectOne(
      await checkIn(
        edit(eksWorkersStack(), DEPLOYMENT, "flows-worker", (p) => {
          delete worker(p).securityContext!.allowPrivilegeEscalation;
        }),
      ),
      "require-worker-pod-hardening",
      "leaves allowPrivilegeEscalation not false",
    );
  });

  it("judges every container of a worker pod, sidecars included", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), DEPLOYMENT, "flows-worker", (p) => {
        podSpec(p).containers.push({ name: "otel", env: [] });
      }),
    );
    expectOne(v, "require-worker-pod-hardening", 'Container "otel" of kubernetes:apps/v1:Deployment "flows-worker"');
  });

  it("is advisory when the execution mode needs a privileged sandbox", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), DEPLOYMENT, "flows-worker", (p) => {
        worker(p).env.find((e) => e.name === "AP_EXECUTION_MODE")!.value = "SANDBOX_CODE_AND_PROCESS";
        worker(p).securityContext = { privileged: true };
      }),
    );
    expectOne(v, "require-worker-pod-hardening", "AP_EXECUTION_MODE=SANDBOX_CODE_AND_PROCESS needs a privileged sandbox, so this is advisory", "advisory");
  });

  it("leaves app pods and other workloads alone", async () => {
    expect(
      await checkIn(
        edit(eksWorkersStack(), DEPLOYMENT, "flows-app", (p) => {
          delete podSpec(p).securityContext;
        }),
      ),
    ).toEqual([]);
  });
});

describe("require-worker-network-policy", () => {
  it("rejects workers in a namespace the stack creates when no policy selects them", async () => {
    const v = await checkIn(eksWorkersStack().filter((r) => r.type !== NETPOL));
    expectOne(v, "require-worker-network-policy", 'No NetworkPolicy in namespace "flows" selects the pods of kubernetes:apps/v1:Deployment "flows-worker"');
  });

  it("rejects a policy whose selector misses the worker pods", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), NETPOL, "flows-worker-egress", (p) => {
        (p.spec as Record<string, unknown>).podSelector = { matchLabels: { "app.kubernetes.io/component": "app" } };
      }),
    );
    expectOne(v, "require-worker-network-policy", 'No NetworkPolicy in namespace "flows" selects');
  });

  it("rejects a policy in another namespace", async () => {
    const v = await checkIn(
      edit(eksWorkersStack(), NETPOL, "flows-worker-egress", (p) => {
        (p.metadata as Record<string, unknown>).namespace = "default";
      }),
    );
    expectOne(v, "require-worker-network-policy", 'No NetworkPolicy in namespace "flows"');
  });

  it("accepts a namespace-wide policy (empty podSelector)", async () => {
    expect(
      await checkIn(
        edit(eksWorkersStack(), NETPOL, "flows-worker-egress", (p) => {
          (p.spec as Record<string, unknown>).podSelector = {};
        }),
      ),
    ).toEqual([]);
  });

  it("is advisory when the namespace lives elsewhere, silent for exempt namespaces", async () => {
    const stack = eksWorkersStack().filter((r) => r.type !== NETPOL && r.type !== "kubernetes:core/v1:Namespace");
    expectOne(await checkIn(stack), "require-worker-network-policy", 'namespace "flows" is not created by this stack', "advisory");
    expect(await checkIn(stack, undefined, { "require-worker-network-policy": { exemptNamespaces: ["flows"] } })).toEqual([]);
  });

  it("is advisory when the stack uses Cilium policies", async () => {
    const cilium = resource(
      "kubernetes:cilium.io/v2:CiliumNetworkPolicy",
      "workers",
      { metadata: { name: "workers", namespace: "flows" }, spec: { endpointSelector: {} } },
      { provider: null },
    );
    const v = await checkIn([...eksWorkersStack().filter((r) => r.type !== NETPOL), cilium]);
    expectOne(v, "require-worker-network-policy", "which the pack does not evaluate", "advisory");
  });

  it("this repository's EKS baseline passes", async () => {
    expect(await check(eksStack())).toEqual([]);
  });
});
