/**
 * The package's own metadata, read at run time so the same code answers `--version` from the ts-node
 * sources (`bin/`) and from the build (`dist/bin/`), which sit at different depths below package.json.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";

/** The npm package this command ships in. */
export const PACKAGE_NAME = "pulumi-klaviyo-coupons";

/**
 * Finds this package's version by walking up from `startDir` to the first `package.json` whose name is
 * {@link PACKAGE_NAME}; other package.json files on the way (unreadable, or of another package) are
 * passed over.
 *
 * @param startDir - Where to start; default this module's directory.
 * @returns The `version` field.
 * @throws Error when no such package.json exists above `startDir`.
 */
export function packageVersion(startDir: string = __dirname): string {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const version = versionIn(path.join(dir, "package.json"));
    if (version !== undefined) return version;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the package.json of ${PACKAGE_NAME} above ${startDir}`);
}

function versionIn(file: string): string | undefined {
  let pkg: unknown;
  try {
    pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  const { name, version } = (pkg ?? {}) as { name?: unknown; version?: unknown };
  return name === PACKAGE_NAME && typeof version === "string" ? version : undefined;
}
