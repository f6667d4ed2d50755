/**
 * Kubernetes readers the EKS rules share: namespaces, pod labels and label selectors, and the
 * AWS Load Balancer Controller's Ingress annotations.
 */
import type { PolicyProviderResource } from "@pulumi/policy";
import { k8sWorkloadKind } from "./containers";
import { OddInputError, objects, optList, optObj, optStr, strings, type Props } from "./values";

export const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
export const INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass";
export const INGRESS_CLASS_PARAMS = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";
export const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const NAMESPACE = "kubernetes:core/v1:Namespace";
/** Network policy kinds of CNIs the pack does not evaluate (Cilium, Calico). */
export const OTHER_NETWORK_POLICY_TYPES = [
  "kubernetes:cilium.io/v2:CiliumNetworkPolicy",
  "kubernetes:cilium.io/v2:CiliumClusterwideNetworkPolicy",
  "kubernetes:crd.projectcalico.org/v1:NetworkPolicy",
  "kubernetes:crd.projectcalico.org/v1:GlobalNetworkPolicy",
  "kubernetes:projectcalico.org/v3:NetworkPolicy",
  "kubernetes:projectcalico.org/v3:GlobalNetworkPolicy",
];

/** Controller name of the AWS Load Balancer Controller in an IngressClass. */
export const LBC_CONTROLLER = "ingress.k8s.aws/alb";
export const LBC_ANNOTATION_PREFIX = "alb.ingress.kubernetes.io/";

export function metadata(props: Props): Props {
  return optObj(props, "metadata") ?? {};
}

/** A resource's namespace: its own, else its provider's default namespace, else `default`. */
export function namespaceOf(r: { props: Props; provider?: PolicyProviderResource }): string {
  const own = optStr(metadata(r.props), "namespace");
  if (own) return own;
  try {
    const fromProvider = r.provider ? optStr(r.provider.props, "namespace") : undefined;
    if (fromProvider) return fromProvider;
  } catch {
    // An unreadable provider namespace falls back to Kubernetes' default.
  }
  return "default";
}

export function labelsOf(obj: Props | undefined): Record<string, string> {
  const labels = obj ? optObj(obj, "labels") : undefined;
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels ?? {})) {
    const v = optStr(labels!, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The labels of the pods a workload creates (its pod template's labels; a Pod's own). */
export function podLabels(type: string, props: Props): Record<string, string> {
  const kind = k8sWorkloadKind(type);
  if (kind === "Pod") return labelsOf(metadata(props));
  if (kind === "PodTemplate") return labelsOf(optObj(optObj(props, "template") ?? {}, "metadata"));
  let spec = optObj(props, "spec") ?? {};
  if (kind === "CronJob") spec = optObj(optObj(spec, "jobTemplate") ?? {}, "spec") ?? {};
  return labelsOf(optObj(optObj(spec, "template") ?? {}, "metadata"));
}

/** Whether a label selector (`matchLabels`, `matchExpressions`) selects pods with these labels. An empty selector selects all. */
export function selects(selector: Props | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  const match = optObj(selector, "matchLabels") ?? {};
  for (const k of Object.keys(match)) if (labels[k] !== optStr(match, k)) return false;
  for (const e of objects(optList(selector, "matchExpressions"), "matchExpressions")) {
    const key = optStr(e, "key") ?? "";
    const values = strings(optList(e, "values"), "values");
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (optStr(e, "operator")) {
      case "In":
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        throw new OddInputError(`matchExpressions operator "${optStr(e, "operator") ?? ""}" is not In, NotIn, Exists or DoesNotExist`);
    }
  }
  return true;
}

export function annotationsOf(props: Props): Record<string, string> {
  const a = optObj(metadata(props), "annotations") ?? {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(a)) {
    const v = optStr(a, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The Ingress class an Ingress names (`spec.ingressClassName`, else the legacy annotation). */
export function ingressClassOf(props: Props): string | undefined {
  return optStr(optObj(props, "spec") ?? {}, "ingressClassName") ?? annotationsOf(props)["kubernetes.io/ingress.class"];
}

/**
 * Whether an Ingress is served by the AWS Load Balancer Controller: class `alb`, a class in
 * `lbcClasses` (IngressClasses of this stack with controller ingress.k8s.aws/alb), or annotations of
 * the controller.
 */
export function isLbcIngress(props: Props, lbcClasses: ReadonlySet<string> = new Set()): boolean {
  const cls = ingressClassOf(props);
  if (cls === "alb" || (cls !== undefined && lbcClasses.has(cls))) return true;
  return Object.keys(annotationsOf(props)).some((k) => k.startsWith(LBC_ANNOTATION_PREFIX));
}

/** `a=1,b=2` (the controller's attribute annotations) as a map. */
export function parseAttributes(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (text ?? "").split(",")) {
    const i = part.indexOf("=");
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

/** Whether an LBC Ingress serves HTTPS: a certificate annotation, an HTTPS listen port, or `spec.tls`. */
export function ingressServesHttps(props: Props): boolean {
  const a = annotationsOf(props);
  if (a[`${LBC_ANNOTATION_PREFIX}certificate-arn`]) return true;
  if (/"HTTPS"\s*:/.test(a[`${LBC_ANNOTATION_PREFIX}listen-ports`] ?? "")) return true;
  return (optList(optObj(props, "spec") ?? {}, "tls") ?? []).length > 0;
}
