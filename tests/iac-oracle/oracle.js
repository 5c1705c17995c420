// Prints @cdktf/hcl2json's view of each file named on the command line as one JSON object
// {path: view | {"error": message}}. The raw JSON text produced by the converter is kept (not
// re-serialised by JavaScript) so numbers stay exactly as HashiCorp's converter wrote them.
const fs = require("fs");
const path = require("path");
const { parse } = require(path.join(__dirname, "node_modules", "@cdktf", "hcl2json"));

const originalParse = JSON.parse;
let lastRaw = null;
JSON.parse = (text, ...rest) => {
  lastRaw = text;
  return originalParse(text, ...rest);
};

(async () => {
  const parts = [];
  for (const file of process.argv.slice(2)) {
    let entry;
    try {
      lastRaw = null;
      await parse(file, fs.readFileSync(file, "utf-8"));
      entry = lastRaw;
    } catch (e) {
      entry = JSON.stringify({ error: String((e && e.message) || e) });
    }
    parts.push(JSON.stringify(file) + ":" + entry);
  }
  // The Go runtime keeps the event loop alive, so exit explicitly, but only once the output
  // is flushed: writes to a pipe are asynchronous and exiting early truncates them.
  process.stdout.write("{" + parts.join(",\n") + "}\n", () => process.exit(0));
})();
