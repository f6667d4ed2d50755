import { afterEach, describe, expect, it, vi } from "vitest";
import type { StackExportResource, Violation } from "../../policies/engine/check";
import { ecsStack, eksStack } from "./baseline";
import { ACCOUNT, SECRET_SIG, SIG, UNKNOWN, check, edit, editContainers, expectOne, resource } from "./support";

/**
 * Class 2: where a value comes from. Kubernetes settings may come from a ConfigMap of the same
 * stack (`envFrom.configMapRef`, `valueFrom.configMapKeyRef`); a ConfigMap is no place for a
 * secret; an SSM `String` parameter is no secret store.
 */
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const NS = "activepieces";
const CONFIG_MAP_NOTE = "a ConfigMap is stored unencrypted and shown to anyone who may read ConfigMaps in its namespace";
const CM_FIX =
  "Fix: keep the value in a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver) and read it with `secretKeyRef` or `envFrom.secretRef`.";
const ENV_CM_FIX =
  "Fix: keep the value in a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver) and use `valueFrom.secretKeyRef`.";
const ciphertext = () => ({ [SIG]: SECRET_SIG, ciphertext: "v1:Y20=:Y29uZmlnbWFwLXNlY3JldA==" });

type Container = { name: string; image: string; env?: { name: string; value?: unknown; valueFrom?: unknown }[]; envFrom?: unknown[] };
const container = (p: Record<string, unknown>): Container => (p.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;

function configMap(name: string, data: Record<string, unknown>, namespace = NS, extra: Record<string, unknown> = {}): StackExportResource {
  return resource(
    "kubernetes:core/v1:ConfigMap",
    name,
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data, ...extra },
    { provider: null },
  );
}

function app(change: (c: Container) => void, stack = eksStack()): StackExportResource[] {
  return edit(stack, DEPLOYMENT, "ap-app", (p) => change(container(p)));
}

