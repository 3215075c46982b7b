#!/usr/bin/env bash
# ./test-services.sh: a smoke test of a running shop (./start-services.sh first), through the
# same HTTP APIs a client uses. Each step prints ✔ or ✘; the first failure stops the run with
# the answer that was wrong, and a non-zero exit code.
#
#   1. every service: /health and /health/ready
#   2. the customer (john.doe@example.com) registers, or is reused; logs in; reads its profile
#   3. an order of 2 "Wireless Mouse" (./create-test-data.sh runs first if it is missing)
#      drops the stock by 2
#   4. the order-confirmation notification reaches status `sent` (GET /api/notifications/me)
#      and, when our mail catcher runs, the mail is in logs/mail.jsonl
#   5. cancelling the order gives the stock back
# Environment: the *_SERVICE_URL (base URLs: a shop on other ports, containers), INTERNAL_API_KEY,
# CUSTOMER_EMAIL and CUSTOMER_PASSWORD of ./create-test-data.sh; NOTIFY_TIMEOUT (seconds to wait
# for the notification, default 30); MAIL_CHECK_FILE (the mail.jsonl of a mail catcher started
# elsewhere, checked instead of logs/mail.jsonl).
set -Eeuo pipefail
SCRIPT=test-services
# shellcheck source=scripts/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/services/lib.sh"
client_setup "$@"
NOTIFY_TIMEOUT=${NOTIFY_TIMEOUT:-30}
PRODUCT_NAME="Wireless Mouse"
QUANTITY=2
PASSED=0

pass() { printf '  ✔ %s\n' "$1"; PASSED=$((PASSED + 1)); }
# fail WHAT [DETAIL]: the failing step, the last answer, and the end of the run
fail() {
  printf '  ✘ %s\n' "$1"
  if [[ ${2:-} ]]; then printf '    %s\n' "$2"; fi
  if [[ ${HTTP_STATUS:-} ]]; then printf '    last answer: HTTP %s %s\n' "$HTTP_STATUS" "${HTTP_BODY:0:2000}"; fi
  printf '\n%s: FAILED after %s passed checks\n' "$SCRIPT" "$PASSED"
  exit 1
}
# expect STATUS WHAT: the last answer had that status
expect() { [[ $HTTP_STATUS == "$1" ]] || fail "$2" "expected HTTP $1"; }
value() { json_get "$1" <<<"$HTTP_BODY"; }
auth() { echo "Authorization: Bearer $TOKEN"; }
product_stock() { # ID -> current stock
  http GET "$PRODUCT_SERVICE_URL/api/products/$1"
  expect 200 "reading product $1"
  STOCK=$(value .data.product.stock)
}

echo "$SCRIPT: against user $USER_SERVICE_URL, product $PRODUCT_SERVICE_URL, order $ORDER_SERVICE_URL, notification $NOTIFICATION_SERVICE_URL"

# ---------------------------------------------------------------- 1. health
echo "health"
for svc in "${SERVICES[@]}"; do
  url=$(service_url "$svc")
  http GET "$url/health"
  expect 200 "$svc is alive ($url/health)"
  http GET "$url/health/ready"
  [[ $HTTP_STATUS == 200 ]] || fail "$svc is ready ($url/health/ready)" "its own storage is down (see its checks)"
  # A service stays ready while a service it calls is down (only 'degraded'); the smoke test needs every one up.
  down=$(node -e 'const c = JSON.parse(process.argv[1]).data.checks; console.log(Object.keys(c).filter((k) => c[k].status !== "up").join(", "))' "$HTTP_BODY")
  [[ -z $down ]] || fail "$svc: every dependency answers ($url/health/ready)" "down: $down"
  deps=$(node -e 'try { console.log(Object.keys(JSON.parse(process.argv[1]).data.checks).join(", ")); } catch {}' "$HTTP_BODY")
  pass "$svc: alive and ready (${deps:-no dependencies})"
done

# ---------------------------------------------------------------- 2. the customer
echo "customer"
http POST "$USER_SERVICE_URL/api/users/register" \
  "{\"firstName\":\"John\",\"lastName\":\"Doe\",\"email\":$(json_str "$CUSTOMER_EMAIL"),\"password\":$(json_str "$CUSTOMER_PASSWORD")}"
