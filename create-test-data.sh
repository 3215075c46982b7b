#!/usr/bin/env bash
# ./create-test-data.sh: the seed's test data in a running shop (./start-services.sh first).
#
#   category   Electronics
#   products   Laptop Computer  999.99  stock 10  [laptop, computer, development]
#              Wireless Mouse    29.99  stock 50  [mouse, wireless, accessory]
#   users      the admin (ADMIN_EMAIL / ADMIN_PASSWORD, created by the User service at start-up:
#              checked by logging in) and a customer, john.doe@example.com
#
# Repeatable: what exists already (by category name, product name, user email) is reused, not
# duplicated. Prints the ids. Exits non-zero on any unexpected answer, with its body.
# Environment (defaults in brackets):
#   USER_SERVICE_URL [http://localhost:3001]   PRODUCT_SERVICE_URL [http://localhost:3002]
#   INTERNAL_API_KEY [workshop_internal_key_2023]
#   ADMIN_EMAIL [admin@shop.local]   ADMIN_PASSWORD [admin-dev-password-1]
#   CUSTOMER_EMAIL [john.doe@example.com]   CUSTOMER_PASSWORD [john-doe-password-1]
set -Eeuo pipefail
SCRIPT=test-data
# shellcheck source=scripts/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/services/lib.sh"
client_setup "$@"
KEY_HEADER="X-Internal-Key: $INTERNAL_API_KEY"

# unexpected WHAT: stop with the answer that was not expected
unexpected() { die "$1: unexpected answer $HTTP_STATUS: ${HTTP_BODY:0:2000}"; }

# ---------------------------------------------------------------- category
find_category() { # NAME -> id or nothing
  http GET "$PRODUCT_SERVICE_URL/api/categories"
  [[ $HTTP_STATUS == 200 ]] || unexpected "listing the categories (GET $PRODUCT_SERVICE_URL/api/categories)"
  json_find .data.categories name "$1" <<<"$HTTP_BODY"
}

ensure_category() { # NAME DESCRIPTION -> sets CATEGORY_ID
  CATEGORY_ID=$(find_category "$1")
  if [[ $CATEGORY_ID ]]; then say "category \"$1\": exists ($CATEGORY_ID)"; return; fi
  http POST "$PRODUCT_SERVICE_URL/api/categories" "{\"name\":$(json_str "$1"),\"description\":$(json_str "$2")}" "$KEY_HEADER"
  case $HTTP_STATUS in
    201) CATEGORY_ID=$(json_get .data.category.id <<<"$HTTP_BODY"); say "category \"$1\": created ($CATEGORY_ID)" ;;
    409) CATEGORY_ID=$(find_category "$1"); say "category \"$1\": created meanwhile by someone else ($CATEGORY_ID)" ;; # a concurrent run
    *) unexpected "creating the category \"$1\"" ;;
  esac
  [[ $CATEGORY_ID ]] || die "category \"$1\": no id in the answer: ${HTTP_BODY:0:500}"
}

# ---------------------------------------------------------------- products
find_product() { # NAME -> id or nothing (exact name, inactive ones included)
  http GET "$PRODUCT_SERVICE_URL/api/products?search=$(urlencode "$1")&includeInactive=true&limit=100"
  [[ $HTTP_STATUS == 200 ]] || unexpected "searching the products for \"$1\""
  json_find .data.products name "$1" <<<"$HTTP_BODY"
}

declare -A PRODUCT_IDS=()
ensure_product() { # NAME DESCRIPTION PRICE STOCK TAGS_JSON
  local id
  id=$(find_product "$1")
  if [[ $id ]]; then
    say "product \"$1\": exists ($id)"
  else
    http POST "$PRODUCT_SERVICE_URL/api/products" \
      "{\"name\":$(json_str "$1"),\"description\":$(json_str "$2"),\"price\":$3,\"categoryId\":\"$CATEGORY_ID\",\"stock\":$4,\"tags\":$5}" \
      "$KEY_HEADER"
    [[ $HTTP_STATUS == 201 ]] || unexpected "creating the product \"$1\""
    id=$(json_get .data.product.id <<<"$HTTP_BODY")
    [[ $id ]] || die "product \"$1\": no id in the answer: ${HTTP_BODY:0:500}"
    say "product \"$1\": created ($id, $3, stock $4)"
  fi
  PRODUCT_IDS[$1]=$id
}

