# syntax=docker/dockerfile:1
# batmi in a container: a build stage with the Rust toolchain, and a small final image with the
# binary alone (distroless: glibc, CA certificates, no shell) or, as the `git` target, with
# git for `batmi publish --to git:...`.
#
#   docker build -t batmi --build-arg BATMI_COMMIT="$(git rev-parse --short HEAD)" .
#   docker run --rm -v "$PWD:/site" -w /site batmi build
#   docker build --target git -t batmi:git .

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# .git is not sent (see .dockerignore): the commit for `batmi --version` comes in as an argument.
ARG BATMI_COMMIT=
ENV BATMI_COMMIT=${BATMI_COMMIT}
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --profile dist --locked \
    && cp target/dist/batmi /usr/local/bin/batmi

FROM debian:bookworm-slim AS git
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates git openssh-client \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/batmi /usr/local/bin/batmi
USER 65532:65532
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/batmi"]
CMD ["--help"]

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/batmi /usr/local/bin/batmi
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/batmi"]
CMD ["--help"]
