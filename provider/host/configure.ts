/**
 * The `configure` handler of both resources, run once per provider-host process before any other
 * handler: applies the settings, ties the host's lifetime to the CLI's (`engineWatch.ts`) and puts the
 * host's heap into V8's optimize-for-size mode (`memoryMode.ts`).
 */
import { watchEngine } from "./engineWatch";
import { optimizeHostForSize } from "./memoryMode";
import { configure as applySettings, type ConfigSource } from "../runtime";

/**
 * Applies stack config (`klaviyo:apiKey`, `klaviyo:baseUrl`, `klaviyo:revision`), starts the engine watch
 * and, in the dynamic-provider host, sets V8's optimize-for-size mode.
 */
export function configure(req: { config: ConfigSource }): void {
  applySettings(req);
  watchEngine();
  optimizeHostForSize();
}
