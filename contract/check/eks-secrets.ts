import { SECRET_VARIABLES } from "../render";
import type { Plan } from "../../sizing/types";
import type { ReleaseContract, SecretName } from "../types";
import type { RoleContainer } from "./containers";
import { declared, declaredSecretArns, existingSecrets } from "./declared";
import { type RolePolicies, allows, notDenied, podIdentityRoles, rolePolicies } from "./iam";
import { KNOWN_SECRET_READERS } from "./known";
import { type SecretSource, describeSource, k8sMeta, sameSource, secretLabel, stackSecretArns } from "./stack";
import { type CheckedResource, TYPES, obj, objs, ofType, prop, str, strings } from "./types";

/**
 * Secrets on EKS: pods read them with `secretKeyRef` from Kubernetes Secrets that External Secrets
 * writes from Secrets Manager, with its own Pod Identity role. So a role's secret is proven by
 * the chain pod env -> ExternalSecret data -> store -> the operator's IAM role.
 * https://external-secrets.io/latest/provider/aws-secrets-manager/
 */
export class EksSecrets {
  private readonly eso?: RolePolicies;
  private readonly esoIdentity: string;

  constructor(
    private readonly plan: Plan,
    private readonly rs: readonly CheckedResource[],
    private readonly sources: Partial<Record<SecretName, SecretSource>>,
  ) {
    // With no auth in the store, the operator uses its controller pod's credentials: the Pod
    // Identity of the chart's service account (the chart names it after the release by default).
    const release = ofType(rs, TYPES.helmRelease).find((r) => prop(r, "chart") === "external-secrets");
    const ns = str(prop(release, "namespace")) ?? "external-secrets";
    const sa = str(obj(obj(prop(release, "values")).serviceAccount).name) ?? str(prop(release, "name")) ?? "external-secrets";
    this.esoIdentity = `${ns}/${sa}`;
    const arn = podIdentityRoles(rs, ns, sa)[0];
    this.eso = arn ? rolePolicies(rs, arn) : undefined;
  }

  /** The ExternalSecret that writes a Kubernetes Secret in a namespace. */
  externalSecret(namespace: string, secret: string): CheckedResource | undefined {
    return ofType(this.rs, TYPES.externalSecret).find((r) => {
      const spec = obj(prop(r, "spec"));
      return k8sMeta(r).namespace === namespace && (str(obj(spec.target).name) ?? k8sMeta(r).name) === secret;
    });
  }

  /** Kubernetes Secret key -> where External Secrets fills it from. */
  data(es: CheckedResource): Record<string, SecretSource> {
    return Object.fromEntries(
      objs(obj(prop(es, "spec")).data).map((d) => {
        const ref = obj(d.remoteRef);
        const property = str(ref.property);
        return [str(d.secretKey) ?? "", property ? { arn: str(ref.key) ?? "", key: property } : { arn: str(ref.key) ?? "" }];
      }),
    );
  }

  /** Whether the ExternalSecret's store is Secrets Manager, usable from its namespace, on the operator's own credentials. */
  private storeMissing(es: CheckedResource, namespace: string): string | undefined {
    const ref = obj(obj(prop(es, "spec")).secretStoreRef);
    const store = ofType(this.rs, TYPES.clusterSecretStore).find((s) => ref.kind === "ClusterSecretStore" && k8sMeta(s).name === ref.name);
    const spec = obj(prop(store, "spec"));
    const aws = obj(obj(spec.provider).aws);
    const conditions = objs(spec.conditions);
    const usable = conditions.length === 0 || conditions.some((c) => strings(c.namespaces).includes(namespace));
    if (!store || aws.service !== "SecretsManager" || !usable)
      return `the ExternalSecret ${k8sMeta(es).name}'s store ${str(ref.name) ?? "?"} is not a Secrets Manager ClusterSecretStore usable from ${namespace}`;
    if (aws.auth !== undefined || aws.role !== undefined) return `the store ${str(ref.name)} authenticates with credentials the check does not follow`;
    return undefined;
  }

