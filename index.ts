import * as pulumi from "@pulumi/pulumi";
import { loadPulumiConfig, orRunError } from "./config/pulumi";
import { plan } from "./sizing/plan";
import { buildStack } from "./stack";

// Read and validate everything before the first resource: a bad config creates nothing.
const config = loadPulumiConfig();
const stackPlan = orRunError(() => plan(config));
for (const warning of stackPlan.warnings) pulumi.log.warn(warning);

export = buildStack(stackPlan, pulumi.getStack());
