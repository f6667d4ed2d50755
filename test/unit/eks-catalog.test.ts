import { afterEach, describe, expect, it, vi } from "vitest";
import { CLUSTER_AUTOSCALER_CHART, EXTERNAL_SECRETS_CHART, KEDA_CHARTS, LOAD_BALANCER_CONTROLLER_CHART } from "../../catalog/charts";
import { EKS_VERSIONS, EKS_VERSIONS_VERIFIED } from "../../catalog/eks-versions";
import { CLUSTER_AUTOSCALER_IMAGES } from "../../catalog/images";
import { ConfigError, loadStackFile, parseStackConfig, rawFromStackFile } from "../../config";
import { estimateEks } from "../../cost/eks";
import { DEFAULT_KEDA_VERSION, DEFAULT_KUBERNETES_VERSION } from "../../config/eks-settings";
import { SUPPORT_WARN_DAYS, eksCatalogChecks, eksVersion, newestInStandardSupport, versionStatus, versionsIn } from "../../sizing/eks-catalog";
import { plan } from "../../sizing/plan";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const TODAY = day("2026-12-02");
const check = (kubernetesVersion: string, extra: { extendedSupport?: boolean; kedaVersion?: string } = {}, today = TODAY) =>
  eksCatalogChecks({ kubernetesVersion, extendedSupport: extra.extendedSupport ?? false, kedaVersion: extra.kedaVersion ?? DEFAULT_KEDA_VERSION }, today);

