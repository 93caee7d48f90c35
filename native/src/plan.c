/* Copies a plan from JS values into plain C memory before clone, so that the child never touches
 * the JS heap or allocates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

static int throw_plan(napi_env env, size_t op, size_t arg, const char *what) {
  char msg[160];
  snprintf(msg, sizeof msg, "plan op %zu arg %zu: %s", op, arg, what);
  napi_throw_type_error(env, "ERR_VESSEL_PLAN", msg);
  return -1;
}

static char *copy_string(napi_env env, napi_value v) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static int arg_from_js(napi_env env, napi_value v, struct plan_arg *a, size_t op, size_t i) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  bool is;
  if (t == napi_number) {
    a->kind = ARG_INT;
    napi_get_value_int64(env, v, &a->n);
    return 0;
  }
  if (t == napi_bigint) {
    uint64_t u;
    bool lossless;
    napi_get_value_bigint_uint64(env, v, &u, &lossless);
    a->kind = ARG_INT;
    a->n = (int64_t)u;
    return 0;
  }
  if (t == napi_string) {
    a->kind = ARG_STR;
    a->s = copy_string(env, v);
    return a->s ? 0 : throw_plan(env, op, i, "out of memory");
  }
  napi_is_buffer(env, v, &is);
  if (is) {
    void *data;
    size_t len;
    napi_get_buffer_info(env, v, &data, &len);
    char *copy = malloc(len ? len : 1);
    if (!copy) return throw_plan(env, op, i, "out of memory");
    memcpy(copy, data, len);
    a->kind = ARG_BUF;
    a->s = copy;
    a->len = len;
    return 0;
  }
  napi_is_array(env, v, &is);
  if (is) {
    uint32_t n;
    napi_get_array_length(env, v, &n);
    char **vec = calloc(n + 1, sizeof *vec);
    if (!vec) return throw_plan(env, op, i, "out of memory");
    a->kind = ARG_STRV;
    a->v = vec;
    a->len = n;
    for (uint32_t k = 0; k < n; k++) {
      napi_value e;
      napi_valuetype et;
      napi_get_element(env, v, k, &e);
      napi_typeof(env, e, &et);
      if (et != napi_string) return throw_plan(env, op, i, "string list holds a non-string");
      vec[k] = copy_string(env, e);
      if (!vec[k]) return throw_plan(env, op, i, "out of memory");
    }
    return 0;
  }
  return throw_plan(env, op, i, "unsupported value (number, bigint, string, Buffer or string[] expected)");
}

void plan_free(struct plan *p) {
  if (!p->ops) return;
  for (size_t i = 0; i < p->count; i++) {
    struct plan_op *op = &p->ops[i];
    for (int k = 0; k < op->argc && op->args; k++) {
      struct plan_arg *a = &op->args[k];
      free((void *)a->s);
      if (a->v) {
        for (size_t j = 0; j < a->len; j++) free(a->v[j]);
        free((void *)a->v);
      }
    }
    free(op->args);
  }
  free(p->ops);
  p->ops = NULL;
}

int plan_from_js(napi_env env, napi_value ops, int sync_fd, struct plan *out) {
  uint32_t count;
  memset(out, 0, sizeof *out);
  out->sync_fd = sync_fd;
  out->trace_fd = -1;
  if (napi_get_array_length(env, ops, &count) != napi_ok) return throw_plan(env, 0, 0, "plan is not an array");
  out->ops = calloc(count ? count : 1, sizeof *out->ops);
  if (!out->ops) return throw_plan(env, 0, 0, "out of memory");
  out->count = count;
  for (uint32_t i = 0; i < count; i++) {
    napi_value opv, codev;
    uint32_t len;
    napi_get_element(env, ops, i, &opv);
    if (napi_get_array_length(env, opv, &len) != napi_ok || len < 1) return throw_plan(env, i, 0, "op is not [code, ...args]");
    napi_get_element(env, opv, 0, &codev);
    int32_t code;
    if (napi_get_value_int32(env, codev, &code) != napi_ok || code <= 0 || code >= OP__MAX)
      return throw_plan(env, i, 0, "unknown op code");
    struct plan_op *op = &out->ops[i];
    op->code = code;
    op->argc = (int)len - 1;
    op->args = calloc(len, sizeof *op->args);
    if (!op->args) return throw_plan(env, i, 0, "out of memory");
    for (uint32_t k = 1; k < len; k++) {
      napi_value av;
      napi_get_element(env, opv, k, &av);
      if (arg_from_js(env, av, &op->args[k - 1], i, k - 1) < 0) return -1;
    }
  }
  return 0;
}