case $HTTP_STATUS in
  201) pass "registered $CUSTOMER_EMAIL" ;;
  409) pass "$CUSTOMER_EMAIL is registered already: reusing it" ;;
  *) fail "registering $CUSTOMER_EMAIL" "expected 201 or 409" ;;
esac
http POST "$USER_SERVICE_URL/api/users/login" "{\"email\":$(json_str "$CUSTOMER_EMAIL"),\"password\":$(json_str "$CUSTOMER_PASSWORD")}"
expect 200 "logging in as $CUSTOMER_EMAIL (set CUSTOMER_PASSWORD if it has another password)"
TOKEN=$(value .data.token)
USER_ID=$(value .data.user.id)
[[ $TOKEN && $USER_ID ]] || fail "logging in" "no data.token or data.user.id in the answer"
pass "logged in (user $USER_ID)"
http GET "$USER_SERVICE_URL/api/users/profile" "" "$(auth)"
expect 200 "reading the profile"
[[ $(value .data.user.email) == "$CUSTOMER_EMAIL" ]] || fail "reading the profile" "data.user.email is not $CUSTOMER_EMAIL"
[[ -z $(value .data.user.password) && -z $(value .data.user.passwordHash) ]] || fail "reading the profile" "the profile carries a password field"
pass "profile: $(value .data.user.firstName) $(value .data.user.lastName), role $(value .data.user.role), no password in it"

# ---------------------------------------------------------------- 3. an order moves the stock
echo "order"
find_product() {
  http GET "$PRODUCT_SERVICE_URL/api/products?search=$(urlencode "$PRODUCT_NAME")&limit=100"
  expect 200 "searching the products for \"$PRODUCT_NAME\""
  PRODUCT_ID=$(json_find .data.products name "$PRODUCT_NAME" <<<"$HTTP_BODY")
}
find_product
if [[ -z $PRODUCT_ID ]]; then
  echo "  (no \"$PRODUCT_NAME\" yet: running ./create-test-data.sh)"
  "$REPO_ROOT/create-test-data.sh" | sed 's/^/    /' || fail "./create-test-data.sh"
  find_product
  [[ $PRODUCT_ID ]] || fail "finding \"$PRODUCT_NAME\" after ./create-test-data.sh"
fi
product_stock "$PRODUCT_ID"
if ((STOCK < QUANTITY)); then
  # Sold out by earlier manual orders: top it up (the internal stock API), so the check can run.
  http PUT "$PRODUCT_SERVICE_URL/api/products/$PRODUCT_ID/stock" "{\"quantity\":50}" "X-Internal-Key: $INTERNAL_API_KEY"
  expect 200 "topping up the stock of \"$PRODUCT_NAME\""
  product_stock "$PRODUCT_ID"
fi
BEFORE=$STOCK
PRICE=$(value .data.product.price)
pass "\"$PRODUCT_NAME\" ($PRODUCT_ID): price $PRICE, stock $BEFORE"

http POST "$ORDER_SERVICE_URL/api/orders" \
  "{\"items\":[{\"productId\":\"$PRODUCT_ID\",\"quantity\":$QUANTITY}],\"shippingAddress\":{\"line1\":\"1 Main Street\",\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\"US\"}}" \
  "$(auth)" "Idempotency-Key: test-services-$(date +%s)-$RANDOM"
expect 201 "placing an order of $QUANTITY × \"$PRODUCT_NAME\""
ORDER_ID=$(value .data.order.id)
ORDER_TRACE_ID=$HTTP_TRACE_ID
TOTAL=$(value .data.order.totalAmount)
EXPECTED_TOTAL=$(node -e 'const [p, q] = process.argv.slice(1); console.log(String((Math.round(Number(p) * 100) * Number(q)) / 100))' "$PRICE" "$QUANTITY")
[[ $ORDER_ID ]] || fail "placing an order" "no data.order.id"
[[ $TOTAL == "$EXPECTED_TOTAL" ]] || fail "placing an order" "totalAmount is $TOTAL, expected $EXPECTED_TOTAL"
pass "order $ORDER_ID placed: status $(value .data.order.status), total $TOTAL"

