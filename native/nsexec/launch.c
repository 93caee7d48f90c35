/* See launch.h. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

#define STUB_NAME "vessel-nsexec"
#define STUB_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static pthread_mutex_t image_lock = PTHREAD_MUTEX_INITIALIZER;
static int image_fd = -1;
static char stub_path[4096];

static int failed(struct launch_error *e, int err, const char *call, const char *path) {
  *e = (struct launch_error){err, call, path};
  return -1;
}

/* Kernels before 6.3 reject the exec flags; they make every memfd executable anyway. */
static int memfd(const char *name, unsigned flags, unsigned exec_flag) {
  int fd = memfd_create(name, flags | exec_flag);
  if (fd < 0 && errno == EINVAL) fd = memfd_create(name, flags);
  return fd;
}

static int find_stub(struct launch_error *e) {
  const char *env = getenv("VESSEL_NSEXEC");
  if (env && *env) {
    if (strlen(env) >= sizeof stub_path) return failed(e, ENAMETOOLONG, "open", env);
    strcpy(stub_path, env);
    return 0;
  }
  /* The stub is built next to the addon (build/Release/): find where this code was loaded from. */
  Dl_info info;
  if (!dladdr((void *)&nsexec_image_fd, &info) || !info.dli_fname) return failed(e, ENOENT, "dladdr", STUB_NAME);
  const char *slash = strrchr(info.dli_fname, '/');
  size_t dir = slash ? (size_t)(slash - info.dli_fname) + 1 : 0;
  if (dir + sizeof STUB_NAME > sizeof stub_path) return failed(e, ENAMETOOLONG, "open", info.dli_fname);
  memcpy(stub_path, info.dli_fname, dir);
  memcpy(stub_path + dir, STUB_NAME, sizeof STUB_NAME);
  return 0;
}

static int copy_sealed(int src, struct launch_error *e) {
  struct stat st;
  if (fstat(src, &st) < 0) return failed(e, errno, "fstat", stub_path);
  if (!S_ISREG(st.st_mode) || st.st_size == 0) return failed(e, ENOEXEC, "open", stub_path);
  int fd = memfd(STUB_NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING, MFD_EXEC);
  if (fd < 0) return failed(e, errno, "memfd_create", STUB_NAME);
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(fd, src, &off, (size_t)(st.st_size - off));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      close(fd);
      return failed(e, err, "sendfile", stub_path);
    }
  }
  /* F_SEAL_EXEC (Linux 6.3+) also keeps a container from chmod-ing the copy unusable. */
  if (fcntl(fd, F_ADD_SEALS, STUB_SEALS | F_SEAL_EXEC) < 0 && (errno != EINVAL || fcntl(fd, F_ADD_SEALS, STUB_SEALS) < 0)) {
    int err = errno;
    close(fd);
    return failed(e, err, "fcntl(F_ADD_SEALS)", STUB_NAME);
  }
  return fd;
}

int nsexec_image_fd(struct launch_error *e) {
  pthread_mutex_lock(&image_lock);
  int fd = image_fd;
  if (fd < 0 && find_stub(e) == 0) {
    int src = open(stub_path, O_RDONLY | O_CLOEXEC);
    if (src < 0) {
      failed(e, errno, "open", stub_path);
    } else {
      fd = image_fd = copy_sealed(src, e);
      close(src);
    }
  }
  pthread_mutex_unlock(&image_lock);
  return fd;
}

int nsexec_plan_fd(const struct wire_image *img, struct launch_error *e) {
  int fd = memfd("vessel-plan", MFD_CLOEXEC, MFD_NOEXEC_SEAL);
  if (fd < 0) return failed(e, errno, "memfd_create", "vessel-plan");
  const char *p = img->data;
  size_t left = img->size;
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      close(fd);
      return failed(e, err, "write", "vessel-plan");
    }
    p += n;
    left -= (size_t)n;
  }
  return fd;
}

struct enter_args {
  int image, plan_fd, sync_fd;
  const struct wire_image *img;
};

/* The child shares the runtime's memory until its exec (CLONE_VM): it runs on its own stack, writes
 * nothing of the runtime's but errno, and makes raw system calls only. */
static int enter(void *p) {
  const struct enter_args *a = p;
  for (size_t i = 0; i < a->img->cloexec_count; i++) fcntl(a->img->cloexec_fds[i], F_SETFD, 0);
  fcntl(a->plan_fd, F_SETFD, 0);
  char num[12];
  char *d = num + sizeof num;
  *--d = 0;
  unsigned v = (unsigned)a->plan_fd;
  do *--d = (char)('0' + v % 10); while ((v /= 10) && d > num);
  char *argv[] = {STUB_NAME, d, NULL};
  char *envp[] = {NULL};
  syscall(SYS_execveat, a->image, "", argv, envp, AT_EMPTY_PATH);
  struct child_msg m = {MSG_ERROR, -1, errno, 0};
  send(a->sync_fd, &m, sizeof m, MSG_NOSIGNAL);
  _exit(126);
}

/* Big enough for enter() and the failure path's libc wrappers. */
#define CHILD_STACK (64 * 1024)

pid_t nsexec_spawn(int image, int plan_fd, const struct wire_image *img, int sync_fd) {
  /* CLONE_VM|CLONE_VFORK, as posix_spawn does: the child execs at once, so there is no reason to
   * copy the page tables of a large Node process, nor to make it take copy-on-write faults
   * afterwards. We wait (suspended) only until the exec. Signals stay blocked meanwhile so that
   * none of Node's handlers runs on the shared memory; vessel-nsexec unblocks them. */
  struct enter_args args = {image, plan_fd, sync_fd, img};
  char *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = clone(enter, stack + CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
  int err = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  munmap(stack, CHILD_STACK);
  errno = err;
  return pid;
}
