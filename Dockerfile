# podmon container image: podmon (the daemon), podmonctl (the admin CLI) and the SQL migrations.
#
#   docker build -t podmon:dev .
#   docker run --rm podmon:dev --help
#
# Stage 1 builds with Debian's -dev packages; stage 2 holds only the two binaries, the migrations and
# the runtime libraries they link. tests/deploy/dockerfile.sh checks that every COPY source exists and
# that the runtime package list below provides every shared library `ldd` shows for the binaries.

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config \
      libpoco-dev libsqlite3-dev libspdlog-dev libyaml-cpp-dev libsimdjson-dev libcli11-dev libmariadb-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY lib/ lib/
COPY app/ app/
COPY tools/ tools/
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPODMON_BUILD_TESTS=OFF \
 && cmake --build build -j"$(nproc)" --target podmon podmonctl \
 && strip build/bin/podmon build/bin/podmonctl

FROM debian:bookworm-slim AS runtime
# Runtime libraries of podmon and podmonctl (ldd of both, mapped to packages with dpkg -S);
# ca-certificates for TLS to the Kubernetes API, Elasticsearch and Slack.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates \
      libpocofoundation80 libpoconet80 libpoconetssl80 libpococrypto80 libpocojson80 \
      libpocoutil80 libpocoxml80 libpocodata80 libpocodatamysql80 libpocodatasqlite80 libsqlite3-0 \
      libmariadb3 libssl3 libspdlog1.10 libfmt9 libyaml-cpp0.7 libsimdjson14 \
      libstdc++6 libgcc-s1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 podmon \
 && useradd --system --uid 10001 --gid podmon --home-dir /home/podmon --create-home --shell /usr/sbin/nologin podmon \
 && install -d -o 10001 -g 10001 -m 0700 /var/spool/podmon
COPY --from=build /src/build/bin/podmon /src/build/bin/podmonctl /usr/local/bin/
# lib/store/mysql_config.cpp defaultMigrationsDir() reads the migrations from here.
COPY sql/ /usr/share/podmon/sql/

# Numeric, so that Kubernetes can verify runAsNonRoot.
USER 10001:10001
WORKDIR /home/podmon
ENV SERVER_PORT=8080
EXPOSE 8080
# No curl in the image: bash's /dev/tcp asks the status server for /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT:-8080} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["podmon"]
