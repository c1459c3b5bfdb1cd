// Drops the linker's relocation sections (`linking`, `reloc.*`) from a WASM file, in place.
// The islands are built with the flags of the app's split build, `--emit-relocs` among them,
// so that the two share their compiled dependencies; wasm-split uses and removes those
// sections, but nothing does for the islands, and they weighed more than the code.
//   node islands/strip-relocations.mjs FILE.wasm
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
const bytes = readFileSync(file);

function leb128(at) {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

const kept = [bytes.subarray(0, 8)]; // magic number and version
for (let at = 8; at < bytes.length; ) {
  const start = at;
  const id = bytes[at++];
  const [size, body] = leb128(at);
  at = body + size;
  if (id === 0) {
    const [nameLength, name] = leb128(body);
    const sectionName = bytes.subarray(name, name + nameLength).toString();
    if (sectionName === "linking" || sectionName.startsWith("reloc.")) continue;
  }
  kept.push(bytes.subarray(start, at));
}
writeFileSync(file, Buffer.concat(kept));
