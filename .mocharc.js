"use strict";
// Tests run from TypeScript source through ts-node, the same compiler path Pulumi uses for programs,
// so serialization tests see what users' programs produce.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = "tsconfig.json";

const fs = require("fs");

// Mocha adds the config's `spec` to the files named on the command line, so `npx mocha tests/x.spec.ts`
// would run the whole suite. Every spec only when none is named.
const named = process.argv
  .slice(2)
  .some((arg) => /\.ts$/.test(arg) || (!arg.startsWith("-") && fs.existsSync(arg)));

module.exports = {
  require: ["ts-node/register"],
  ...(named ? {} : { spec: ["tests/**/*.spec.ts"] }),
  extension: ["ts"],
  timeout: 60000,
  exit: true,
};
