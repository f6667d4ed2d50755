import { runsApp, runsWorker } from "../lib/activepieces";
import { label, stackRule } from "../lib/define";
import { imageIdentity } from "../lib/images";
import { StackIndex } from "../lib/stack";
import { WORKLOAD_TYPES, workloads } from "../lib/workloads";

/** App and workers exchange jobs and piece code over the queue and websocket; they must run the same release. */
export const requireSameImageAppWorker = stackRule({
  name: "require-same-image-app-worker",
  description: "ActivePieces app and worker containers must run the same image version.",
  enforcementLevel: "mandatory",
  remediationSteps: "Use one image reference (one variable) for the app and the workers.",
  appliesTo: (t) => WORKLOAD_TYPES.includes(t),
  validate: (args, report) => {
    const view = workloads(new StackIndex(args.resources));
    const apps = new Map<string, string>();
    const workers = new Map<string, string>();
    for (const w of view.workloads) {
      for (const c of w.containers) {
        if (!c.image) continue;
        if (runsApp(c)) apps.set(imageIdentity(c.image), `${c.image} (${label(w.resource)})`);
        if (runsWorker(c)) workers.set(imageIdentity(c.image), `${c.image} (${label(w.resource)})`);
      }
    }
    if (apps.size === 0 || workers.size === 0) return;
    const all = new Set([...apps.keys(), ...workers.keys()]);
    if (all.size > 1) {
      const first = view.workloads.find((w) => w.containers.some(runsWorker));
      report.violation(
        `ActivePieces app and workers run different images: app ${[...apps.values()].join(", ")}; workers ${[...workers.values()].join(", ")}.`,
        "give the app and worker task definitions (or pods) the same image tag or digest.",
        first?.resource.urn,
      );
    }
  },
});
