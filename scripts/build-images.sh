#!/usr/bin/env bash
# Builds meshviz's four images from the repository root: meshviz/proxy, meshviz/control, meshviz/api and
# meshviz/web, tagged with each app's package.json version, for the manifests in deploy/.
#
#   scripts/build-images.sh                 build all four with docker (or podman, when docker is absent)
#   scripts/build-images.sh api web         build some
#   REGISTRY=registry.example.com/meshviz TAG=dev PUSH=1 scripts/build-images.sh
#
# REGISTRY (default meshviz) and TAG (default the app's version) name the images; CONTAINER_ENGINE picks the
# engine; PUSH=1 pushes after building. Images under other names: set them in an overlay with kustomize's
# `images:`, and the injector's CONTROL_INJECTOR_PROXY_IMAGE / CONTROL_INJECTOR_INIT_IMAGE to the proxy's.
set -euo pipefail
cd "${BASH_SOURCE[0]%/*}/.."

engine="${CONTAINER_ENGINE:-}"
if [ -z "$engine" ]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null; then engine="$candidate"; break; fi
  done
fi
if [ -z "$engine" ]; then
  echo "build-images: no container engine: install docker or podman, or set CONTAINER_ENGINE" >&2
  exit 1
fi

apps=("$@")
[ "${#apps[@]}" -gt 0 ] || apps=(proxy control api web)
registry="${REGISTRY:-meshviz}"
for app in "${apps[@]}"; do
  case "$app" in
    proxy | control | api | web) ;;
    *) echo "build-images: unknown image \"$app\" (proxy, control, api or web)" >&2; exit 2 ;;
  esac
  version="$(node -p "require('./apps/$app/package.json').version")"
  image="$registry/$app:${TAG:-$version}"
  echo "build-images: $image"
  "$engine" build --file "apps/$app/Dockerfile" --tag "$image" .
  if [ "${PUSH:-0}" = 1 ]; then "$engine" push "$image"; fi
done