# ---------------------------------------------------------------- users
login() { # EMAIL PASSWORD: sets HTTP_STATUS/HTTP_BODY
  http POST "$USER_SERVICE_URL/api/users/login" "{\"email\":$(json_str "$1"),\"password\":$(json_str "$2")}"
}

check_admin() {
  login "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
  case $HTTP_STATUS in
    200) ;;
    401) die "the admin $ADMIN_EMAIL cannot log in with ADMIN_PASSWORD. The User service creates that admin at start-up when ADMIN_EMAIL and ADMIN_PASSWORD are set (./start-services.sh sets them); an account that existed before keeps its own password" ;;
    *) unexpected "logging in as the admin $ADMIN_EMAIL" ;;
  esac
  ADMIN_ID=$(json_get .data.user.id <<<"$HTTP_BODY")
  [[ $(json_get .data.user.role <<<"$HTTP_BODY") == admin ]] || die "$ADMIN_EMAIL logs in but is not an admin (role $(json_get .data.user.role <<<"$HTTP_BODY"))"
  say "admin $ADMIN_EMAIL: logs in ($ADMIN_ID)"
}

ensure_customer() {
  http POST "$USER_SERVICE_URL/api/users/register" \
    "{\"firstName\":\"John\",\"lastName\":\"Doe\",\"email\":$(json_str "$CUSTOMER_EMAIL"),\"password\":$(json_str "$CUSTOMER_PASSWORD")}"
  case $HTTP_STATUS in
    201)
      CUSTOMER_ID=$(json_get .data.user.id <<<"$HTTP_BODY")
      say "customer $CUSTOMER_EMAIL: registered ($CUSTOMER_ID)"
      ;;
    409)
      login "$CUSTOMER_EMAIL" "$CUSTOMER_PASSWORD"
      [[ $HTTP_STATUS == 401 ]] && die "$CUSTOMER_EMAIL exists already with another password: set CUSTOMER_PASSWORD to it"
      [[ $HTTP_STATUS == 200 ]] || unexpected "logging in as $CUSTOMER_EMAIL"
      CUSTOMER_ID=$(json_get .data.user.id <<<"$HTTP_BODY")
      say "customer $CUSTOMER_EMAIL: exists, logs in ($CUSTOMER_ID)"
      ;;
    *) unexpected "registering $CUSTOMER_EMAIL" ;;
  esac
}

# ---------------------------------------------------------------- run
say "product service $PRODUCT_SERVICE_URL, user service $USER_SERVICE_URL"
ensure_category "Electronics" "Electronic devices and accessories"
ensure_product "Laptop Computer" "High-performance laptop for development" 999.99 10 '["laptop","computer","development"]'
ensure_product "Wireless Mouse" "Ergonomic wireless mouse" 29.99 50 '["mouse","wireless","accessory"]'
check_admin
ensure_customer

printf '\n%s: done.\n' "$SCRIPT"
printf '  %-12s %-38s %s\n' \
  CATEGORY_ID "$CATEGORY_ID" "Electronics" \
  LAPTOP_ID "${PRODUCT_IDS[Laptop Computer]}" "Laptop Computer" \
  MOUSE_ID "${PRODUCT_IDS[Wireless Mouse]}" "Wireless Mouse" \
  ADMIN_ID "$ADMIN_ID" "$ADMIN_EMAIL (password: ADMIN_PASSWORD)" \
  CUSTOMER_ID "$CUSTOMER_ID" "$CUSTOMER_EMAIL / $CUSTOMER_PASSWORD"
