{
  "targets": [
    {
      "target_name": "vessel",
      "sources": [
        "native/src/addon.c",
        "native/src/plan.c",
        "native/src/child.c",
        "native/src/syscalls.c",
        "native/src/bpf.c",
        "native/src/netlink.c"
      ],
      "cflags": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "defines": ["_GNU_SOURCE", "NAPI_VERSION=8"]
    }
  ]
}