const without = (c: Container, name: string) => {
  c.env = c.env!.filter((e) => e.name !== name);
};
const only = (v: readonly Violation[], ...policies: string[]) => v.filter((x) => policies.includes(x.policy));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("Kubernetes settings from a ConfigMap of the same stack", () => {
  it("counts a pool size set through envFrom.configMapRef", async () => {
    const stack = [
      ...app((c) => {
        without(c, "AP_POSTGRES_POOL_SIZE");
        c.envFrom = [{ configMapRef: { name: "ap-settings" } }];
      }),
      configMap("ap-settings", { AP_POSTGRES_POOL_SIZE: "60" }),
    ];
    const hit = expectOne(await check(stack), "limit-postgres-connections", "Postgres pools can open 240 connections at maximum scale");
    expect(hit.message).toContain('"ap-app" (4 pods at most, from its autoscaler maximum) x pool 60 = 240');
  });

  it("counts a pool size set through valueFrom.configMapKeyRef", async () => {
    const stack = [
      ...app((c) => {
        without(c, "AP_POSTGRES_POOL_SIZE");
        c.env!.push({ name: "AP_POSTGRES_POOL_SIZE", valueFrom: { configMapKeyRef: { name: "ap-settings", key: "pool-size" } } });
      }),
      configMap("ap-settings", { "pool-size": "60" }),
    ];
    expectOne(await check(stack), "limit-postgres-connections", "x pool 60 = 240");
  });

  it("applies an envFrom prefix", async () => {
    const stack = [
      ...app((c) => {
        without(c, "AP_POSTGRES_POOL_SIZE");
        c.envFrom = [{ prefix: "AP_", configMapRef: { name: "ap-settings" } }];
      }),
      configMap("ap-settings", { POSTGRES_POOL_SIZE: "60" }),
    ];
    expectOne(await check(stack), "limit-postgres-connections", "x pool 60 = 240");
  });

  it("lets a container's own env override its envFrom, as Kubernetes does", async () => {
    const stack = [
      ...app((c) => {
        c.envFrom = [{ configMapRef: { name: "ap-settings" } }];
      }),
      configMap("ap-settings", { AP_POSTGRES_POOL_SIZE: "60" }),
    ];
    expect(await check(stack)).toEqual([]);
  });

  it("reads only a ConfigMap of the workload's namespace", async () => {
    const stack = [
      ...app((c) => {
        without(c, "AP_POSTGRES_POOL_SIZE");
        c.envFrom = [{ configMapRef: { name: "ap-settings" } }];
      }),
      configMap("ap-settings", { AP_POSTGRES_POOL_SIZE: "60" }, "other-team"),
    ];
    expect(only(await check(stack), "limit-postgres-connections")).toEqual([]);
  });

  it("says it cannot verify a pool size from a ConfigMap value that is not known yet", async () => {
    vi.stubEnv("PULUMI_DRY_RUN", "true");
    const stack = [
      ...app((c) => {
        without(c, "AP_POSTGRES_POOL_SIZE");
        c.envFrom = [{ configMapRef: { name: "ap-settings" } }];
      }),
      configMap("ap-settings", { AP_POSTGRES_POOL_SIZE: UNKNOWN }),
    ];
    expectOne(only(await check(stack), "limit-postgres-connections"), "limit-postgres-connections", 'Cannot verify the Postgres pool of "ap-app"', "advisory");
  });

  it.each([
    [
      "envFrom.configMapRef",
      (c: Container) => {
        c.envFrom = [{ configMapRef: { name: "ap-role" } }];
      },
      { AP_CONTAINER_TYPE: "APP" },
    ],
    [
      "valueFrom.configMapKeyRef",
      (c: Container) => {
        c.env!.push({ name: "AP_CONTAINER_TYPE", valueFrom: { configMapKeyRef: { name: "ap-role", key: "role" } } });
      },
      { role: "APP" },
    ],
  ])("reads AP_CONTAINER_TYPE from %s, so an app is not counted as a worker", async (_how, wire, data) => {
    // 40 queue-scaled workers need 4 apps at 10 workers per app; the app Deployment scales to 4.
    let stack = app((c) => {
      without(c, "AP_CONTAINER_TYPE");
      wire(c);
    });
    stack = edit(stack, SCALED_OBJECT, "ap-worker-scaler", (p) => {
      (p.spec as Record<string, unknown>).maxReplicaCount = 40;
    });
    expect(only(await check([...stack, configMap("ap-role", data)]), "limit-workers-per-app")).toEqual([]);
  });
});

