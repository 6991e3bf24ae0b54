// Reads file paths (one per line) on stdin; prints one JSON line per file:
// {"path", "comments": [[line, text], ...]} or {"path", "error"}.
const fs = require("fs");
const acorn = require("acorn");
const paths = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
for (const path of paths) {
  const text = fs.readFileSync(path, "utf8").replace(/\r\n/g, "\n");
  let out = null;
  for (const sourceType of ["module", "script"]) {
    const comments = [];
    try {
      acorn.parse(text, {ecmaVersion: "latest", sourceType, locations: true, allowHashBang: true,
        allowReturnOutsideFunction: true, allowImportExportEverywhere: true, allowAwaitOutsideFunction: true,
        onComment: (block, value, start, end, startLoc) => {
          // A "#!" first line is not a comment (acorn reports it as one).
          if (!(start === 0 && text.startsWith("#!"))) comments.push([startLoc.line, block ? 1 : 0, value]);
        }});
      out = {path, comments};
      break;
    } catch (e) { out = {path, error: String(e.message)}; }
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