product_stock "$PRODUCT_ID"
((STOCK == BEFORE - QUANTITY)) || fail "the stock dropped by $QUANTITY" "stock is $STOCK, was $BEFORE"
pass "stock dropped by $QUANTITY: $BEFORE → $STOCK"

http GET "$ORDER_SERVICE_URL/api/orders/$ORDER_ID" "" "$(auth)"
expect 200 "reading the order back"
[[ $(value .data.order.items[0].product.id) == "$PRODUCT_ID" && $(value .data.partial) == false ]] ||
  fail "reading the order back" "expected its item enriched with the product and partial false"
pass "order reads back with its product data"

# ---------------------------------------------------------------- 4. the notification
echo "notification"
deadline=$((SECONDS + NOTIFY_TIMEOUT))
STATUS=
while :; do
  http GET "$NOTIFICATION_SERVICE_URL/api/notifications/me?limit=50" "" "$(auth)"
  expect 200 "reading my notifications"
  STATUS=$(json_find .data.notifications dedupeKey "order-confirmed:$ORDER_ID" status <<<"$HTTP_BODY")
  [[ $STATUS == sent ]] && break
  [[ $STATUS == failed ]] && fail "the order confirmation was delivered" "its status is failed (see logs/notification-service.log)"
  ((SECONDS >= deadline)) && fail "the order confirmation reached status sent within ${NOTIFY_TIMEOUT}s" "its status: ${STATUS:-not there}"
  sleep 0.5
done
pass "order confirmation: status sent"

# MAIL_CHECK_FILE: the output of a mail catcher started elsewhere (npm run test:images runs one).
if [[ ${MAIL_CHECK_FILE:-} ]]; then MAIL_FILE=$MAIL_CHECK_FILE; fi
if [[ ${MAIL_CHECK_FILE:-} ]] || is_ours "$(pid_in "$(pidfile_of mail-catcher)")" mail-catcher; then
  deadline=$((SECONDS + 10))
  # shellcheck disable=SC2016 # JavaScript, not shell
  until node -e '
      const [file, to, orderId] = process.argv.slice(1);
      let lines = [];
      try { lines = require("fs").readFileSync(file, "utf8").split("\n").filter(Boolean); } catch { process.exit(1); }
      const hit = lines.map((l) => JSON.parse(l)).find((m) => m.envelope.to.includes(to) && `${m.subject} ${m.text}`.includes(orderId));
      if (!hit) process.exit(1);
      console.log(hit.subject);' "$MAIL_FILE" "$CUSTOMER_EMAIL" "$ORDER_ID" >"$HTTP_TMP.mail" 2>/dev/null; do
    ((SECONDS >= deadline)) && HTTP_STATUS='' fail "the mail is in ${MAIL_FILE#"$REPO_ROOT"/}" "no mail to $CUSTOMER_EMAIL about order $ORDER_ID"
    sleep 0.5
  done
  pass "mail to $CUSTOMER_EMAIL in ${MAIL_FILE#"$REPO_ROOT"/}: \"$(cat "$HTTP_TMP.mail")\""
  rm -f "$HTTP_TMP.mail"
else
  echo "  - no mail catcher of ours runs (./start-services.sh starts one): mail check skipped"
fi

# ---------------------------------------------------------------- 5. cancel
echo "cancel"
http POST "$ORDER_SERVICE_URL/api/orders/$ORDER_ID/cancel" "{}" "$(auth)"
expect 200 "cancelling the order"
[[ $(value .data.order.status) == cancelled ]] || fail "cancelling the order" "status is not cancelled"
pass "order cancelled"
product_stock "$PRODUCT_ID"
((STOCK == BEFORE)) || fail "the stock came back" "stock is $STOCK, expected $BEFORE"
pass "stock restored: $STOCK"

printf '\n%s: all %s checks passed\n' "$SCRIPT" "$PASSED"
# With tracing on (./start-services.sh --traces) the order's whole path across the services:
[[ $ORDER_TRACE_ID ]] && printf '%s: the trace of order %s: http://localhost:%s/zipkin/traces/%s\n' "$SCRIPT" "$ORDER_ID" "${ZIPKIN_PORT:-9411}" "$ORDER_TRACE_ID"
exit 0
