/**
 * Compliant stacks every policy test starts from: ActivePieces on ECS Fargate and on EKS, written as
 * a third-party program's `pulumi stack export` would list them. Each call returns fresh objects.
 */
import type { StackExportResource } from "../../policies/engine/check";
import { ACCOUNT, resource } from "./support";

export const IMAGE = "ghcr.io/activepieces/activepieces:0.79.0";
export const DB_ADDRESS = "ap-db.c9akciq32.us-east-1.rds.amazonaws.com";
export const ALB_SG = "sg-0alb00000000000a1";
const REGION = "us-east-1";
const sm = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbC123`;

function taskDefinition(name: string, cpu: string, memory: string, container: Record<string, unknown>): StackExportResource {
  return resource(
    "aws:ecs/taskDefinition:TaskDefinition",
    name,
    {
      family: name,
      cpu,
      memory,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${name}-exec`,
      containerDefinitions: JSON.stringify([container]),
      region: REGION,
    },
    { outputs: { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${name}:3`, revision: 3 } },
  );
}

function dataTier(): StackExportResource[] {
  return [
    resource("aws:rds/parameterGroup:ParameterGroup", "ap-pg", {
      name: "ap-pg-5f1c2e9",
      family: "postgres16",
      parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "immediate" }],
      region: REGION,
    }),
    resource(
      "aws:rds/instance:Instance",
      "ap-db",
      {
        engine: "postgres",
        engineVersion: "16.4",
        instanceClass: "db.t4g.small",
        allocatedStorage: 20,
        username: "activepieces",
        manageMasterUserPassword: true,
        storageEncrypted: true,
        publiclyAccessible: false,
        backupRetentionPeriod: 7,
        deletionProtection: true,
        multiAz: true,
        parameterGroupName: "ap-pg-5f1c2e9",
        dbSubnetGroupName: "ap-db-subnets",
        vpcSecurityGroupIds: ["sg-0db0000000000000d"],
        region: REGION,
      },
      {
        outputs: {
          address: DB_ADDRESS,
          endpoint: `${DB_ADDRESS}:5432`,
          arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:ap-db`,
          masterUserSecrets: [{ secretArn: sm("rds!db-1234"), secretStatus: "active" }],
        },
      },
    ),
    resource("aws:elasticache/parameterGroup:ParameterGroup", "ap-redis-params", {
      name: "ap-redis-params-0a1b2c3",
      family: "redis7",
      parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
      region: REGION,
    }),
    resource("aws:elasticache/replicationGroup:ReplicationGroup", "ap-redis", {
      description: "queue",
      engine: "redis",
      engineVersion: "7.1",
      nodeType: "cache.t4g.small",
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: "true",
      parameterGroupName: "ap-redis-params-0a1b2c3",
      authToken: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f"' },
      region: REGION,
    }),
    resource(
      "aws:s3/bucket:Bucket",
      "ap-files",
      { bucket: "ap-files-8d1e2f", region: REGION },
      { outputs: { bucketRegion: REGION, arn: "arn:aws:s3:::ap-files-8d1e2f" } },
    ),
    resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "ap-files-pab", {
      bucket: "ap-files-8d1e2f",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      region: REGION,
    }),
    resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "ap-files-sse", {
      bucket: "ap-files-8d1e2f",
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
      region: REGION,
    }),
    resource(
      "aws:ec2/securityGroup:SecurityGroup",
      "ap-db-sg",
      {
        description: "postgres",
        vpcId: "vpc-0a1b2c3d",
        ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-0app000000000000a"], cidrBlocks: [] }],
        region: REGION,
      },
      { outputs: { id: "sg-0db0000000000000d" } },
    ),
    resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ap-redis-from-app", {
      securityGroupId: "sg-0redis00000000000",
      referencedSecurityGroupId: "sg-0app000000000000a",
      ipProtocol: "tcp",
      fromPort: 6379,
      toPort: 6379,
      region: REGION,
    }),
    resource("aws:ec2/securityGroupRule:SecurityGroupRule", "ap-db-from-vpc", {
      type: "ingress",
      securityGroupId: "sg-0db0000000000000d",
      protocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      cidrBlocks: ["10.0.0.0/16"],
      region: REGION,
    }),
  ];
}

