import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface AppSecretsArgs {
  /** Secrets Manager name prefix, e.g. `activepieces/prod`; each secret is `<prefix>/<key>-<suffix>`. */
  readonly namePrefix: string;
  /** Protect and retain the generated values and their secrets (prod). */
  readonly protect: boolean;
  /** ARNs of an existing installation's secrets, used as they are instead of generating new ones. */
  readonly existing?: { readonly encryptionKey?: string; readonly jwtSecret?: string; readonly workerToken?: string };
}

/** Claims of the worker token ActivePieces checks: issuer, key id and a WORKER principal. */
export const WORKER_TOKEN = { issuer: "activepieces", kid: "1", alg: "HS256", type: "WORKER" } as const;

/**
 * Days a deleted secret can still be restored. Prod keeps the maximum (30) because a lost encryption
 * key makes every stored connection unreadable; staging keeps the minimum (7).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
 */
export function recoveryWindowDays(protect: boolean): number {
  return protect ? 30 : 7;
}

/**
 * Options that keep a generated value: `protect` makes `pulumi destroy` or a replacement fail,
 * `retainOnDelete` leaves the cloud resource in place if it is ever removed from the program.
 * Without both, a refactor could rotate the encryption key (activepieces#5157).
 */
export function keepOptions(protect: boolean): Pick<pulumi.CustomResourceOptions, "protect" | "retainOnDelete"> {
  return protect ? { protect: true, retainOnDelete: true } : {};
}

/**
 * Signs the worker token: HS256 over the JWT secret, header `kid: "1"`, issuer `activepieces`,
 * payload `{ id, type: "WORKER" }`, without `iat`/`exp`, so the same inputs always give the same
 * token and a `pulumi up` never changes it (the format ActivePieces' app verifies for workers).
 */
export async function signWorkerToken(jwtSecret: string, workerId: string): Promise<string> {
  // jose is ESM-only; a dynamic import keeps this CommonJS module loadable.
  const { SignJWT } = await import("jose");
  return new SignJWT({ id: workerId, type: WORKER_TOKEN.type })
    .setProtectedHeader({ alg: WORKER_TOKEN.alg, kid: WORKER_TOKEN.kid })
    .setIssuer(WORKER_TOKEN.issuer)
    .sign(new TextEncoder().encode(jwtSecret));
}

/** A generated value to keep in Secrets Manager as `<namePrefix>/<key>-<suffix>`. */
export interface GeneratedSecret {
  readonly key: string;
  readonly value: pulumi.Output<string>;
  readonly description: string;
  readonly namePrefix: string;
  readonly protect: boolean;
}

/**
 * Stores a generated value: the secret `<name>-<key>` and its version, kept like the value itself
 * (protect and retain in prod). Returns the secret's ARN, the only thing containers receive.
 */
export function storeGeneratedSecret(parent: pulumi.Resource, name: string, s: GeneratedSecret): pulumi.Output<string> {
  const opts = { parent, ...keepOptions(s.protect) };
  const secret = new aws.secretsmanager.Secret(
    `${name}-${s.key}`,
    {
      namePrefix: `${s.namePrefix}/${s.key}-`,
      description: s.description,
      recoveryWindowInDays: recoveryWindowDays(s.protect),
    },
    opts,
  );
  new aws.secretsmanager.SecretVersion(
    `${name}-${s.key}`,
    {
      secretId: secret.id,
      secretString: pulumi.secret(s.value),
    },
    opts,
  );
  return secret.arn;
}

/**
 * The application secrets, generated once and kept in state and in AWS Secrets Manager:
 * `AP_ENCRYPTION_KEY` (32 hex characters = 16 random bytes), `AP_JWT_SECRET`, the Redis auth token
 * (`AP_REDIS_PASSWORD`, also the ElastiCache `authToken`) and `AP_WORKER_TOKEN`.
 *
 * Values come from `random.RandomPassword`, whose resource id is the constant "none": RandomId and
 * RandomBytes use the value itself as the id, which Pulumi stores and prints unencrypted. The
 * encryption key uses an alphabet of exactly the 16 hex digits (digits plus `abcdef` as the
 * "special" set), so 32 uniformly drawn characters carry the same 128 bits as 16 random bytes.
 * No keepers: nothing in the program can trigger a new value. Containers receive the ARNs only.
 */
