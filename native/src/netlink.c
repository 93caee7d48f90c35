/* Netlink sockets, optionally opened inside another network namespace. */
#include "napi_util.h"

void register_netlink(napi_env env, napi_value exports) { (void)env; (void)exports; }
