#!/usr/bin/env bash
# Sets up ContrastiveNotes on a fresh Linux machine. Idempotent: run it as often as you like.
#
#   1. system packages (Debian/Ubuntu, when run as root or with sudo): Debian's Fashion-MNIST
#      package, readelf (binutils), python3-nbformat and python3-nbclient (Jupyter's own notebook
#      executor) and chromium (renders exported pages headless), which the tests use as independent checks;
#   2. Fashion-MNIST: uses /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist) or
#      data/fashion-mnist/, otherwise downloads the four IDX files from the dataset's upstream
#      location into data/fashion-mnist/ and verifies their SHA-256 (data/fashion-mnist.sha256);
#   3. the .NET Interactive kernel that VS Code and Jupyter start, pinned: the dotnet tool
#      Microsoft.dotnet-interactive 1.0.712001 in .tools/dotnet-interactive/, and a Jupyter kernelspec
#      for it in .tools/jupyter/kernels/.net-csharp (use it with JUPYTER_PATH=$PWD/.tools/jupyter, or
#      pass --jupyter-kernel to also install it as your user's ".NET (C#)" Jupyter kernel);
#   4. restores NuGet packages and builds the solution (Release), which also makes TorchSharp's
#      native library loadable on Debian 12 / Ubuntu 22.04 (see build/TorchSharpNativeFix.targets).
#
# Options: --no-build (steps 1-3 only), --no-system-packages (skip step 1), --jupyter-kernel.
# Environment: CONFIGURATION (default Release), FASHION_MNIST_URL (download base URL).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
configuration="${CONFIGURATION:-Release}"
build=1
system_packages=1
user_jupyter_kernel=0
for argument in "$@"; do
  case "$argument" in
    --no-build) build=0 ;;
    --no-system-packages) system_packages=0 ;;
    --jupyter-kernel) user_jupyter_kernel=1 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$argument' (expected --no-build, --no-system-packages or --jupyter-kernel)" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }

debian_packages=(dataset-fashion-mnist binutils python3-nbformat python3-nbclient chromium bubblewrap)
interactive_version=1.0.712001
interactive_dir="$root/.tools/dotnet-interactive"
kernelspec_dir="$root/.tools/jupyter/kernels/.net-csharp"
debian_mnist_dir=/usr/share/datasets/fashion-mnist
local_mnist_dir="$root/data/fashion-mnist"
mnist_files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
mnist_url="${FASHION_MNIST_URL:-http://fashion-mnist.s3-website.eu-central-1.amazonaws.com}"

install_system_packages() {
  command -v apt-get >/dev/null 2>&1 || { echo "No apt-get: skipping system packages (install binutils, python3 nbformat and nbclient, and chromium yourself for the full test suite)."; return 0; }
  local missing=()
  for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then echo "System packages present: ${debian_packages[*]}"; return 0; fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      echo "Not root and no password-less sudo: skipping apt-get install of ${missing[*]}."; return 0; fi
  fi
  echo "Installing ${missing[*]}"
  $sudo apt-get update -qq || echo "apt-get update failed; trying the install with the current package lists."
  # Install one at a time so that a package missing from this distribution (dataset-fashion-mnist
  # is Debian-only) does not stop the others; the dataset then comes from the download below.
  for package in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$package" >/dev/null \
      || echo "Could not install $package with apt-get; continuing."
  done
}

expected_sha256() { awk -v name="$1" '$2 == name { print $1 }' "$root/data/fashion-mnist.sha256"; }

# Succeeds when $1/<name>.gz exists and its decompressed bytes have the published SHA-256.
verified() {
  local file="$1/$2.gz"
  [ -f "$file" ] || return 1
  [ "$(gzip -dc "$file" 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$(expected_sha256 "$2")" ]
}

dataset_complete_in() {
  local name
  for name in "${mnist_files[@]}"; do verified "$1" "$name" || return 1; done
}