export class AppSecrets extends pulumi.ComponentResource {
  /** Secrets Manager ARN of AP_ENCRYPTION_KEY. */
  readonly encryptionKeyArn: pulumi.Output<string>;
  /** Secrets Manager ARN of AP_JWT_SECRET. */
  readonly jwtSecretArn: pulumi.Output<string>;
  /** Secrets Manager ARN of AP_WORKER_TOKEN. */
  readonly workerTokenArn: pulumi.Output<string>;
  /** Secrets Manager ARN of the Redis auth token (AP_REDIS_PASSWORD). */
  readonly redisAuthArn: pulumi.Output<string>;
  /** All four ARNs, for execution-role policies and stack outputs. */
  readonly secretArns: pulumi.Output<string>[];
  /** The Redis auth token as a secret Output, only for the ElastiCache `authToken` input. */
  readonly redisAuthToken: pulumi.Output<string>;

  constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:secrets:AppSecrets", name, {}, opts);
    const keep = keepOptions(args.protect);
    const generated = { parent: this, ...keep };

    const existing = args.existing ?? {};
    const encryptionKey = existing.encryptionKey
      ? undefined
      : new random.RandomPassword(
          `${name}-encryption-key`,
          {
            length: 32,
            lower: false,
            upper: false,
            numeric: true,
            special: true,
            overrideSpecial: "abcdef",
          },
          generated,
        );
    // A brought JWT secret comes with its worker token (the schema requires both): nothing to sign here.
    const jwtSecret = existing.jwtSecret ? undefined : new random.RandomPassword(`${name}-jwt-secret`, { length: 64, special: false }, generated);
    // ElastiCache auth tokens: 16-128 printable characters without @, " or /; alphanumeric is safe.
    // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html
    const redisAuth = new random.RandomPassword(`${name}-redis-auth`, { length: 64, special: false }, generated);
    const workerToken = (): pulumi.Output<string> => {
      if (!jwtSecret) throw new Error(`${name}: existingSecrets.jwtSecret needs existingSecrets.workerToken`);
      const workerId = new random.RandomUuid(`${name}-worker-id`, {}, generated);
      return pulumi.all([jwtSecret.result, workerId.result]).apply(([secret, id]) => signWorkerToken(secret, id));
    };

    const store = (key: string, value: pulumi.Output<string>, description: string): pulumi.Output<string> =>
      storeGeneratedSecret(this, name, { key, value, description, namePrefix: args.namePrefix, protect: args.protect });

    this.encryptionKeyArn = existing.encryptionKey
      ? pulumi.output(existing.encryptionKey)
      : store("encryption-key", encryptionKey!.result, "AP_ENCRYPTION_KEY: encrypts stored connections; never rotate");
    this.jwtSecretArn = existing.jwtSecret
      ? pulumi.output(existing.jwtSecret)
      : store("jwt-secret", jwtSecret!.result, "AP_JWT_SECRET: signs user and worker tokens");
    this.workerTokenArn = existing.workerToken
      ? pulumi.output(existing.workerToken)
      : store("worker-token", workerToken(), "AP_WORKER_TOKEN: lets workers join the app");
    this.redisAuthArn = store("redis-auth", redisAuth.result, "AP_REDIS_PASSWORD: ElastiCache auth token");
    this.secretArns = [this.encryptionKeyArn, this.jwtSecretArn, this.workerTokenArn, this.redisAuthArn];
    this.redisAuthToken = pulumi.secret(redisAuth.result);

    this.registerOutputs({
      encryptionKeyArn: this.encryptionKeyArn,
      jwtSecretArn: this.jwtSecretArn,
      workerTokenArn: this.workerTokenArn,
      redisAuthArn: this.redisAuthArn,
    });
  }
}
