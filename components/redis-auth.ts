import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { keepOptions, storeGeneratedSecret } from "./secrets";

export interface RedisAuthArgs {
  /** Secrets Manager name prefix, e.g. `langfuse/prod`; the secret is `<prefix>/redis-auth-<suffix>`. */
  readonly namePrefix: string;
  /** Protect and retain the generated value and its secret (prod). */
  readonly protect: boolean;
}

/**
 * The Redis AUTH token of a workload profile, and nothing else: the same value, alphabet and
 * keeping as AppSecrets' token (components/secrets.ts), without ActivePieces' encryption key, JWT
 * secret or worker token, which a profile does not read. The ElastiCache `authToken` gets the
 * value; containers get only the ARN.
 */
export class RedisAuth extends pulumi.ComponentResource {
  /** Secrets Manager ARN of the token. */
  readonly arn: pulumi.Output<string>;
  /** The token as a secret Output, only for the ElastiCache `authToken` input. */
  readonly token: pulumi.Output<string>;

  constructor(name: string, args: RedisAuthArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:secrets:RedisAuth", name, {}, opts);
    // ElastiCache auth tokens: 16-128 printable characters without @, " or /; alphanumeric is safe.
    // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html
    const value = new random.RandomPassword(`${name}-redis-auth`, { length: 64, special: false }, { parent: this, ...keepOptions(args.protect) });
    this.arn = storeGeneratedSecret(this, name, {
      key: "redis-auth",
      value: value.result,
      description: "Redis AUTH token (ElastiCache auth token)",
      namePrefix: args.namePrefix,
      protect: args.protect,
    });
    this.token = pulumi.secret(value.result);
    this.registerOutputs({ arn: this.arn });
  }
}
