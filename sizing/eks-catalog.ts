/**
 * Checks of the EKS settings against the dated catalogues (catalog/eks-versions.ts, charts.ts,
 * images.ts), run by plan() before anything registers. Pure: today's date is an argument, so tests
 * pin it; plan() passes `new Date()`.
 */
import { DEFAULT_KEDA_CHART_VERSION, KEDA_CHARTS, KEDA_COMPATIBILITY_SOURCE, type ChartEntry } from "../catalog/charts";
import { EKS_VERSIONS, EKS_VERSIONS_SOURCE, type EksVersionEntry } from "../catalog/eks-versions";
import { CLUSTER_AUTOSCALER_IMAGES, type ImageEntry } from "../catalog/images";
import type { ConfigProblem } from "../config/errors";

/** Days before an end of support the plan starts to warn (EKS itself announces an end at least 60 days ahead). */
export const SUPPORT_WARN_DAYS = 60;

/** Where a Kubernetes version stands on a day: standard support, extended support, or past both. */
export type VersionStatus = "standard" | "extended" | "ended";

/**
 * How the cluster is run: `supportType` is its upgrade policy (EXTENDED keeps it on its version past
 * standard support, STANDARD lets EKS upgrade it then); `status` is what the version is in today,
 * which decides the cluster-hour price (a cluster is billed extended support only while its version
 * is actually in extended support).
 */
export interface EksSupport {
  readonly supportType: "STANDARD" | "EXTENDED";
  readonly status: "standard" | "extended";
}

export const STANDARD_SUPPORT: EksSupport = { supportType: "STANDARD", status: "standard" };

export interface EksCatalogInput {
  readonly kubernetesVersion: string;
  readonly extendedSupport: boolean;
  readonly kedaVersion: string;
}

export interface EksCatalogResult {
  /** Refusals, each naming the config key to change. */
  readonly problems: ConfigProblem[];
  /** Notes for the plan's warnings list. */
  readonly warnings: string[];
  /** Set when there is no problem. */
  readonly support?: EksSupport;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day of a date, as an ISO date (EKS dates are UTC days). */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function daysUntil(isoDate: string, today: Date): number {
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - Date.parse(`${utcDay(today)}T00:00:00Z`)) / DAY_MS);
}

export function eksVersion(version: string): EksVersionEntry | undefined {
  return EKS_VERSIONS.find((v) => v.version === version);
}

/** Standard support until the start of its end day, then extended support until the start of that end day. */
export function versionStatus(v: EksVersionEntry, today: Date): VersionStatus {
  const day = utcDay(today);
  if (day >= v.endOfExtendedSupport) return "ended";
  if (day >= v.endOfStandardSupport) return "extended";
  return "standard";
}

const minor = (v: string) => Number(v.split(".")[1]);

/** Versions in a status on a day, newest first. */
export function versionsIn(status: VersionStatus, today: Date): string[] {
  return EKS_VERSIONS.filter((v) => versionStatus(v, today) === status)
    .map((v) => v.version)
    .sort((a, b) => minor(b) - minor(a));
}

/** The newest catalogued version in standard support on a day (the default `eks.kubernetesVersion`). */
export function newestInStandardSupport(today: Date): string {
  const v = versionsIn("standard", today)[0];
  if (!v) throw new Error(`no catalogued EKS version is in standard support on ${utcDay(today)}; update catalog/eks-versions.ts`);
  return v;
}

/** The Cluster Autoscaler image for a Kubernetes minor (its minor must match the cluster's). */
export function clusterAutoscalerImage(kubernetesVersion: string): ImageEntry | undefined {
  return CLUSTER_AUTOSCALER_IMAGES[kubernetesVersion];
}

export function kedaChart(version: string): ChartEntry | undefined {
  return KEDA_CHARTS.find((c) => c.version === version);
}

function allowedVersions(today: Date): string {
  const standard = versionsIn("standard", today);
  const extended = versionsIn("extended", today).filter((v) => clusterAutoscalerImage(v));
  return `${standard.join(", ")} (standard support)${extended.length > 0 ? `, or ${extended.join(", ")} with eks.extendedSupport: true` : ""}`;
}

/**
 * The catalogue's verdict on a stack's EKS settings on a day:
 * - a Kubernetes version not in the catalogue, or past extended support (EKS creates no cluster on
 *   it and upgrades existing ones), is refused;
 * - a version past standard support is refused unless `eks.extendedSupport` opts in (the cluster
 *   then keeps its version under the EXTENDED upgrade policy and is billed extended support);
 * - within SUPPORT_WARN_DAYS of the next end date the plan warns;
 * - a KEDA chart version not in the catalogue is refused, naming the listed ones; a Kubernetes
 *   version outside the KEDA release's tested range is a warning.
 */
