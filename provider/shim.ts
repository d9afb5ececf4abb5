/**
 * Loading of the provider implementation from inside serialized provider shims.
 *
 * Pulumi serializes each dynamic provider object into state and rebuilds it in its provider
 * host. Anything a shim captures is frozen into every stack, so shims capture only this tiny
 * function and load the real implementation with `require` at run time, resolved from the
 * Pulumi project directory where `pulumi-klaviyo-coupons` is installed. Old stacks thereby run
 * the installed version of the code, and no library object or credential ends up in state.
 */

/**
 * Loads `pulumi-klaviyo-coupons/internal/<moduleName>` at run time.
 *
 * Throws an error that explains the fix when the package is not installed in the project.
 */
export function loadImplementation(moduleName: string): any {
  const specifier = "pulumi-klaviyo-coupons/internal/" + moduleName;
  try {
    return require(specifier);
  } catch (err) {
    const code = err && (err as { code?: string }).code;
    // Only the first line names the module that is missing; the rest is the require stack, which
    // also names our files when one of our own dependencies is the missing module.
    const first = String(err && (err as Error).message).split("\n")[0];
    // Not installed in the project, or installed in a version that lacks this module.
    const missing =
      (code === "MODULE_NOT_FOUND" &&
        (first.includes(specifier) || first.includes("/" + moduleName + ".js"))) ||
      code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
    if (missing) {
      throw new Error(
        "Cannot load " +
          specifier +
          ": install (or update) pulumi-klaviyo-coupons in the Pulumi project directory" +
          " (npm install pulumi-klaviyo-coupons).",
      );
    }
    throw err;
  }
}

/**
 * Builds the serialized provider object for a resource whose handlers live in
 * `pulumi-klaviyo-coupons/internal/<moduleName>` (exporting configure, check, diff, create, read,
 * update and remove). The object captures only `moduleName` and {@link loadImplementation}.
 */
export function createProviderShim(moduleName: string) {
  return {
    async configure(req: unknown): Promise<void> {
      loadImplementation(moduleName).configure(req);
    },
    async check(olds: any, news: any): Promise<any> {
      return loadImplementation(moduleName).check(olds, news);
    },
    async diff(id: string, olds: any, news: any): Promise<any> {
      return loadImplementation(moduleName).diff(id, olds, news);
    },
    async create(inputs: any): Promise<any> {
      return loadImplementation(moduleName).create(inputs);
    },
    async read(id: string, props: any): Promise<any> {
      return loadImplementation(moduleName).read(id, props);
    },
    async update(id: string, olds: any, news: any): Promise<any> {
      return loadImplementation(moduleName).update(id, olds, news);
    },
    async delete(id: string, props: any): Promise<void> {
      return loadImplementation(moduleName).remove(id, props);
    },
  };
}
