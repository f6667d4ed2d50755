import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DatabasePlan } from "../sizing/types";
import { allowTcpFrom } from "./ingress";

export interface DatabaseArgs {
  readonly plan: DatabasePlan;
  /** Prefix of the instance identifier (`<prefix>-postgres`) and its final snapshot; letters, digits and hyphens. */
  readonly namePrefix: string;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets, at least two AZs (an RDS subnet group requires two). */
  readonly subnetIds: pulumi.Input<string[]>;
  /** Prod: deletion protection, a final snapshot and Pulumi `protect`. */
  readonly protect: boolean;
  /** Allow IAM database authentication besides the managed master password. Default false. */
  readonly iamAuthentication?: boolean;
}

export const POSTGRES_PORT = 5432;
export const DATABASE_NAME = "activepieces";
export const MASTER_USERNAME = "activepieces";
/** Performance Insights retention kept inside the free tier (7 days). https://aws.amazon.com/rds/performance-insights/pricing/ */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** Logs RDS exports to CloudWatch Logs, each to `/aws/rds/instance/<identifier>/<log>`. */
export const RDS_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/**
 * The instance identifier: fixed (not auto-named) so the log groups RDS writes to can be created,
 * with retention, before the instance. RDS rules: 1-63 lowercase letters, digits and single
 * hyphens, starting with a letter, not ending with a hyphen.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints
 */
export function rdsInstanceIdentifier(namePrefix: string): string {
  const id = `${namePrefix}-postgres`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[^a-z]+/, "");
  const trimmed = id.slice(0, 63).replace(/-+$/, "");
  if (!trimmed) throw new Error(`database: cannot derive an RDS identifier from "${namePrefix}"`);
  return trimmed;
}

/** The log group RDS exports one log to. */
export function rdsLogGroupName(identifier: string, log: (typeof RDS_LOG_EXPORTS)[number]): string {
  return `/aws/rds/instance/${identifier}/${log}`;
}

/** Parameter group family for an engine version: "16" and "16.4" -> "postgres16". */
export function postgresFamily(engineVersion: string): string {
  const major = /^(\d+)(\.\d+)?$/.exec(engineVersion)?.[1];
  if (!major) throw new Error(`database.engineVersion: "${engineVersion}" is not a Postgres version; allowed e.g. 16 or 16.4`);
  return `postgres${major}`;
}

/**
 * RDS for PostgreSQL for the ActivePieces app. The master password is created and kept by RDS in
 * Secrets Manager (`manageMasterUserPassword`), so it never appears in the program or its state.
 * Storage is encrypted, the instance is private, and TLS is enforced by the parameter group.
 * Its security group has no ingress: each caller opens 5432 to its own security group with
 * `allowFrom`, so only the app can connect.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 */
