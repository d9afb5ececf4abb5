/**
 * A user's project outside the repository: the package as npm installs it (a tarball from `npm pack`, or
 * a clone), next to `@pulumi/pulumi` and the `tsconfig.json` that `pulumi new typescript` writes.
 *
 * @packageDocumentation
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/projectSetup";

/** The compiler options of `pulumi new typescript` (pulumi/templates), which users keep. */
export const PULUMI_NEW_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

/** Output of a finished command. */
export interface Ran {
  stdout: string;
  stderr: string;
}

/** Runs a command; rejects with its output when it exits non-zero. */
export function run(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Ran> {
  return new Promise((resolve, reject) =>
    execFile(
      file,
      args,
      { ...options, maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${file} ${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    ),
  );
}

/** `npm <args>` with the npm that runs this process's tools (the machine's), quietly. */
export function npm(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Ran> {
  return run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, env });
}

/** The project's own `tsc` (as `npx tsc` there would run it) on the project in `dir`. */
export function tsc(project: string, dir: string, flags: string[] = []): Promise<Ran> {
  const compiler = require.resolve("typescript/bin/tsc", { paths: [project] });
  return run(process.execPath, [compiler, ...flags, "-p", dir], { cwd: dir });
}

/** The exact version of a package in the repository's lockfile, so the consumer installs what CI tested. */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in package-lock.json`);
  return version;
}

/** A new empty directory under the system's temp folder (not inside the repository). */
export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/**
 * Packs the built package as `npm publish` would (the `files` list, no scripts: `npm test` built
 * `dist/` already) and returns the tarball's path and the packed file names.
 */
export async function packPackage(destination: string): Promise<{ tarball: string; files: string[] }> {
  const { stdout } = await npm(
    ["pack", "--ignore-scripts", "--json", "--pack-destination", destination],
    REPO_ROOT,
  );
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: path.join(destination, packed.filename), files: packed.files.map((f) => f.path) };
}

/** Writes a `pulumi new typescript` project (Pulumi.yaml, package.json, tsconfig.json) into `dir`. */
export function writePulumiProject(dir: string, name: string, program: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\ndescription: ${name}\n`);
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(PULUMI_NEW_TSCONFIG, null, 4));
  fs.writeFileSync(path.join(dir, "index.ts"), program);
}

/** A fenced block of a Markdown file. */
export interface CodeBlock {
  /** The file it is in, relative to the repository. */
  file: string;
  /** The heading above it. */
  heading: string;
  lang: string;
  code: string;
}

/** Every fenced block of `file` (relative to the repository), with the heading it sits under. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = fs.readFileSync(path.join(REPO_ROOT, file), "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const head = /^#+\s+(.*)$/.exec(lines[i]);
    if (head) heading = head[1];
    const fence = /^```(\w*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    blocks.push({ file, heading, lang: fence[1], code: lines.slice(i + 1, end).join("\n") + "\n" });
    i = end;
  }
  return blocks;
}

/**
 * Copies the repository as a fresh clone of this checkout would hold it: every file git tracks or would
 * track (untracked, not ignored), as it is in the working tree, so uncommitted work is tested too.
 */
export async function cloneWorkingTree(dest: string): Promise<void> {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO_ROOT,
  });
  for (const file of stdout.split("\0").filter(Boolean)) {
    const from = path.join(REPO_ROOT, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet in the index
    fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, file));
    fs.chmodSync(path.join(dest, file), fs.statSync(from).mode);
  }
}