describe("dated catalogues (catalog/)", () => {
  const ISO = /^\d{4}-\d{2}-\d{2}$/;

  it("gives every EKS version its dates, a verification date and the calendar's URL, in order", () => {
    for (const v of EKS_VERSIONS) {
      for (const d of [v.upstreamRelease, v.eksRelease, v.endOfStandardSupport, v.endOfExtendedSupport, v.verified]) expect(d).toMatch(ISO);
      expect(v.source).toBe("https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html");
      expect(v.upstreamRelease < v.eksRelease && v.eksRelease < v.endOfStandardSupport && v.endOfStandardSupport < v.endOfExtendedSupport).toBe(true);
      // 12 months of extended support after the end of standard support.
      expect(Number(v.endOfExtendedSupport.slice(0, 4)) - Number(v.endOfStandardSupport.slice(0, 4))).toBe(1);
      expect(v.endOfExtendedSupport.slice(5)).toBe(v.endOfStandardSupport.slice(5));
    }
    expect(EKS_VERSIONS.map((v) => v.version)).toEqual(["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"]);
    expect(eksVersion("1.33")?.endOfStandardSupport).toBe("2026-07-29");
    expect(eksVersion("1.34")?.endOfStandardSupport).toBe("2026-12-02");
  });

  it("gives every chart and image a version, a verification date and a source", () => {
    for (const c of [...KEDA_CHARTS, EXTERNAL_SECRETS_CHART, CLUSTER_AUTOSCALER_CHART, LOAD_BALANCER_CONTROLLER_CHART]) {
      expect(c.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(c.verified).toMatch(ISO);
      expect(c.repo).toMatch(/^https:\/\//);
      expect(c.source).toMatch(/https:\/\//);
    }
    for (const img of Object.values(CLUSTER_AUTOSCALER_IMAGES)) {
      expect(img.verified).toMatch(ISO);
      expect(img.source).toMatch(/^https:\/\/github.com\/kubernetes\/autoscaler\/releases\/tag\/cluster-autoscaler-/);
    }
  });

  it("lists KEDA 2.21.0, which exists, and not 2.21.1, which cannot be shown to", () => {
    expect(KEDA_CHARTS.map((c) => c.version)).toEqual(["2.20.2", "2.21.0"]);
    expect(DEFAULT_KEDA_VERSION).toBe("2.21.0");
  });

  it("has a Cluster Autoscaler image of the same minor for every version EKS still serves", () => {
    for (const v of [...versionsIn("standard", TODAY), ...versionsIn("extended", TODAY)]) {
      expect(CLUSTER_AUTOSCALER_IMAGES[v]?.tag, v).toMatch(new RegExp(`^v${v.replace(".", "\\.")}\\.\\d+$`));
    }
  });

  it("defaults to the newest version in standard support when the catalogue was verified", () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe(newestInStandardSupport(day(EKS_VERSIONS_VERIFIED)));
    expect(DEFAULT_KUBERNETES_VERSION).toBe("1.36");
    expect(check(DEFAULT_KUBERNETES_VERSION).problems).toEqual([]);
  });
});

describe("version support status", () => {
  it("moves 1.34 to extended support at the start of 2026-12-02 (UTC), the day EKS starts billing it", () => {
    const v = eksVersion("1.34")!;
    expect(versionStatus(v, new Date("2026-12-01T23:59:59Z"))).toBe("standard");
    expect(versionStatus(v, new Date("2026-12-02T00:00:00Z"))).toBe("extended");
    expect(versionStatus(v, new Date("2027-12-02T00:00:00Z"))).toBe("ended");
  });

  it("on 2026-12-02: 1.35 and 1.36 in standard support, 1.32 to 1.34 in extended support, 1.29 to 1.31 past it", () => {
    expect(versionsIn("standard", TODAY)).toEqual(["1.36", "1.35"]);
    expect(versionsIn("extended", TODAY)).toEqual(["1.34", "1.33", "1.32"]);
    expect(versionsIn("ended", TODAY)).toEqual(["1.31", "1.30", "1.29"]);
  });
});

describe("eksCatalogChecks", () => {
  it("accepts a version in standard support with the KEDA release tested on it, with no warning", () => {
    expect(check("1.36")).toEqual({ problems: [], warnings: [], support: { supportType: "STANDARD", status: "standard" } });
  });

  it("refuses a version past standard support without eks.extendedSupport, naming the versions allowed", () => {
    const r = check("1.34");
    expect(r.support).toBeUndefined();
    expect(r.problems).toEqual([{ key: "eks.kubernetesVersion", value: "1.34", message: expect.stringContaining("left EKS standard support on 2026-12-02") }]);
    expect(r.problems[0]!.message).toContain("choose 1.36 or 1.35, or set eks.extendedSupport: true");
    expect(check("1.33").problems[0]!.message).toContain("on 2026-07-29");
  });

  it("accepts it with eks.extendedSupport: the EXTENDED upgrade policy, billed extended support, and a warning", () => {
    const r = check("1.33", { extendedSupport: true });
    expect(r.problems).toEqual([]);
    expect(r.support).toEqual({ supportType: "EXTENDED", status: "extended" });
    expect(r.warnings.join("\n")).toMatch(/in extended support since 2026-07-29 .* until 2027-07-29/);
  });

  it("refuses a version past extended support even with the opt-in", () => {
    const [p] = check("1.31", { extendedSupport: true }).problems;
    expect(p).toMatchObject({ key: "eks.kubernetesVersion", message: expect.stringContaining("end of EKS extended support on 2026-11-26") });
    expect(p!.message).toContain("allowed on 2026-12-02: 1.36, 1.35 (standard support), or 1.34, 1.33, 1.32 with eks.extendedSupport: true");
  });

  it("refuses a version the catalogue does not list", () => {
    for (const v of ["1.37", "1.28"]) {
      expect(check(v).problems).toEqual([{ key: "eks.kubernetesVersion", value: v, message: expect.stringContaining("is not in catalog/eks-versions.ts") }]);
    }
  });

  it("refuses a KEDA chart version not in the catalogue, naming the versions allowed", () => {
    expect(check("1.36", { kedaVersion: "2.21.1" }).problems).toEqual([
      {
        key: "eks.kedaVersion",
        value: "2.21.1",
        message: expect.stringContaining("allowed: 2.20.2, 2.21.0 (default 2.21.0)"),
      },
    ]);
  });

  it(`warns ${SUPPORT_WARN_DAYS} days before the end of standard support, not earlier`, () => {
    expect(check("1.35", {}, day("2027-01-25")).warnings).toEqual([]);
    const [w] = check("1.35", {}, day("2027-01-26")).warnings;
    expect(w).toMatch(/leaves standard support on 2027-03-27 \(in 60 days\).*upgrades the control plane/);
  });

  it("warns before the end of extended support too", () => {
    const w = check("1.34", { extendedSupport: true }, day("2027-10-10")).warnings.join("\n");
    expect(w).toMatch(/until 2027-12-02, which is in 53 days/);
  });

  it("warns when the KEDA release is not tested on the cluster's version", () => {
    expect(check("1.36", { kedaVersion: "2.20.2" }).warnings).toEqual([
      expect.stringContaining("KEDA 2.20.2 is tested on Kubernetes 1.33, 1.34, 1.35, not 1.36"),
    ]);
  });
});

describe("plan() with the catalogue (today pinned to 2026-12-02)", () => {
  afterEach(() => vi.useRealTimers());
  const pin = () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-02T09:00:00Z"));
  };
  const withEks = (eks: Record<string, unknown>) => {
    const raw = rawFromStackFile("examples/eks-prod.yaml");
    return parseStackConfig({ ...raw, eks: { ...(raw.eks as object), ...eks } }, "test");
  };
  const problemsOf = (f: () => unknown): { key: string }[] => {
    try {
      f();
    } catch (e) {
      if (e instanceof ConfigError) return [...e.problems];
      throw e;
    }
    return [];
  };

  it("plans the shipped example on the default version with standard support and the catalogue's autoscaler image", () => {
    pin();
    const p = plan(loadStackFile("examples/eks-prod.yaml"));
    expect(p.eks).toMatchObject({ kubernetesVersion: "1.36", support: { supportType: "STANDARD", status: "standard" } });
    expect(p.eks!.autoscaler.image).toEqual({ repository: "registry.k8s.io/autoscaling/cluster-autoscaler", tag: "v1.36.1" });
    expect(p.warnings.filter((w) => /EKS|KEDA/.test(w))).toEqual([]);
  });

  it("refuses 1.34 on the day it leaves standard support, and a KEDA version the index lacks, before anything registers", () => {
    pin();
    expect(problemsOf(() => plan(withEks({ kubernetesVersion: "1.34", kedaVersion: "2.21.1" }))).map((p) => p.key)).toEqual([
      "eks.kubernetesVersion",
      "eks.kedaVersion",
    ]);
  });

  it("prices an opted-in extended-support cluster at 0.60 USD an hour, and keeps it on its version (EXTENDED)", () => {
    pin();
    const p = plan(withEks({ kubernetesVersion: "1.33", extendedSupport: true }));
    expect(p.eks!.support).toEqual({ supportType: "EXTENDED", status: "extended" });
    expect(p.eks!.autoscaler.image.tag).toBe("v1.33.6");
    const control = estimateEks(p).lines.find((l) => l.component === "control plane")!;
    expect(control).toMatchObject({ item: "EKS cluster (Kubernetes 1.33 in extended support)", quantity: 1, monthly: 438 });
    expect(p.warnings.some((w) => w.includes("extended support since 2026-07-29"))).toBe(true);
  });

  it("bills standard support while an opted-in version is still in it", () => {
    pin();
    const p = plan(withEks({ extendedSupport: true }));
    expect(p.eks!.support).toEqual({ supportType: "EXTENDED", status: "standard" });
    expect(estimateEks(p).lines.find((l) => l.component === "control plane")!.monthly).toBe(73);
  });
});
