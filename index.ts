import * as pulumi from "@pulumi/pulumi";
import { loadPulumiConfig, orRunError } from "./config/pulumi";
import { isRealUpdate, refusePlaceholders } from "./config/update-guard";
import { plan } from "./sizing/plan";
import { buildStack } from "./stack";

// Read and validate everything before the first resource: a bad config creates nothing.
const config = loadPulumiConfig();
const stackPlan = orRunError(() => plan(config));
// Example values pass validation but would fail a real deployment part-way: a real update refuses
// them before the first resource; previews (PR checks of the shipped stacks) and the offline plan
// (mocks) only warn.
if (isRealUpdate()) orRunError(() => refusePlaceholders(stackPlan));
// pulumi.log.warn resolves once the engine has the line; the runtime keeps the program alive until
// then and the promise never rejects (an undeliverable line goes to stderr), so nothing awaits it.
for (const warning of stackPlan.warnings) void pulumi.log.warn(warning);

export = buildStack(stackPlan, pulumi.getStack());
