/**
 * Validates response bodies against Klaviyo's OpenAPI spec slice for coupons. The OpenAPI 3.0 schemas
 * are converted to JSON Schema for ajv: `nullable` becomes a `null` type/enum member, component
 * `$ref`s point into one shared definitions document, and examples are dropped.
 */
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { existsSync, readFileSync } from "fs";
import * as path from "path";

/**
 * Klaviyo's reference folder. Our machines and CI check the repository out with `shared/` beside it; a
 * user's clone has no such folder, and the spec files are never copied into the repository.
 */
const REFERENCE_DIR = path.resolve(__dirname, "../../shared/reference");
const SPEC_PATH = path.join(REFERENCE_DIR, "klaviyo-openapi", "coupons.json");

/**
 * Why responses are not checked against the spec, or `undefined` when they are. Only a missing reference
 * folder skips the checks: where the folder exists, a spec that cannot be read fails the tests.
 */
export function specSkipReason(referenceDir: string = REFERENCE_DIR): string | undefined {
  if (existsSync(referenceDir)) return undefined;
  return `${path.relative(process.cwd(), referenceDir) || referenceDir} is absent, so responses are not checked against Klaviyo's OpenAPI spec`;
}

type Schema = Record<string, unknown>;

interface Operation {
  operationId: string;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, Operation["responses"][string]> };
}

/** Options of {@link toJsonSchema}. */
export interface ConversionOptions {
  /** `$id` of the document holding the converted component schemas. */
  definitionsId: string;
  /**
   * Drop `required` inside `attributes` objects: a sparse fieldset (`fields[coupon]=description`)
   * legitimately omits attributes the full schema requires (such as `external_id`).
   */
  sparse?: boolean;
}

/** Converts an OpenAPI 3.0 schema (recursively) into a JSON Schema ajv understands. */
function toJsonSchema(schema: unknown, options: ConversionOptions, inAttributes = false): unknown {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, options));
  if (schema === null || typeof schema !== "object") return schema;
  const source = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === "nullable" || key === "example" || key === "examples") continue;
    if (key === "required" && inAttributes && options.sparse) continue;
    if (key === "$ref" && typeof value === "string") {
      out.$ref = value.replace("#/components/schemas/", `${options.definitionsId}#/definitions/`);
    } else if (key === "properties" && value && typeof value === "object") {
      const properties: Schema = {};
      for (const [name, property] of Object.entries(value)) {
        properties[name] = toJsonSchema(property, options, name === "attributes");
      }
      out.properties = properties;
    } else {
      out[key] = toJsonSchema(value, options);
    }
  }
  if (source.nullable !== true) return out;
  // `$ref`/`allOf` siblings cannot simply gain a null type, so wrap them.
  if (out.$ref !== undefined || out.allOf !== undefined || out.type === undefined) {
    return { anyOf: [{ type: "null" }, out] };
  }
  out.type = Array.isArray(out.type) ? [...out.type, "null"] : [out.type, "null"];
  if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  return out;
}

/** Validates responses of the coupon operations against the spec. */
class SpecValidator {
  private readonly ajv: Ajv;
  private readonly operations = new Map<string, Operation>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly spec: Spec;

  constructor(specPath: string = SPEC_PATH) {
    this.spec = JSON.parse(readFileSync(specPath, "utf8")) as Spec;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const sparse of [false, true]) {
      const options = conversion(sparse);
      const definitions: Schema = {};
      for (const [name, schema] of Object.entries(this.spec.components.schemas)) {
        definitions[name] = toJsonSchema(schema, options);
      }
      this.ajv.addSchema({ $id: options.definitionsId, definitions });
    }
    for (const methods of Object.values(this.spec.paths)) {
      for (const operation of Object.values(methods)) {
        if (operation && typeof operation === "object" && operation.operationId) {
          this.operations.set(operation.operationId, operation);
        }
      }
    }
  }

  /** The operationIds the spec declares. */
  operationIds(): string[] {
    return [...this.operations.keys()];
  }

  /**
   * Validates one response; returns human-readable problems (empty when valid). 4xx/5xx statuses are
   * checked against the declared `4XX`/`5XX` error schemas; bodiless responses must have no body.
   * Pass `sparse` when the request used sparse fieldsets.
   */
  validateResponse(operationId: string, status: number, body: unknown, sparse = false): string[] {
    let operation = this.operations.get(operationId);
    // Requests that matched no operation (404/405) still owe the spec's generic error shape.
    if (!operation && status >= 400) operation = this.genericErrors();
    if (!operation) return [`unknown operationId '${operationId}'`];
    const key = this.responseKey(operation, status);
    if (key === undefined) return [`status ${status} is not declared for ${operationId}`];
    let response = operation.responses[key];
    if (response.$ref) response = this.spec.components.responses[response.$ref.split("/").pop() as string];
    const schema = response.content?.["application/vnd.api+json"]?.schema;
    if (!schema) {
      return body === undefined || body === "" ? [] : [`${operationId} ${status} must not have a body`];
    }
    const cacheKey = `${operationId} ${key} ${sparse}`;
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema, conversion(sparse)) as Schema);
      this.compiled.set(cacheKey, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) =>
        `${error.instancePath || "/"} ${error.message ?? "is invalid"} ${JSON.stringify(error.params)}`,
    );
  }

  private genericErrors(): Operation {
    return {
      operationId: "unknown",
      responses: {
        "4XX": { $ref: "#/components/responses/ClientError" },
        "5XX": { $ref: "#/components/responses/ServerError" },
      },
    };
  }

  private responseKey(operation: Operation, status: number): string | undefined {
    const exact = String(status);
    if (operation.responses[exact]) return exact;
    const range = `${exact[0]}XX`;
    if (operation.responses[range]) return range;
    return operation.responses.default ? "default" : undefined;
  }
}

function conversion(sparse: boolean): ConversionOptions {
  return {
    definitionsId: sparse ? "klaviyo-coupons-components-sparse" : "klaviyo-coupons-components",
    sparse,
  };
}

let shared: SpecValidator | undefined;

/** A lazily created validator shared by all tests (the spec is parsed once). */
export function specValidator(): SpecValidator {
  shared ??= new SpecValidator();
  return shared;
}

/**
 * Validates one response against the spec; returns the problems (empty when valid). `sparse` relaxes
 * required attributes for requests that used sparse fieldsets.
 */
export function validateResponse(
  operationId: string,
  status: number,
  body: unknown,
  sparse = false,
): string[] {
  if (specSkipReason() !== undefined) return [];
  return specValidator().validateResponse(operationId, status, body, sparse);
}
