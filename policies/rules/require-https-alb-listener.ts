import { resourceRule } from "../lib/define";
import { objects, optList, optObj, optStr } from "../lib/values";

const TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];

/** Logins, webhooks and API keys cross the load balancer; plain HTTP is fine only as a redirect to HTTPS. */
export const requireHttpsAlbListener = resourceRule({
  name: "require-https-alb-listener",
  description: "Application Load Balancer listeners should serve HTTPS, or only redirect HTTP to HTTPS.",
  enforcementLevel: "advisory",
  remediationSteps: "Serve HTTPS with an ACM certificate on port 443 and make the port 80 listener a redirect to HTTPS.",
  appliesTo: (t) => TYPES.includes(t),
  validate: (args, report) => {
    if (optStr(args.props, "protocol") !== "HTTP") return;
    const actions = objects(optList(args.props, "defaultActions"), "defaultActions");
    const redirects =
      actions.length > 0 && actions.every((a) => optStr(a, "type") === "redirect" && optStr(optObj(a, "redirect") ?? {}, "protocol") === "HTTPS");
    if (!redirects) {
      report.violation(
        `Listener "${args.name}" serves plain HTTP on port ${optStr(args.props, "port") ?? "80"}.`,
        "serve HTTPS with an ACM certificate and turn this listener into a redirect to HTTPS (HTTP_301).",
      );
    }
  },
});
