/** A stack export or pack config the offline check cannot use; the CLI exits 2 with this message. */
export class PolicyInputError extends Error {
  override readonly name = "PolicyInputError";
  constructor(
    /** Which input is wrong: the stack export document or the pack config. */
    readonly input: "export" | "config",
    message: string,
  ) {
    super(message);
  }
}
