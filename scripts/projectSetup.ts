/**
 * Makes the repository runnable as a Pulumi project: `dist/` built and `pulumi-klaviyo-coupons`
 * resolvable from the project directory.
 *
 * The serialized provider shims `require("pulumi-klaviyo-coupons/internal/<module>")` inside Pulumi's
 * provider host, which resolves from the project directory through `node_modules` only (the code is
 * loaded from a string, so the package's self-reference does not apply). A user's project has the
 * package installed; here `node_modules/pulumi-klaviyo-coupons` is a small directory holding a copy of
 * the package's `package.json` and a `dist` link to this repository's `dist/`.
 *
 * Not a link to the repository root: that would put a cycle into `node_modules`
 * (`node_modules/pulumi-klaviyo-coupons/node_modules/...`), and Pulumi's Node.js language host walks
 * the project's directories, following links, to discover plugins.
 *
 * @packageDocumentation
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Root of this repository, derived from this file's location. */
export const REPO_ROOT: string = path.resolve(__dirname, "..");

/** The package name user programs import. */
export const PACKAGE_NAME = "pulumi-klaviyo-coupons";

/** Key in the generated `package.json` that marks the directory as ours (safe to rewrite). */
const LINK_MARKER = "linkedFromRepository";

/** What {@link ensurePackageLink} did. */
export type LinkOutcome = "created" | "present" | "updated" | "installed-package";

/**
 * Makes `<root>/node_modules/pulumi-klaviyo-coupons` resolve to this repository's package, idempotently.
 *
 * A symlink there (for example from `npm link` or an older setup) is replaced; a directory made by
 * this function is refreshed when the root `package.json` changed; any other directory (an installed
 * copy of the package) is left alone, since someone put it there on purpose.
 */
export function ensurePackageLink(root: string = REPO_ROOT): LinkOutcome {
  const dir = path.join(root, "node_modules", PACKAGE_NAME);
  const manifest = linkManifest(root);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(dir);
  } catch {
    existing = undefined;
  }
  if (existing?.isSymbolicLink()) fs.unlinkSync(dir);
  else if (existing && !isOurs(dir)) return "installed-package";
  else if (existing && readText(path.join(dir, "package.json")) === manifest && resolvesTo(dir, root)) {
    return "present";
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), manifest);
  const distLink = path.join(dir, "dist");
  fs.rmSync(distLink, { force: true });
  // Relative target so the link survives moving the checkout; "junction" makes it work on Windows
  // without administrator rights (the type is ignored elsewhere).
  const target = process.platform === "win32" ? path.join(root, "dist") : path.join("..", "..", "dist");
  fs.symlinkSync(target, distLink, "junction");
  return existing && !existing.isSymbolicLink() ? "updated" : "created";
}

/** The generated package.json: the root one's name, version and entry points, plus the marker. */
function linkManifest(root: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Record<string, unknown>;
  // Picked by key: a local named `exports` would shadow the CommonJS `exports` in the compiled code.
  const manifest = {
    name: pkg.name,
    version: pkg.version,
    private: true,
    main: pkg.main,
    types: pkg.types,
    exports: pkg.exports,
    [LINK_MARKER]: true,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function isOurs(dir: string): boolean {
  try {
    return JSON.parse(readText(path.join(dir, "package.json")) ?? "{}")[LINK_MARKER] === true;
  } catch {
    return false;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function resolvesTo(dir: string, root: string): boolean {
  try {
    return fs.realpathSync(path.join(dir, "dist")) === fs.realpathSync(path.join(root, "dist"));
  } catch {
    return false; // missing or dangling
  }
}

/**
 * Files whose absence means the package was never built: every file `package.json` exports (the
 * entry point first), so a new export cannot be forgotten here.
 */
function buildMarkers(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { exports?: unknown };
  const targets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") targets.push(path.posix.normalize(value));
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect(pkg.exports);
  return [...new Set(targets.filter((t) => t.startsWith("dist/") && t.endsWith(".js")))];
}

/**
 * Tells why `dist/` must be (re)built, or returns `undefined` when it is current: a marker file is
 * missing, or a source under `provider/` is newer than `dist/provider/index.js` (so `npm start` runs
 * the code the developer just edited, not an old build).
 */
export function buildNeeded(root: string = REPO_ROOT): string | undefined {
  const markers = buildMarkers(root);
  for (const marker of markers) {
    if (!fs.existsSync(path.join(root, marker))) return `${marker} is missing`;
  }
  const builtAt = fs.statSync(path.join(root, markers[0])).mtimeMs;
  const newer = newestSource(path.join(root, "provider"));
  if (newer && newer.mtimeMs > builtAt)
    return `${path.relative(root, newer.file)} changed since the last build`;
  return undefined;
}

function newestSource(dir: string): { file: string; mtimeMs: number } | undefined {
  let newest: { file: string; mtimeMs: number } | undefined;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    const candidate = entry.isDirectory()
      ? newestSource(file)
      : entry.name.endsWith(".ts")
        ? { file, mtimeMs: fs.statSync(file).mtimeMs }
        : undefined;
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}

/**
 * Builds `dist/` with the package's own build (`tsc -p tsconfig.build.json`) when {@link buildNeeded}
 * says so. Returns the reason it built, or `undefined` when nothing was needed.
 *
 * @throws Error with the compiler's output when the build fails.
 */
export function ensureBuilt(
  root: string = REPO_ROOT,
  log: (line: string) => void = () => undefined,
): string | undefined {
  const reason = buildNeeded(root);
  if (!reason) return undefined;
  log(`Building dist/ (${reason})...`);
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`Building dist/ failed (tsc -p tsconfig.build.json):\n${result.stdout}${result.stderr}`);
  }
  return reason;
}

// `npx ts-node --transpile-only scripts/projectSetup.ts`: prepares the repository for running the
// examples with your own Pulumi CLI (see examples/README.md), without running one.
if (require.main === module) {
  try {
    const built = ensureBuilt(REPO_ROOT, (line) => console.log(line));
    const link = ensurePackageLink(REPO_ROOT);
    console.log(`dist/: ${built ? "built" : "up to date"}; node_modules/${PACKAGE_NAME}: ${link}.`);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  }
}
