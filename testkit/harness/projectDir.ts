/**
 * Temporary Pulumi project directories for running the dynamic-provider host the way a user's
 * project would: the host resolves every `require()` in `__provider` from its working directory.
 *
 * @packageDocumentation
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";

/** Root of this repository (the `pulumi-klaviyo-coupons` package), derived from this file's location. */
export const REPO_ROOT: string = path.resolve(__dirname, "..", "..");

/** Project name written to the temporary project's `Pulumi.yaml` unless another one is requested. */
export const DEFAULT_PROJECT = "harness-project";

/** A temporary project directory and the means to remove it. */
export interface ProjectDir {
  /** Absolute path of the project directory; run the host with this as its cwd. */
  dir: string;
  /** Project name written to `Pulumi.yaml`; pass the same name as the host's `project`. */
  project: string;
  /** Removes the directory. Symlinks are removed, never followed, so the repository is untouched. */
  cleanup(): Promise<void>;
}

/** Options for {@link makeProjectDir}. */
export interface ProjectDirOptions {
  /** Pulumi project name. Defaults to {@link DEFAULT_PROJECT}. */
  project?: string;
  /**
   * Extra packages to link into `node_modules`, as package name to absolute directory. By default the
   * project gets `pulumi-klaviyo-coupons` (this repository) and `@pulumi/pulumi` (the SDK the tests use),
   * which is what every user project has installed.
   */
  links?: Record<string, string>;
}

/**
 * Creates a temporary Pulumi project directory under `os.tmpdir()` whose `node_modules` links this
 * repository as `pulumi-klaviyo-coupons`, so `require("pulumi-klaviyo-coupons/internal/...")` inside a
 * serialized provider resolves through the package's `exports` map exactly as in a user's project.
 *
 * `@pulumi/pulumi` is linked too: a serialized provider that captured `pulumi.log` contains
 * `require("@pulumi/pulumi/log/index.js")`, which a real project satisfies from its own dependencies.
 *
 * @example
 * ```ts
 * const project = await makeProjectDir();
 * const host = await startProviderHost({ cwd: project.dir, project: project.project });
 * // ...
 * await host.stop();
 * await project.cleanup();
 * ```
 */
export async function makeProjectDir(options: ProjectDirOptions = {}): Promise<ProjectDir> {
  const project = options.project ?? DEFAULT_PROJECT;
  // realpath: on macOS os.tmpdir() is itself a symlink, and the host's cwd-based resolution should
  // see the same path the tests compute.
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "pulumi-klaviyo-harness-")));
  const links: Record<string, string> = {
    "pulumi-klaviyo-coupons": REPO_ROOT,
    "@pulumi/pulumi": path.dirname(require.resolve("@pulumi/pulumi/package.json")),
    ...options.links,
  };
  try {
    const pkg = {
      name: project,
      version: "0.0.0",
      private: true,
      main: "index.js",
      dependencies: Object.fromEntries(Object.keys(links).map((name) => [name, "*"])),
    };
    await fs.writeFile(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    await fs.writeFile(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
    for (const [name, target] of Object.entries(links)) {
      const linkPath = path.join(dir, "node_modules", ...name.split("/"));
      await fs.mkdir(path.dirname(linkPath), { recursive: true });
      // "junction" keeps this working on Windows without admin rights; other platforms ignore it.
      await fs.symlink(target, linkPath, "junction");
    }
  } catch (err) {
    await removeDir(dir);
    throw err;
  }
  return { dir, project, cleanup: () => removeDir(dir) };
}

async function removeDir(dir: string): Promise<void> {
  // fs.rm unlinks symlinks rather than descending into them, so the linked repository survives.
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
