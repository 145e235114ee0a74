// Parses a Mermaid diagram from stdin with mermaid's own parser (mermaid.parse, under jsdom
// because mermaid expects a DOM). Prints "ok" and exits 0 when it parses; prints the parse
// error and exits 1 when it does not. Used by tests/it/graph_export.rs.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let text = '';
for await (const chunk of process.stdin) text += chunk;
try {
  const result = await mermaid.parse(text);
  console.log(`ok ${result.diagramType}`);
} catch (e) {
  console.error(String(e?.message ?? e));
  process.exit(1);
}