download_fashion_mnist() {
  mkdir -p "$local_mnist_dir"
  local name temporary
  for name in "${mnist_files[@]}"; do
    if verified "$local_mnist_dir" "$name"; then continue; fi
    if [ -e "$local_mnist_dir/$name.gz" ]; then
      echo "data/fashion-mnist/$name.gz exists but does not match its SHA-256; it is left in place." >&2
      echo "Move it away (it may be yours) and run this script again." >&2
      return 1
    fi
    temporary="$(mktemp "$local_mnist_dir/.$name.XXXXXX")"
    echo "Downloading $name.gz"
    if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 3 -o "$temporary" "$mnist_url/$name.gz"
    else wget -q -O "$temporary" "$mnist_url/$name.gz"; fi || { rm -f "$temporary"; echo "Download of $name.gz failed." >&2; return 1; }
    if [ "$(gzip -dc "$temporary" 2>/dev/null | sha256sum | cut -d' ' -f1)" != "$(expected_sha256 "$name")" ]; then
      rm -f "$temporary"
      echo "Downloaded $name.gz does not have the SHA-256 in data/fashion-mnist.sha256; nothing was kept." >&2
      return 1
    fi
    mv "$temporary" "$local_mnist_dir/$name.gz"
  done
}

ensure_fashion_mnist() {
  if dataset_complete_in "$debian_mnist_dir"; then echo "Fashion-MNIST: $debian_mnist_dir (checksums verified)"; return 0; fi
  if dataset_complete_in "$local_mnist_dir"; then echo "Fashion-MNIST: data/fashion-mnist (checksums verified)"; return 0; fi
  download_fashion_mnist
  dataset_complete_in "$local_mnist_dir"
  echo "Fashion-MNIST: data/fashion-mnist (downloaded, checksums verified)"
}

# The kernel VS Code's Polyglot Notebooks and Jupyter start, at the version the course is tested with.
install_interactive_kernel() {
  local installed=""
  [ -x "$interactive_dir/dotnet-interactive" ] && installed="$("$interactive_dir/dotnet-interactive" --version 2>/dev/null | cut -d+ -f1)"
  if [ "$installed" = "$interactive_version" ]; then
    echo "dotnet-interactive $interactive_version: .tools/dotnet-interactive"
  else
    [ -n "$installed" ] && dotnet tool uninstall --tool-path "$interactive_dir" Microsoft.dotnet-interactive >/dev/null
    dotnet tool install --tool-path "$interactive_dir" Microsoft.dotnet-interactive --version "$interactive_version" >/dev/null
    echo "dotnet-interactive $interactive_version installed in .tools/dotnet-interactive"
  fi
  # The tool's own "jupyter install" writes a kernelspec that runs "dotnet interactive" (a global tool);
  # this one names the pinned binary.
  mkdir -p "$kernelspec_dir"
  cat > "$kernelspec_dir/kernel.json.tmp" <<JSON
{
  "argv": ["$interactive_dir/dotnet-interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}"],
  "display_name": ".NET (C#)",
  "language": "C#",
  "metadata": {"vscode": {"extension_id": "ms-dotnettools.dotnet-interactive-vscode", "kernel_id": "dotnet-interactive"}}
}
JSON
  mv "$kernelspec_dir/kernel.json.tmp" "$kernelspec_dir/kernel.json"
  echo "Jupyter kernelspec: .tools/jupyter/kernels/.net-csharp (JUPYTER_PATH=$root/.tools/jupyter)"
  if [ "$user_jupyter_kernel" = 1 ]; then
    if command -v jupyter >/dev/null 2>&1; then
      jupyter kernelspec install --user --replace --name .net-csharp "$kernelspec_dir" >/dev/null
      echo "Installed as your user's \".NET (C#)\" Jupyter kernel."
    else
      echo "No jupyter command: install Jupyter (e.g. apt-get install jupyter-client) and run with --jupyter-kernel again." >&2
      return 1
    fi
  fi
}

check_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET SDK is not installed. Install .NET SDK 10 (see environment/README.md), then run this script again." >&2
    exit 1
  fi
  echo ".NET SDK $(dotnet --version)"
}

if [ "$system_packages" = 1 ]; then step "System packages"; install_system_packages; fi
step "Fashion-MNIST"; ensure_fashion_mnist
step ".NET"; check_dotnet
step ".NET Interactive kernel"; install_interactive_kernel
if [ "$build" = 1 ]; then
  step "Restore and build ($configuration)"
  dotnet build "$root/ContrastiveNotes.sln" -c "$configuration" -nologo -clp:NoSummary -v quiet
  echo "Built. The notebooks reference lib/ContrastiveNotes/bin/$configuration/net8.0/ContrastiveNotes.dll."
fi
