# Sourced by setup.sh and test.sh after `npm ci`: puts the project's Node.js first on PATH, so every
# node, npx, nx and vitest that follows runs on it, not on the machine's own (Debian 12 has 18, these
# machines 20, both past end of life). The runtime is the npm package node-linux-<arch>, an optional
# dependency pinned in package.json, whose bin entry npm links as node_modules/.bin/node.
node_runtime_dir="$(pwd)/node_modules/.bin"
if [ ! -x "$node_runtime_dir/node" ]; then
  echo "node-runtime.sh: $node_runtime_dir/node is missing: npm ci installs it (package node-linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/'))" >&2
  exit 1
fi
export PATH="$node_runtime_dir:$PATH"
node_runtime_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_runtime_major" -lt 24 ]; then
  echo "node-runtime.sh: $node_runtime_dir/node is Node.js $(node --version); package.json pins 24" >&2
  exit 1
fi