export class Database extends pulumi.ComponentResource {
  /** Host name of the instance endpoint. */
  readonly address: pulumi.Output<string>;
  /** Postgres port (5432). */
  readonly port: pulumi.Output<number>;
  /** Name of the application database. */
  readonly dbName: pulumi.Output<string>;
  /** Master user name. */
  readonly username: pulumi.Output<string>;
  /** ARN of the RDS-managed secret holding `{ username, password }`. */
  readonly masterUserSecretArn: pulumi.Output<string>;
  /** RDS instance identifier (CloudWatch dimension DBInstanceIdentifier). */
  readonly instanceIdentifier: pulumi.Output<string>;
  /** Security group of the instance; ingress only through `allowFrom`. */
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("activepieces:database:Database", name, {}, opts);
    const { plan } = args;

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: "ActivePieces Postgres: ingress only from allowed security groups",
        tags: { Name: `${name}-sg` },
      },
      { parent: this },
    );

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      {
        subnetIds: args.subnetIds,
        description: "ActivePieces Postgres private subnets",
      },
      { parent: this },
    );

    // rds.force_ssl rejects unencrypted connections: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
    const parameterGroup = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        family: postgresFamily(plan.engineVersion),
        description: "ActivePieces Postgres: TLS required",
        parameters: [{ name: "rds.force_ssl", value: "1" }],
      },
      { parent: this },
    );

    // Note: an instance created before the identifier was fixed had an auto-generated one; setting
    // it replaces that instance (refused in prod by `protect`).
    const identifier = rdsInstanceIdentifier(args.namePrefix);
    // RDS creates missing export log groups itself, without retention (logs kept forever): create
    // them first, with the plan's retention (30 days, 90 in prod; sizing/plan.ts).
    const logGroups = RDS_LOG_EXPORTS.map(
      (log) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${log}-logs`,
          {
            name: rdsLogGroupName(identifier, log),
            retentionInDays: plan.logRetentionDays,
          },
          { parent: this, deleteBeforeReplace: true },
        ),
    ); // fixed name: a replacement must free it first

    // A final snapshot identifier must be unique in the account and region: a fixed one collides
    // on the second replacement. Its suffix is re-drawn whenever one of the inputs that replace
    // the instance changes (the keepers), so each instance deletes into its own snapshot.
    const replaceKeepers = { identifier, engine: "postgres", dbName: DATABASE_NAME, username: MASTER_USERNAME, storageEncrypted: "true" };
    const snapshotSuffix = args.protect
      ? new random.RandomId(`${name}-final-snapshot-suffix`, { byteLength: 4, keepers: replaceKeepers }, { parent: this })
      : undefined;

    const instance = new aws.rds.Instance(
      `${name}-postgres`,
      {
        identifier,
        engine: "postgres",
        engineVersion: plan.engineVersion,
        instanceClass: plan.instanceClass,
        dbName: DATABASE_NAME,
        username: MASTER_USERNAME,
        manageMasterUserPassword: true,
        port: POSTGRES_PORT,
        storageType: "gp3",
        allocatedStorage: plan.allocatedStorageGb,
        maxAllocatedStorage: plan.maxAllocatedStorageGb,
        storageEncrypted: true,
        publiclyAccessible: false,
        multiAz: plan.multiAz,
        dbSubnetGroupName: subnetGroup.name,
        parameterGroupName: parameterGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        backupRetentionPeriod: plan.backupRetentionDays,
        backupWindow: "03:00-04:00",
        maintenanceWindow: "sun:04:30-sun:05:30",
        copyTagsToSnapshot: true,
        autoMinorVersionUpgrade: true,
        performanceInsightsEnabled: plan.performanceInsights,
        performanceInsightsRetentionPeriod: plan.performanceInsights ? PERFORMANCE_INSIGHTS_RETENTION_DAYS : undefined,
        iamDatabaseAuthenticationEnabled: args.iamAuthentication ?? false,
        enabledCloudwatchLogsExports: [...RDS_LOG_EXPORTS],
        // Staging: a changed class, version or parameter applies during `pulumi up`. Prod: it waits
        // for the maintenance window (sun 04:30 UTC) and `up` reports success before it is live;
        // apply sooner with `aws rds modify-db-instance --apply-immediately` when that is intended.
        applyImmediately: plan.applyImmediately,
        deletionProtection: plan.deletionProtection || args.protect,
        skipFinalSnapshot: !args.protect,
        finalSnapshotIdentifier: snapshotSuffix ? pulumi.interpolate`${identifier}-final-${snapshotSuffix.hex}` : undefined,
      },
      {
        parent: this,
        protect: args.protect,
        dependsOn: logGroups,
        // The identifier is fixed: a replacement must delete (and snapshot) the old instance first.
        deleteBeforeReplace: true,
      },
    );

    this.address = instance.address;
    this.port = instance.port;
    this.dbName = instance.dbName;
    this.username = instance.username;
    this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => {
      const arn = secrets?.[0]?.secretArn;
      if (!arn) throw new Error(`${name}: RDS returned no master user secret although manageMasterUserPassword is set`);
      return arn;
    });
    this.instanceIdentifier = instance.identifier;
    this.securityGroupId = securityGroup.id;

    this.registerOutputs({
      address: this.address,
      port: this.port,
      dbName: this.dbName,
      username: this.username,
      masterUserSecretArn: this.masterUserSecretArn,
      instanceIdentifier: this.instanceIdentifier,
      securityGroupId: this.securityGroupId,
    });
  }

  /** Opens 5432 on the database to one security group (the app's), and nothing else. */
  allowFrom(name: string, sourceSecurityGroupId: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): aws.vpc.SecurityGroupIngressRule {
    return allowTcpFrom(
      name,
      { securityGroupId: this.securityGroupId, sourceSecurityGroupId, port: POSTGRES_PORT, description: "Postgres from an allowed security group" },
      { parent: this, ...opts },
    );
  }
}
