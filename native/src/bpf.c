/* cgroup v2 device control: loading and attaching a BPF_PROG_TYPE_CGROUP_DEVICE program. */
#include "napi_util.h"

void register_bpf(napi_env env, napi_value exports) { (void)env; (void)exports; }
