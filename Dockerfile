# Container image of the exporter: the .deb built by `nx run packaging:deb`, installed into Debian 12.
# The image therefore has the package's layout exactly (see packaging/README.md for `docker run`).

# Build stage: Debian 12 with Node.js 24 and the BPF/addon toolchain. npm ci also installs the pinned
# node-linux-<arch> runtime, which the build runs on and the package ships.
FROM node:24-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        clang llvm libbpf-dev libelf-dev zlib1g-dev pkg-config make g++ python3 dpkg-dev binutils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ENV NX_DAEMON=false
RUN npm ci --no-audit --no-fund \
    && npx nx run packaging:deb --outputStyle=static

# Runtime stage: apt resolves the package's Depends (libbpf1, libc6, libstdc++6, libgcc-s1) from Debian.
FROM debian:bookworm-slim
COPY --from=build /src/dist/ebpf-exporter_*.deb /tmp/
RUN apt-get update \
    && apt-get install -y --no-install-recommends /tmp/ebpf-exporter_*.deb \
    && rm -rf /var/lib/apt/lists/* /tmp/ebpf-exporter_*.deb
EXPOSE 9435
ENTRYPOINT ["/usr/bin/ebpf_exporter"]
CMD ["--config.dir=/usr/share/ebpf-exporter/examples", "--config.names=biolatency,percpu-softirq"]
