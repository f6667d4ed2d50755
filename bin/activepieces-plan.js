#!/usr/bin/env node
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher */
// The offline plan without npm's banner on stdout, for scripts:
//   npx activepieces-plan --stack prod --json | jq .cost.monthlyTotal
// Same flags, output and exit codes as `npm run -s plan --` (cli/plan.ts), which is TypeScript:
// tsx's CommonJS hook compiles it on the fly.
"use strict";
require("tsx/cjs");
require("../cli/plan.ts").runCli(process.argv.slice(2));