describe("disallow-kubernetes-configmap-secret", () => {
  const cmStack = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => [...eksStack(), configMap("ap-settings", data, NS, extra)];

  it("rejects a key named like a secret, in any spelling", async () => {
    for (const [key, why] of [
      ["SMTP_PASSWORD", "PASSWORD"],
      ["db-password", "PASSWORD"],
      ["stripe.apiKey", "API_KEY"],
      ["tls.key", "TLS_KEY"],
      ["private-key.pem", "PRIVATE_KEY"],
      ["secrets.yaml", "SECRET"],
    ]) {
      const v = await check(cmStack({ AP_FRONTEND_URL: "https://flows.example.com", [key!]: "value-1" }));
      expectOne(v, "disallow-kubernetes-configmap-secret", "");
      expect(v[0]!.message).toBe(`ConfigMap "ap-settings" holds ${key}, and its name marks a secret (${why}); ${CONFIG_MAP_NOTE}. ${CM_FIX}`);
      expect(v[0]!.urn).toBe("urn:pulumi:dev::shop::kubernetes:core/v1:ConfigMap::ap-settings");
    }
  });

  it("rejects a URL with a password and a value the program marked secret", async () => {
    const v = await check(cmStack({ AP_REDIS_URL: "rediss://:s3cr3t@master.ap.cache.amazonaws.com:6379", AP_QUEUE_URL: ciphertext() }));
    expect(v.map((x) => [x.policy, x.enforcementLevel, x.message]).sort()).toEqual([
      [
        "disallow-kubernetes-configmap-secret",
        "mandatory",
        `ConfigMap "ap-settings" holds AP_QUEUE_URL, and the program marked its value secret (it is encrypted in this stack export); ${CONFIG_MAP_NOTE}. ${CM_FIX}`,
      ],
      [
        "disallow-kubernetes-configmap-secret",
        "mandatory",
        `ConfigMap "ap-settings" sets AP_REDIS_URL to a URL that carries a password; ${CONFIG_MAP_NOTE}. Fix: drop the password from the URL and keep the value in a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver) and read it with \`secretKeyRef\` or \`envFrom.secretRef\`.`,
      ],
    ]);
  });

  it("rejects data that is only ciphertext as a whole", async () => {
    const v = await check([
      ...eksStack(),
      resource(
        "kubernetes:core/v1:ConfigMap",
        "ap-settings",
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ap-settings", namespace: NS }, data: ciphertext() },
        { provider: null },
      ),
    ]);
    expectOne(
      v,
      "disallow-kubernetes-configmap-secret",
      `ConfigMap "ap-settings" holds data the program marked secret (it is encrypted in this stack export); ${CONFIG_MAP_NOTE}.`,
    );
  });

  it("gives an advisory for a weakly named key and silences it with allowNames", async () => {
    const stack = cmStack({ "stripe-key": "sk_live_x" });
    const v = await check(stack);
    expectOne(v, "disallow-kubernetes-configmap-secret", "", "advisory");
    expect(v[0]!.message).toBe(
      `Cannot verify that key stripe-key of ConfigMap "ap-settings" holds no secret: its name only says KEY, which names secrets and non-secrets alike (weak evidence). Fix: if it is a secret, keep the value in a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver) and read it with \`secretKeyRef\` or \`envFrom.secretRef\`; if it is not, list it in this policy's \`allowNames\`.`,
    );
    expect(await check(stack, { "disallow-kubernetes-configmap-secret": { allowNames: ["stripe-*"] } })).toEqual([]);
  });

  it("accepts settings, cache keys, token limits, public keys and config files named for what they configure", async () => {
    expect(
      await check(
        cmStack(
          {
            AP_FRONTEND_URL: "https://flows.example.com",
            "cache-key": "v2",
            OPENAI_MAX_TOKENS: "4096",
            "token-limit": "20000",
            "public-key.pem": "-----BEGIN PUBLIC KEY-----",
            "nginx.conf": "server { listen 80; }",
            DB_PASSWORD_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC123",
            // A file's base name says what it holds: a password policy is no password.
            "password-policy.json": '{"minLength":12}',
          },
          { binaryData: { "logo.png": "iVBORw0KGgo=" } },
        ),
      ),
    ).toEqual([]);
  });

  it("during preview gives one advisory for values not known yet", async () => {
    vi.stubEnv("PULUMI_DRY_RUN", "true");
    const v = await check(cmStack({ AP_POSTGRES_HOST: UNKNOWN, AP_FRONTEND_URL: "https://flows.example.com", AP_REDIS_HOST: UNKNOWN }));
    expectOne(
      v,
      "disallow-kubernetes-configmap-secret",
      'Cannot verify keys AP_POSTGRES_HOST, AP_REDIS_HOST of ConfigMap "ap-settings": their values are not known during preview, so the pack cannot tell whether the program put a secret there.',
      "advisory",
    );
  });
});

