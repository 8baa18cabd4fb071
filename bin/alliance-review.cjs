#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'out', 'cli', 'alliance-review.cjs');
if (!fs.existsSync(entry)) {
  process.stderr.write('alliance-review: not built yet. Run "npm run build:node" in the project folder first.\n');
  process.exit(1);
}
require(entry);