export function eksCatalogChecks(s: EksCatalogInput, today: Date): EksCatalogResult {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const key = "eks.kubernetesVersion";
  const entry = eksVersion(s.kubernetesVersion);
  let status: VersionStatus | undefined;
  if (!entry) {
    problems.push({
      key,
      value: s.kubernetesVersion,
      message: `is not in catalog/eks-versions.ts (the EKS release calendar, ${EKS_VERSIONS_SOURCE}); allowed on ${utcDay(today)}: ${allowedVersions(today)}`,
    });
  } else {
    status = versionStatus(entry, today);
    if (status === "ended") {
      problems.push({
        key,
        value: s.kubernetesVersion,
        message: `reached the end of EKS extended support on ${entry.endOfExtendedSupport}: EKS creates no cluster on it and upgrades existing ones; allowed on ${utcDay(today)}: ${allowedVersions(today)}`,
      });
    } else if (status === "extended" && !s.extendedSupport) {
      problems.push({
        key,
        value: s.kubernetesVersion,
        message: `left EKS standard support on ${entry.endOfStandardSupport}: a cluster on it is billed extended support (the higher cluster-hour price) until ${entry.endOfExtendedSupport}; choose ${versionsIn("standard", today).join(" or ")}, or set eks.extendedSupport: true to pay for extended support`,
      });
    } else if (!clusterAutoscalerImage(s.kubernetesVersion)) {
      problems.push({
        key,
        value: s.kubernetesVersion,
        message: `has no Cluster Autoscaler image of the same minor in catalog/images.ts; allowed on ${utcDay(today)}: ${allowedVersions(today)}`,
      });
    }
  }

  const keda = kedaChart(s.kedaVersion);
  if (!keda) {
    problems.push({
      key: "eks.kedaVersion",
      value: s.kedaVersion,
      message: `is not a KEDA chart version in catalog/charts.ts, so it cannot be shown to exist in ${KEDA_CHARTS[0]!.repo} (a Helm Release with an unlisted version fails pulumi preview); allowed: ${KEDA_CHARTS.map((c) => c.version).join(", ")} (default ${DEFAULT_KEDA_CHART_VERSION})`,
    });
  }
  if (problems.length > 0 || !entry || !status || status === "ended" || !keda) return { problems, warnings };

  if (status === "standard") {
    const days = daysUntil(entry.endOfStandardSupport, today);
    if (days <= SUPPORT_WARN_DAYS) {
      warnings.push(
        `EKS Kubernetes ${entry.version} leaves standard support on ${entry.endOfStandardSupport} (in ${days} days): ${
          s.extendedSupport
            ? "the cluster then enters extended support and is billed the higher cluster-hour price"
            : "EKS then upgrades the control plane (upgrade policy STANDARD)"
        }; plan the upgrade to a newer eks.kubernetesVersion`,
      );
    }
    if (s.extendedSupport) {
      warnings.push(
        `eks.extendedSupport: the cluster stays on Kubernetes ${entry.version} after ${entry.endOfStandardSupport} and is billed extended support from then until ${entry.endOfExtendedSupport}`,
      );
    }
  } else {
    const days = daysUntil(entry.endOfExtendedSupport, today);
    warnings.push(
      `EKS Kubernetes ${entry.version} is in extended support since ${entry.endOfStandardSupport} (eks.extendedSupport): billed the extended-support cluster-hour price until ${entry.endOfExtendedSupport}${
        days <= SUPPORT_WARN_DAYS ? `, which is in ${days} days: EKS then upgrades the control plane` : ""
      }; upgrade to ${versionsIn("standard", today)[0] ?? "a version in standard support"} to stop paying for it`,
    );
  }
  if (keda.testedKubernetes && !keda.testedKubernetes.includes(entry.version)) {
    warnings.push(
      `KEDA ${keda.version} is tested on Kubernetes ${keda.testedKubernetes.join(", ")}, not ${entry.version} (${KEDA_COMPATIBILITY_SOURCE}); choose a listed eks.kedaVersion tested on it`,
    );
  }
  return { problems, warnings, support: { supportType: s.extendedSupport ? "EXTENDED" : "STANDARD", status } };
}