  /** The missing pieces of one role's secret: env reference, ExternalSecret entry, store, IAM. */
  async missing(c: RoleContainer, namespace: string, secret: SecretName): Promise<string[]> {
    const variable = SECRET_VARIABLES[secret];
    const want = this.sources[secret];
    if (!want) return [`the stack has no ${secret} secret for the ${c.role} container`];
    const ref = c.secrets[variable];
    if (!ref) return [`the ${c.role} container has no ${variable} from a Kubernetes Secret`];
    const [k8sSecret, key] = ref.split("/") as [string, string];
    const es = this.externalSecret(namespace, k8sSecret);
    if (!es) return [`no ExternalSecret in ${namespace} writes the Secret ${k8sSecret} the ${c.role} container reads ${variable} from`];
    const got = this.data(es)[key];
    if (!got || !sameSource(got, want)) return [`the ExternalSecret ${k8sSecret} does not fill ${key} from the ${secret} secret ${describeSource(want)}`];
    const store = this.storeMissing(es, namespace);
    if (store) return [store];
    if (!this.eso?.found) return [`no Pod Identity role for External Secrets (${this.esoIdentity}) to read ${variable} for the ${c.role} container`];
    return (await allows(this.eso, "secretsmanager:GetSecretValue", want.arn))
      ? []
      : [`the External Secrets role does not allow secretsmanager:GetSecretValue on ${want.arn} for the ${c.role} container`];
  }

  /**
   * Keys of a role's Kubernetes Secrets beyond its contract, Secrets no role or known reader uses,
   * and stack secrets the operator can read that nobody needs. The operator's role is shared by
   * all roles, so per-role confinement on EKS is the Kubernetes Secret each pod references.
   */
  async extras(contract: ReleaseContract, roles: readonly { c: RoleContainer; namespace: string }[]): Promise<string[]> {
    const out: string[] = [];
    const needed = new Set<string>();
    const used = new Set<CheckedResource>();
    for (const { c, namespace } of roles) {
      const own = contract.roles[c.role].secrets;
      const mine = declared(this.plan, c.role).secrets;
      own.forEach((s) => needed.add(this.sources[s]?.arn ?? ""));
      Object.values(mine).forEach((s) => needed.add(s.arn));
      for (const k8sSecret of new Set(Object.values(c.secrets).map((r) => r.split("/")[0]!))) {
        const es = this.externalSecret(namespace, k8sSecret);
        if (!es) continue;
        used.add(es);
        const allowed = new Set([...own.map((s) => SECRET_VARIABLES[s]), ...Object.keys(mine)]);
        for (const key of Object.keys(this.data(es)).filter((k) => !allowed.has(k))) {
          out.push(
            `the Kubernetes Secret ${k8sSecret} the ${c.role} container reads holds ${key}, which the ${contract.line} ${c.role} contract does not list`,
          );
        }
      }
    }
    const contractSources = roles
      .flatMap(({ c }) => [...contract.roles[c.role].secrets.map((x) => this.sources[x]), ...Object.values(declared(this.plan, c.role).secrets)])
      .filter((x): x is SecretSource => !!x);
    for (const es of ofType(this.rs, TYPES.externalSecret).filter((r) => !used.has(r))) {
      const known = KNOWN_SECRET_READERS.find((k) => k.secret === (str(obj(obj(prop(es, "spec")).target).name) ?? k8sMeta(es).name));
      for (const [key, src] of Object.entries(this.data(es))) {
        const want = known?.keys[key] ? this.sources[known.keys[key]] : undefined;
        if (want && sameSource(src, want)) needed.add(want.arn);
        // A Secret no pod reads that copies a secret some role reads exposes nothing new.
        else if (!known && contractSources.some((c) => sameSource(c, src))) continue;
        else out.push(`the ExternalSecret ${k8sMeta(es).name} fills ${key} from ${describeSource(src)}, which no role's contract or known reader needs`);
      }
    }
    if (!this.eso?.found) return out;
    const wired = [...Object.values(existingSecrets(this.plan)), ...declaredSecretArns(this.plan)];
    for (const arn of stackSecretArns(this.rs, wired).filter((a) => !needed.has(a))) {
      const why = await notDenied(this.eso, "secretsmanager:GetSecretValue", arn);
      if (why)
        out.push(
          `the External Secrets role ${why} secretsmanager:GetSecretValue on ${secretLabel(this.sources, arn)}, which no role's contract or known reader needs`,
        );
    }
    return out;
  }
}
