import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { BATCH_INPUTS, GENERATE_INPUTS } from "../../../provider/batch/inputs";
import { COUPON_INPUTS } from "../../../provider/coupon/check";
import type { InputDeclaration, InputDeclarations } from "../../../provider/inputs";

const ROOT = path.join(__dirname, "..", "..", "..");

/** How the README and the TSDoc write a number: `500,000`, `86,400`, `64`. */
function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** The limits a declaration imposes, each as the README and the TSDoc phrase it. */
function limitPhrases(decl: InputDeclaration): string[] {
  switch (decl.kind) {
    case "integer":
      return [`${count(decl.min)}-${count(decl.max)}`];
    case "string":
      if (decl.minLength !== undefined && decl.maxLength !== undefined)
        return [`${count(decl.minLength)}-${count(decl.maxLength)} characters`];
      if (decl.maxLength !== undefined) return [`at most ${count(decl.maxLength)} characters`];
      if (decl.minLength !== undefined) return [`at least ${count(decl.minLength)} characters`];
      return [];
    case "list":
      return [`at most ${count(decl.maxItems)}`, ...limitPhrases(decl.item)];
    case "choice":
      return decl.values.map((value) => `\`${value}\``);
    default:
      return [];
  }
}

/** What an absent input means, as a README Default cell or a TSDoc phrase writes it. */
function defaultPhrase(decl: InputDeclaration, where: "cell" | "doc"): string | undefined {
  const value = decl.default ?? decl.unsetMeans;
  if (value === undefined) return undefined;
  if (typeof value === "string") return `\`${value}\``;
  if (where === "cell") return typeof value === "number" ? count(value) : `\`${value}\``;
  return `default ${typeof value === "number" ? count(value) : value}`;
}

/** The rows of the first table (the inputs) under a README heading, by input name, as cells. */
function readmeInputRows(heading: string): Map<string, string[]> {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has a section "${heading}"`);
  const lines = readme.slice(start).split("\n");
  const first = lines.findIndex((line) => line.startsWith("| Input"));
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim());
    rows.set(cells[0].replace(/`/g, ""), cells);
  }
  return rows;
}

/** The TSDoc of every entry of a declaration `const` in a source file, by entry name. */
function entryDocs(file: string, constName: string): Map<string, string> {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(path.join(ROOT, file), "utf8"),
    ts.ScriptTarget.ES2020,
    true,
  );
  let literal: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === constName && node.initializer) {
      let init: ts.Expression = node.initializer;
      while (ts.isSatisfiesExpression(init) || ts.isAsExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) literal = init;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  assert.ok(literal, `${file} declares ${constName}`);
  const docs = new Map<string, string>();
  for (const property of literal.properties) {
    const text = ts
      .getJSDocCommentsAndTags(property)
      .filter(ts.isJSDoc)
      .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
      .join(" ");
    docs.set(property.name!.getText(), text.replace(/\s+/g, " "));
  }
  return docs;
}

function assertNames(text: string, phrases: string[], what: string): void {
  for (const phrase of phrases) {
    assert.ok(text.toLowerCase().includes(phrase.toLowerCase()), `${what} should name ${phrase}: ${text}`);
  }
}

/** The README row and the TSDoc of each input agree with its declaration. */
function describeResource(
  name: string,
  decls: InputDeclarations,
  file: string,
  constName: string,
  rowOf: (input: string) => string[],
): void {
  describe(name, () => {
    const docs = entryDocs(file, constName);

    for (const [input, decl] of Object.entries(decls)) {
      it(`${input}: the README row and the TSDoc name its limits, default and whether it is required or replaces`, () => {
        const [, , required, defaultCell, replaces, description] = rowOf(input);
        const row = rowOf(input).join(" | ");
        assertNames(row, limitPhrases(decl), `README row of ${input}`);
        assertNames(docs.get(input) ?? "", limitPhrases(decl), `TSDoc of ${input}`);
        if (decl.required) assert.match(required, /^yes/, `${input} is required`);
        else assert.match(required, /^(no|one of)/, `${input} is optional`);
        assert.match(replaces, decl.replaces ? /^yes/ : /^no/, `${input} replaces: ${replaces}`);
        const cell = defaultPhrase(decl, "cell");
        if (cell) assert.equal(defaultCell, cell, `default of ${input}`);
        const doc = defaultPhrase(decl, "doc");
        if (doc && decl.kind !== "choice") assertNames(docs.get(input) ?? "", [doc], `TSDoc of ${input}`);
        assert.ok(description.length > 0);
      });
    }
  });
}

describe("README reference tables and TSDoc agree with the input declarations", () => {
  const couponRows = readmeInputRows("Reference: `Coupon`");
  const batchRows = readmeInputRows("Reference: `CouponCodeBatch`");
  const row = (rows: Map<string, string[]>, input: string) => {
    const cells = rows.get(input);
    assert.ok(cells, `README has a row for ${input}`);
    return cells;
  };

  it("lists exactly the declared inputs, in the declared order", () => {
    assert.deepEqual([...couponRows.keys()], Object.keys(COUPON_INPUTS));
    assert.deepEqual([...batchRows.keys()], Object.keys(BATCH_INPUTS));
  });

  describeResource("Coupon", COUPON_INPUTS, "provider/coupon/check.ts", "COUPON_INPUTS", (input) =>
    row(couponRows, input),
  );

  // A batch names its coupon by id: couponId's rules are externalId's, which the Coupon's row states.
  describeResource("CouponCodeBatch", BATCH_INPUTS, "provider/batch/inputs.ts", "BATCH_INPUTS", (input) => {
    const cells = row(batchRows, input);
    if (input !== "couponId") return cells;
    return [...cells.slice(0, 5), `${row(couponRows, "externalId")[5]} ${cells[5]}`];
  });

  describe("CouponCodeBatch generate", () => {
    const docs = entryDocs("provider/batch/inputs.ts", "GENERATE_INPUTS");
    for (const [field, decl] of Object.entries(GENERATE_INPUTS)) {
      it(`generate.${field}: the generate row and the field's TSDoc name its limits and default`, () => {
        const text = row(batchRows, "generate").join(" | ");
        assertNames(text, [`\`${field}\``], "README row of generate");
        const meaning = defaultPhrase(decl, "cell");
        const phrases = [...limitPhrases(decl), ...(meaning ? [meaning] : [])];
        assertNames(text, phrases, `README row of generate (${field})`);
        assertNames(docs.get(field) ?? "", phrases, `TSDoc of generate.${field}`);
      });
    }
  });

  it("couponId follows the rules of a coupon's externalId", () => {
    const { required: _r, replaces: _p, ...couponId } = BATCH_INPUTS.couponId;
    const { required: _r2, replaces: _p2, ...externalId } = COUPON_INPUTS.externalId;
    assert.deepEqual(couponId, externalId);
  });
});
