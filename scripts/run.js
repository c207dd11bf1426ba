#!/usr/bin/env node
// Runs a compiled entry point from dist/, resolving the @carnet/* library aliases to their
// compiled output (tsc keeps the aliases as written; Node needs them mapped at run time).
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist');
require('tsconfig-paths').register({ baseUrl: dist, paths: { '@carnet/*': ['libs/*/src'] } });
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run.js <compiled entry point>');
  process.exit(2);
}
process.argv.splice(2, 1);
require(path.resolve(entry));
