/* Small helpers shared by the N-API glue files. */
#ifndef VESSEL_NAPI_UTIL_H
#define VESSEL_NAPI_UTIL_H
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>

/* Throws an Error shaped like Node's system errors: code (ENOENT…), errno, syscall, path. */
napi_value throw_errno(napi_env env, int err, const char *syscall, const char *path);
/* Argument readers: each throws a TypeError and returns false on a wrong type. */
bool arg_int(napi_env env, napi_value v, int64_t *out, const char *name);
/* A string argument copied into buf; NULL or undefined yields *out = NULL when nullable. */
bool arg_str(napi_env env, napi_value v, char *buf, size_t size, const char **out, bool nullable, const char *name);
napi_value make_int(napi_env env, int64_t n);
void export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb);

void register_syscalls(napi_env env, napi_value exports);
void register_bpf(napi_env env, napi_value exports);
void register_netlink(napi_env env, napi_value exports);
void register_pipe(napi_env env, napi_value exports);
void register_inroot(napi_env env, napi_value exports);
void register_netns_socket(napi_env env, napi_value exports);
#endif
