/**
 * Writes `provider/client/wireTypes.ts`: the types of `WireTypes` in `provider/client/schemas.ts`,
 * expanded by the TypeScript compiler into plain object types, so that the package's public `.d.ts`
 * never mentions zod (whose declarations need `esModuleInterop` in users' projects).
 *
 *   npm run generate          writes the file
 *   npm run generate -- --check  exits 1 when the file differs from what would be written
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..");
const SCHEMAS_FILE = path.join(ROOT, "provider", "client", "schemas.ts");
export const WIRE_TYPES_FILE = path.join(ROOT, "provider", "client", "wireTypes.ts");

const HEADER = `/**
 * The Klaviyo documents the client returns, as plain TypeScript types.
 *
 * Generated from \`WireTypes\` in \`schemas.ts\` by \`npm run generate\`: do not edit. A test fails when
 * this file is stale.
 *
 * @packageDocumentation
 */
`;

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
}

function jsDocOf(member: ts.PropertySignature, source: ts.SourceFile): string {
  const ranges = ts.getLeadingCommentRanges(source.text, member.pos) ?? [];
  return ranges.map((r) => source.text.slice(r.pos, r.end)).join("\n");
}

/** The text `wireTypes.ts` should hold. */
export async function generateWireTypes(): Promise<string> {
  const program = ts.createProgram([SCHEMAS_FILE], compilerOptions());
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(SCHEMAS_FILE);
  const wireTypes = source?.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "WireTypes",
  );
  if (!source || !wireTypes) throw new Error(`${SCHEMAS_FILE} declares no interface WireTypes`);
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias;
  const parts = [HEADER];
  for (const member of wireTypes.members) {
    if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
    const type = checker.typeToString(checker.getTypeAtLocation(member), undefined, flags);
    if (/\bZod|\$strip|\bz\./.test(type)) throw new Error(`${member.name.text} still mentions zod: ${type}`);
    parts.push(`${jsDocOf(member, source)}\nexport type ${member.name.text} = ${type};\n`);
  }
  const options = (await prettier.resolveConfig(WIRE_TYPES_FILE)) ?? {};
  return prettier.format(parts.join("\n"), { ...options, filepath: WIRE_TYPES_FILE });
}

async function main(): Promise<void> {
  const text = await generateWireTypes();
  const current = fs.existsSync(WIRE_TYPES_FILE) ? fs.readFileSync(WIRE_TYPES_FILE, "utf8") : "";
  if (process.argv.includes("--check")) {
    if (current !== text) {
      console.error(`${path.relative(ROOT, WIRE_TYPES_FILE)} is stale: run npm run generate`);
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(WIRE_TYPES_FILE, text);
  console.log(`wrote ${path.relative(ROOT, WIRE_TYPES_FILE)}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
