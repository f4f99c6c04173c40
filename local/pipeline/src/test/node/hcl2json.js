// Every .tf file under the directory given, parsed by HashiCorp's HCL parser (@cdktf/hcl2json, Go's hcl compiled to
// WebAssembly): prints {"relative/path.tf": <the file as JSON>, ...}. A file that does not parse fails the run.
'use strict';
const fs = require('fs');
const path = require('path');
const { parse } = require('@cdktf/hcl2json');

function tfFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : tfFiles(file);
    return entry.name.endsWith('.tf') ? [file] : [];
  });
}

(async () => {
  const root = process.argv[2];
  const parsed = {};
  for (const file of tfFiles(root).sort()) {
    const name = path.relative(root, file);
    try {
      parsed[name] = await parse(name, fs.readFileSync(file, 'utf8'));
    } catch (error) {
      console.error(`${name}: ${error.message || error}`);
      process.exit(1);
    }
  }
  process.stdout.write(JSON.stringify(parsed));
})();