/** ActivePieces on ECS Fargate: 2..4 apps (pool 10), 10 static workers, ALB on HTTPS. */
export function ecsStack(): StackExportResource[] {
  const appEnv = [
    { name: "AP_CONTAINER_TYPE", value: "APP" },
    { name: "AP_FRONTEND_URL", value: "https://flows.example.com" },
    { name: "AP_EXECUTION_MODE", value: "SANDBOX_CODE_ONLY" },
    { name: "AP_POSTGRES_HOST", value: DB_ADDRESS },
    { name: "AP_POSTGRES_POOL_SIZE", value: "10" },
    { name: "AP_REDIS_URL_SECRET_ARN", value: sm("ap-redis-url") },
    { name: "NODE_OPTIONS", value: "--max-old-space-size=1536" },
  ];
  const workerEnv = [
    { name: "AP_CONTAINER_TYPE", value: "WORKER" },
    { name: "AP_FRONTEND_URL", value: "https://flows.example.com" },
    { name: "AP_EXECUTION_MODE", value: "SANDBOX_CODE_ONLY" },
    { name: "AP_WORKER_CONCURRENCY", value: "1" },
  ];
  const logs = (role: string) => ({
    logDriver: "awslogs",
    options: { "awslogs-group": `/ecs/ap/${role}`, "awslogs-region": REGION, "awslogs-stream-prefix": role },
  });
  return [
    resource("aws:ecs/cluster:Cluster", "ap", { name: "ap", region: REGION }, { outputs: { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/ap` } }),
    taskDefinition("ap-app", "1024", "2048", {
      name: "app",
      image: IMAGE,
      essential: true,
      environment: appEnv,
      logConfiguration: logs("app"),
      portMappings: [{ containerPort: 80, protocol: "tcp" }],
      secrets: [
        { name: "AP_POSTGRES_PASSWORD", valueFrom: `${sm("rds!db-1234")}:password::` },
        { name: "AP_ENCRYPTION_KEY", valueFrom: sm("ap-encryption-key") },
        { name: "AP_JWT_SECRET", valueFrom: sm("ap-jwt-secret") },
        { name: "AP_REDIS_PASSWORD", valueFrom: sm("ap-redis-auth") },
      ],
    }),
    taskDefinition("ap-worker", "512", "1024", {
      name: "worker",
      image: IMAGE,
      essential: true,
      stopTimeout: 120,
      environment: workerEnv,
      logConfiguration: logs("worker"),
      secrets: [{ name: "AP_WORKER_TOKEN", valueFrom: sm("ap-worker-token") }],
    }),
    resource("aws:ecs/service:Service", "ap-app", {
      name: "ap-app",
      cluster: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/ap`,
      taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/ap-app:3`,
      desiredCount: 2,
      capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      region: REGION,
    }),
    resource("aws:ecs/service:Service", "ap-worker", {
      name: "ap-worker",
      cluster: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/ap`,
      taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/ap-worker:3`,
      desiredCount: 10,
      capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
      region: REGION,
    }),
    resource("aws:appautoscaling/target:Target", "ap-app-scaling", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: "service/ap/ap-app",
      minCapacity: 2,
      maxCapacity: 4,
      region: REGION,
    }),
    ...dataTier(),
    resource(
      "aws:ec2/securityGroup:SecurityGroup",
      "ap-alb-sg",
      {
        description: "alb",
        vpcId: "vpc-0a1b2c3d",
        region: REGION,
        ingress: [
          { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
          { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
        ],
      },
      { outputs: { id: ALB_SG } },
    ),
    resource(
      "aws:lb/loadBalancer:LoadBalancer",
      "ap-alb",
      {
        loadBalancerType: "application",
        internal: false,
        securityGroups: [ALB_SG],
        subnets: ["subnet-0pub00000000000a1", "subnet-0pub00000000000b2"],
        accessLogs: { bucket: "ap-alb-logs-8d1e2f", prefix: "ap", enabled: true },
        dropInvalidHeaderFields: true,
        region: REGION,
      },
      { outputs: { arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/ap/1a2b", dnsName: "ap-1a2b.us-east-1.elb.amazonaws.com" } },
    ),
    resource("aws:lb/listener:Listener", "ap-https", {
      loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/ap/1a2b",
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/1f2e`,
      defaultActions: [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ap/3c4d" }],
      region: REGION,
    }),
    resource("aws:lb/listener:Listener", "ap-http", {
      loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/ap/1a2b",
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      region: REGION,
    }),
    resource("aws:lambda/function:Function", "ap-queue-metric", {
      runtime: "nodejs20.x",
      handler: "index.handler",
      role: `arn:aws:iam::${ACCOUNT}:role/ap-queue-metric`,
      region: REGION,
      environment: { variables: { QUEUE_NAME: "workerJobs", REDIS_AUTH_SECRET_ARN: sm("ap-redis-auth"), METRIC_NAMESPACE: "ActivePieces" } },
    }),
  ];
}

function deployment(name: string, replicas: number | undefined, container: Record<string, unknown>, pod: Record<string, unknown> = {}): StackExportResource {
  return resource(
    "kubernetes:apps/v1:Deployment",
    name,
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: "activepieces" },
      spec: {
        ...(replicas === undefined ? {} : { replicas }),
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { ...pod, containers: [container] } },
      },
    },
    { provider: null },
  );
}

