/**
 * The `configure` handler of both resources, run once per provider-host process before any other
 * handler: applies the settings and ties the host's lifetime to the CLI's (`engineWatch.ts`).
 */
import { watchEngine } from "./engineWatch";
import { configure as applySettings, type ConfigSource } from "../runtime";

/** Applies stack config (`klaviyo:apiKey`, `klaviyo:baseUrl`, `klaviyo:revision`) and starts the engine watch. */
export function configure(req: { config: ConfigSource }): void {
  applySettings(req);
  watchEngine();
}
