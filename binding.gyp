{
  "targets": [
    {
      "target_name": "vessel",
      "sources": [
        "native/src/addon.c",
        "native/src/plan.c",
        "native/nsexec/wire_write.c",
        "native/nsexec/launch.c",
        "native/src/syscalls.c",
        "native/src/bpf.c",
        "native/src/netlink.c",
        "native/src/pipe.c",
        "native/src/netns_socket.c",
        "native/src/inroot.c"
      ],
      "cflags": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "defines": ["_GNU_SOURCE", "NAPI_VERSION=8"]
    },
    {
      "target_name": "vessel-nsexec",
      "type": "executable",
      "sources": [
        "native/nsexec/main.c",
        "native/nsexec/wire_read.c",
        "native/src/child.c"
      ],
      "cflags": ["-std=gnu11", "-Os", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "ldflags": ["-static", "-s"],
      "defines": ["_GNU_SOURCE"]
    },
    {
      "target_name": "vessel-supervisor",
      "type": "executable",
      "sources": [
        "native/supervisor/main.c",
        "native/supervisor/options.c",
        "native/supervisor/clock.c",
        "native/supervisor/json_log.c",
        "native/supervisor/attach.c",
        "native/supervisor/exit_report.c",
        "native/supervisor/runtime_create.c"
      ],
      "cflags": ["-std=gnu11", "-Os", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "ldflags": ["-static", "-s"],
      "defines": ["_GNU_SOURCE"]
    },
    {
      "target_name": "vessel-init",
      "type": "executable",
      "sources": ["native/init/init.c"],
      "cflags": ["-std=gnu11", "-Os", "-Wall", "-Wextra"],
      "ldflags": ["-static", "-s"],
      "defines": ["_GNU_SOURCE"]
    }
  ]
}