const secretRef = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: "activepieces", key } } });

/** ActivePieces on EKS: app Deployment with an HPA (2..4, pool 5), workers scaled by KEDA (1..20). */
export function eksStack(): StackExportResource[] {
  return [
    resource(
      "aws:eks/cluster:Cluster",
      "ap-eks",
      {
        name: "ap-eks",
        version: "1.31",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/ap-eks`,
        region: REGION,
        vpcConfig: { subnetIds: ["subnet-0priv0000000000a1", "subnet-0priv0000000000b2"], endpointPrivateAccess: true, endpointPublicAccess: false },
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/5e6f7a8b-0c1d-4e2f-8a9b-0c1d2e3f4a5b` } },
      },
      { outputs: { arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/ap-eks` } },
    ),
    ...dataTier(),
    deployment("ap-app", 2, {
      name: "app",
      image: IMAGE,
      env: [
        { name: "AP_CONTAINER_TYPE", value: "APP" },
        { name: "AP_POSTGRES_HOST", value: DB_ADDRESS },
        { name: "AP_POSTGRES_POOL_SIZE", value: "5" },
        secretRef("AP_POSTGRES_PASSWORD", "postgres-password"),
        secretRef("AP_ENCRYPTION_KEY", "encryption-key"),
        secretRef("AP_JWT_SECRET", "jwt-secret"),
      ],
    }),
    deployment(
      "ap-worker",
      undefined,
      {
        name: "worker",
        image: IMAGE,
        env: [{ name: "AP_CONTAINER_TYPE", value: "WORKER" }, { name: "AP_WORKER_CONCURRENCY", value: "1" }, secretRef("AP_WORKER_TOKEN", "worker-token")],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      },
      { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } },
    ),
    resource(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "ap-worker-netpol",
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "ap-worker", namespace: "activepieces" },
        spec: { podSelector: { matchLabels: { app: "ap-worker" } }, policyTypes: ["Ingress", "Egress"], egress: [{}] },
      },
      { provider: null },
    ),
    resource(
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "ap-app-hpa",
      {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "ap-app", namespace: "activepieces" },
        spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "ap-app" }, minReplicas: 2, maxReplicas: 4 },
      },
      { provider: null },
    ),
    resource(
      "kubernetes:keda.sh/v1alpha1:ScaledObject",
      "ap-worker-scaler",
      {
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: "ap-worker", namespace: "activepieces" },
        spec: {
          scaleTargetRef: { name: "ap-worker" },
          minReplicaCount: 1,
          maxReplicaCount: 20,
          triggers: [{ type: "redis", metadata: { listName: "bull:workerJobs:prioritized", listLength: "1" } }],
        },
      },
      { provider: null },
    ),
  ];
}
