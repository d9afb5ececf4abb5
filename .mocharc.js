"use strict";
// Tests run from TypeScript source through ts-node, the same compiler path Pulumi
// uses for programs, so serialization tests see what users' programs produce.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = "tsconfig.json";

module.exports = {
  require: ["ts-node/register"],
  spec: ["tests/**/*.spec.ts"],
  extension: ["ts"],
  timeout: 60000,
  exit: true,
};
