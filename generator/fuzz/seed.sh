#!/usr/bin/env bash
# Seeds the fuzz corpora (git-ignored fuzz/corpus/) from the real docs
# corpus, which is not copied into the repository. The pipeline target's
# first byte picks the page form: 0 Markdown, 1 HTML, 2 text.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
corpus="${1:-$here/../../../shared/corpus}"
[ -d "$corpus/zh" ] || { echo "no corpus at $corpus" >&2; exit 1; }
for target in read_markdown read_html read_text pipeline; do mkdir -p "$here/corpus/$target"; done
seed() { # form-byte source-file target...
  local byte="$1" file="$2" name
  shift 2
  name="$(sha1sum "$file" | cut -c1-16)"
  for target in "$@"; do
    if [ "$target" = pipeline ]; then
      { printf "\\x0$byte"; cat "$file"; } > "$here/corpus/pipeline/$name"
    else
      cp "$file" "$here/corpus/$target/$name"
    fi
  done
}
# Every Python page in all three forms, and a few other languages' Markdown.
while IFS= read -r -d '' f; do seed 0 "$f" read_markdown pipeline; done \
  < <(find "$corpus/zh/python" "$corpus/zh/go/authentication" "$corpus/zh/common" -name '*.md' -print0)
while IFS= read -r -d '' f; do seed 1 "$f" read_html pipeline; done < <(find "$corpus/html" -name '*.html' -print0)
while IFS= read -r -d '' f; do seed 2 "$f" read_text pipeline; done < <(find "$corpus/text" -name '*.txt' -print0)
# The hand-written fixtures of the repository, hostile ones included.
for f in "$here"/../../tests/fixtures/*.md; do seed 0 "$f" read_markdown pipeline; done
for f in "$here"/../../tests/fixtures/*.html; do seed 1 "$f" read_html pipeline; done
for f in "$here"/../../tests/fixtures/*.txt; do seed 2 "$f" read_text pipeline; done
for target in read_markdown read_html read_text pipeline; do
  echo "$target: $(ls "$here/corpus/$target" | wc -l) seeds"
done
