// Parses each Mermaid file named on the command line with Mermaid's own
// parser (in a jsdom window, no browser) and exits 1 if any fails.
import { JSDOM } from 'jsdom';
import fs from 'node:fs';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(fs.readFileSync(file, 'utf8'));
    console.log(`ok ${file} (${result.diagramType})`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${file}: ${String(e.message).replace(/\n/g, ' | ')}`);
  }
}
process.exit(failed ? 1 : 0);
