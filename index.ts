import * as pulumi from "@pulumi/pulumi";
import { isProfileConfig } from "./config/profile-schema";
import { loadPulumiConfig, orRunError } from "./config/pulumi";
import { isRealUpdate, refusePlaceholders } from "./config/update-guard";
import { plan } from "./sizing/plan";
import { planProfile } from "./sizing/profile";
import { buildStack } from "./stack";
import { buildProfileStack } from "./stack-profile";

// Read and validate everything before the first resource: a bad config creates nothing.
const config = loadPulumiConfig();
// A workload profile (a service that is not ActivePieces) or ActivePieces itself.
const stackPlan = orRunError(() => (isProfileConfig(config) ? planProfile(config) : plan(config)));
// Example values pass validation but would fail a real deployment part-way: a real update refuses
// them before the first resource; previews (PR checks of the shipped stacks) and the offline plan
// (mocks) only warn; both kinds of plan list them.
if (isRealUpdate()) orRunError(() => refusePlaceholders(stackPlan));
// pulumi.log.warn resolves once the engine has the line; the runtime keeps the program alive until
// then and the promise never rejects (an undeliverable line goes to stderr), so nothing awaits it.
for (const warning of stackPlan.warnings) void pulumi.log.warn(warning);

export = "kind" in stackPlan ? buildProfileStack(stackPlan, pulumi.getStack()) : buildStack(stackPlan, pulumi.getStack());
