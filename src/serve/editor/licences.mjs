// Writes ../assets/editor.LICENSE.txt from the licences of the packages in
// node_modules (all but the bundler, esbuild, which is not bundled).
// Run after `npm install`: node licences.mjs
import fs from "fs";
import path from "path";

const dirs = [];
for (const d of fs.readdirSync("node_modules")) {
  if (d.startsWith(".")) continue;
  if (d.startsWith("@")) for (const e of fs.readdirSync(path.join("node_modules", d))) dirs.push(path.join("node_modules", d, e));
  else dirs.push(path.join("node_modules", d));
}
const pkgs = [];
for (const dir of dirs) {
  const pj = path.join(dir, "package.json");
  if (!fs.existsSync(pj)) continue;
  const p = JSON.parse(fs.readFileSync(pj, "utf8"));
  if (p.name === "esbuild" || p.name.startsWith("@esbuild/")) continue;
  const lic = fs.readdirSync(dir).find((f) => /^LICEN[CS]E/i.test(f));
  const text = lic ? fs.readFileSync(path.join(dir, lic), "utf8").trim() + "\n" : "";
  pkgs.push({ name: p.name, version: p.version, licence: p.license || "?", text });
}
pkgs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const bar = "=".repeat(72);
let out = "Licences of the packages bundled into editor.js (see BUILD.md).\n";
for (const p of pkgs) out += "\n" + bar + "\n" + p.name + "@" + p.version + " (" + p.licence + ")\n" + bar + "\n" + p.text;
fs.writeFileSync("../assets/editor.LICENSE.txt", out);
