#!/bin/sh
# Publishes the site to an S3 bucket served by CloudFront, and asks CloudFront to drop its
# cached copies only when the publish changed something.
#
#   export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... AWS_REGION=ap-south-1
#   BATMI_TARGET=s3://news-bucket/site CLOUDFRONT_DISTRIBUTION_ID=E123ABC sh s3-cloudfront.sh
#
# BATMI_TARGET: where to publish (an s3:// URL, or the name of a [publish.NAME] target in
#   config.toml, e.g. live).
# BATMI_ROOT: the site's folder (default: the current one).
# BATMI_ENDPOINT: an S3-compatible endpoint instead of AWS (R2, MinIO).
# CLOUDFRONT_DISTRIBUTION_ID: the distribution in front of the bucket; without it, no
#   invalidation (pages then refresh by their Cache-Control: five minutes for HTML and feeds).
set -eu

: "${BATMI_TARGET:?set BATMI_TARGET to s3://BUCKET/PREFIX or a target name from config.toml}"
root="${BATMI_ROOT:-.}"

case "$BATMI_TARGET" in
  s3://*) where="--to $BATMI_TARGET" ;;
  *) where="--target $BATMI_TARGET" ;;
esac

# --delete removes pages of deleted stories; more than max_deletes of them stops the publish
# (and the script) until someone runs it with --yes.
# shellcheck disable=SC2086 # $where is two words on purpose
report=$(batmi publish --root "$root" $where ${BATMI_ENDPOINT:+--endpoint "$BATMI_ENDPOINT"} --delete)
printf '%s\n' "$report"

# The last line reads "published to ...: uploaded N files (...), deleted M files, ...".
summary=$(printf '%s\n' "$report" | grep '^published to ' | tail -n 1)
uploaded=$(printf '%s\n' "$summary" | sed -n 's/.*: uploaded \([0-9]*\) files.*/\1/p')
deleted=$(printf '%s\n' "$summary" | sed -n 's/.*, deleted \([0-9]*\) files.*/\1/p')
if [ -z "$uploaded" ] || [ -z "$deleted" ]; then
  echo "error: could not read what batmi publish changed from: $summary" >&2
  exit 1
fi

if [ -z "${CLOUDFRONT_DISTRIBUTION_ID:-}" ]; then
  echo "no CLOUDFRONT_DISTRIBUTION_ID: no invalidation"
elif [ "$uploaded" -eq 0 ] && [ "$deleted" -eq 0 ]; then
  echo "nothing changed: no invalidation"
else
  # One wildcard path counts as one of the 1,000 free invalidation paths a month; a run every
  # 15 minutes that changed nothing asks for none.
  aws cloudfront create-invalidation \
    --distribution-id "$CLOUDFRONT_DISTRIBUTION_ID" --paths '/*' >/dev/null
  echo "asked CloudFront to refetch /* ($uploaded uploaded, $deleted deleted)"
fi
