#!/usr/bin/env bash
# Declares every public member that is not yet declared (RS0016) in each library's PublicAPI.Unshipped.txt, through
# the PublicApiAnalyzers code fix run by `dotnet format`. Run it after adding public API on purpose, and review the
# diff of the .txt files: it is the change to the surface. Removed members (RS0017) must be deleted by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
# Every packable library (the projects that set IsPackable to true) tracks its surface.
for project in $(grep -l '<IsPackable>true</IsPackable>' $(git ls-files '*.csproj')); do
  dir=$(dirname "$project")
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$file" ] || printf '#nullable enable\n' > "$dir/$file"
  done
  dotnet format "$project" --diagnostics RS0016 -v q
done
git --no-pager diff --stat -- '*/PublicAPI.*.txt'
