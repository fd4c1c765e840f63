// Solidity tooling for the EVM tests, with the pinned npm packages only:
//
//   node solidity.mjs compile OUT.json FILE.sol...
//       Compiles the files with solc-js (optimizer on, 200 runs, solc's
//       default EVM version) and writes {solc, contracts: {Name: {abi,
//       bytecode, deployedBytecode}}, warnings: [..]}. Exit 1 on any error.
//   node solidity.mjs snarkjs-verifier verification_key.json OUT.sol
//       Renders snarkjs' own Groth16 Solidity template (the one `snarkjs zkey
//       export solidityverifier` uses) for a snarkjs verification key: an
//       independent verifier to compare zklc's contracts against.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

function compile(out, files) {
  const solc = require("solc");
  const sources = {};
  for (const f of files) sources[path.basename(f)] = { content: fs.readFileSync(f, "utf8") };
  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const diagnostics = output.errors ?? [];
  const errors = diagnostics.filter((d) => d.severity === "error");
  const warnings = diagnostics.filter((d) => d.severity !== "error").map((d) => d.formattedMessage);
  for (const d of diagnostics) process.stderr.write(d.formattedMessage + "\n");
  if (errors.length > 0) process.exit(1);
  const contracts = {};
  for (const [, byName] of Object.entries(output.contracts)) {
    for (const [name, c] of Object.entries(byName)) {
      contracts[name] = {
        abi: c.abi,
        bytecode: c.evm.bytecode.object,
        deployedBytecode: c.evm.deployedBytecode.object,
      };
    }
  }
  const tmp = `${out}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ solc: solc.version(), contracts, warnings }, null, 1));
  fs.renameSync(tmp, out);
}

function snarkjsVerifier(vkFile, out) {
  const ejs = require("ejs");
  const here = path.dirname(fileURLToPath(import.meta.url));
  const templateFile = path.join(here, "node_modules", "snarkjs", "templates", "verifier_groth16.sol.ejs");
  const vk = JSON.parse(fs.readFileSync(vkFile, "utf8"));
  const source = ejs.render(fs.readFileSync(templateFile, "utf8"), vk);
  const tmp = `${out}.tmp`;
  fs.writeFileSync(tmp, source);
  fs.renameSync(tmp, out);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "compile" && args.length >= 2) {
  compile(args[0], args.slice(1));
} else if (cmd === "snarkjs-verifier" && args.length === 2) {
  snarkjsVerifier(args[0], args[1]);
} else {
  process.stderr.write("usage: solidity.mjs compile OUT.json FILE.sol... | snarkjs-verifier VK.json OUT.sol\n");
  process.exit(2);
}