describe("a container's env taken from a ConfigMap key", () => {
  it("is rejected when the variable's name marks a secret", async () => {
    const v = await check([
      ...app((c) => {
        c.env!.push({ name: "SMTP_PASSWORD", valueFrom: { configMapKeyRef: { name: "mail", key: "smtp" } } });
      }),
    ]);
    expectOne(v, "disallow-plaintext-secret-env", "");
    expect(v[0]!.message).toBe(
      `Container "app" of ${DEPLOYMENT} "ap-app" takes SMTP_PASSWORD from ConfigMap "mail" (key "smtp"), and its name marks a secret (PASSWORD); ${CONFIG_MAP_NOTE}. ${ENV_CM_FIX}`,
    );
  });

  it("is rejected when the key's name marks a secret", async () => {
    const v = await check([
      ...app((c) => {
        c.env!.push({ name: "SMTP_SETTING", valueFrom: { configMapKeyRef: { name: "mail", key: "smtp-password" } } });
      }),
    ]);
    expectOne(
      v,
      "disallow-plaintext-secret-env",
      `Container "app" of ${DEPLOYMENT} "ap-app" takes SMTP_SETTING from ConfigMap "mail" (key "smtp-password"), and the key's name marks a secret (PASSWORD); ${CONFIG_MAP_NOTE}.`,
    );
  });

  it("is advisory on weak evidence, and silent for a harmless key and for a secretKeyRef", async () => {
    const v = await check([
      ...app((c) => {
        c.env!.push({ name: "SENDGRID_KEY", valueFrom: { configMapKeyRef: { name: "mail", key: "sendgrid" } } });
        c.env!.push({ name: "MAIL_CACHE_KEY", valueFrom: { configMapKeyRef: { name: "mail", key: "cache-key" } } });
        c.env!.push({ name: "SMTP_PASSWORD", valueFrom: { secretKeyRef: { name: "mail", key: "smtp-password" } } });
      }),
    ]);
    expectOne(
      v,
      "disallow-plaintext-secret-env",
      `Cannot verify that SENDGRID_KEY of container "app" of ${DEPLOYMENT} "ap-app" holds no secret: it comes from ConfigMap "mail" (key "sendgrid") and its name only says KEY, which names secrets and non-secrets alike (weak evidence).`,
      "advisory",
    );
  });
});

describe("require-secrets-manager-references with SSM allowed", () => {
  const ALLOW = { "require-secrets-manager-references": { allowSsmParameters: true } };
  const ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/ap/worker-token`;
  function stackWith(type: string): StackExportResource[] {
    const stack = editContainers(ecsStack(), "ap-worker", ([w]) => {
      w!.secrets = [{ name: "AP_WORKER_TOKEN", valueFrom: ARN }];
    });
    return [
      ...stack,
      resource(
        "aws:ssm/parameter:Parameter",
        "worker-token",
        { name: "/ap/worker-token", type, value: { [SIG]: SECRET_SIG, ciphertext: "v1:dG9r:dG9rZW4=" }, region: "us-east-1" },
        { outputs: { arn: ARN, version: 1 } },
      ),
    ];
  }

  it("rejects a String parameter of the stack", async () => {
    const v = await check(stackWith("String"), ALLOW);
    expectOne(v, "require-secrets-manager-references", "");
    expect(v[0]!.message).toBe(
      'Container "worker" of task definition "ap-worker" takes secrets "AP_WORKER_TOKEN" from SSM parameter "/ap/worker-token" (aws:ssm/parameter:Parameter "worker-token"), a String parameter, which SSM stores and returns in plaintext. Fix: recreate the parameter with type "SecureString", or move the value to Secrets Manager and set `valueFrom` to the secret\'s ARN.',
    );
    expect(v[0]!.urn).toBe("urn:pulumi:dev::shop::aws:ecs/taskDefinition:TaskDefinition::ap-worker");
  });

  it("rejects a StringList parameter and accepts a SecureString", async () => {
    expectOne(
      await check(stackWith("StringList"), ALLOW),
      "require-secrets-manager-references",
      "a StringList parameter, which SSM stores and returns in plaintext",
    );
    expect(await check(stackWith("SecureString"), ALLOW)).toEqual([]);
  });
});
