# Multi-stage build of a small tocsin runtime image on Debian 12.
#   docker build -t tocsin .
#   docker run -v $PWD/examples:/etc/tocsin -p 9095:9095 tocsin \
#     run --config /etc/tocsin/tocsin.yml --web.listen-address 0.0.0.0:9095

FROM debian:12-slim AS build
COPY scripts/install-deps /tmp/install-deps
RUN /tmp/install-deps
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DTOCSIN_BUILD_TESTS=OFF -DTOCSIN_BUILD_BENCH=OFF \
 && cmake --build /build --target tocsin \
 && strip /build/src/cli/tocsin

FROM debian:12-slim
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends \
      ca-certificates tzdata libcurl4 libyaml-cpp0.7 libfmt9 libre2-9 \
      libprometheus-cpp-core1.0 libxxhash0 libsqlite3-0 libsimdjson14 libpq5 \
      libprotobuf-lite32 libsnappy1v5 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/tocsin --create-home tocsin
COPY --from=build /build/src/cli/tocsin /usr/bin/tocsin
COPY rules/ /etc/tocsin/rules/
USER tocsin
WORKDIR /var/lib/tocsin
EXPOSE 9095
ENTRYPOINT ["/usr/bin/tocsin"]
CMD ["run", "--config", "/etc/tocsin/tocsin.yml", "--web.listen-address", "0.0.0.0:9095"]
