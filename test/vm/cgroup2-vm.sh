#!/bin/bash
# Runs one command as root in a throwaway VM whose kernel mounts a pure cgroup v2 hierarchy at
# /sys/fs/cgroup with every controller (this machine's kernel binds its controllers to v1, so v2
# enforcement can only be tested in a VM).
#   test/vm/cgroup2-vm.sh [-C DIR] COMMAND [ARG...]
# Debian's kernel boots under qemu's TCG emulator in a few seconds. The VM sees this machine's /
# read-only over 9p, with tmpfs on /tmp, /run, /var/tmp and /var/lib/vessel; DIR (default: the
# current directory) is shared read-write at the same path and is the working directory. The
# command's output is printed and its exit status becomes ours (125: the VM itself failed).
# Needs: qemu-system-x86 linux-image-amd64 busybox-static cpio
set -eu

share=$PWD
if [ "${1:-}" = -C ]; then share=$(readlink -f "$2"); shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-C DIR] COMMAND [ARG...]" >&2; exit 2; }

kver=$(ls /lib/modules | sort -V | tail -n1)
kernel=/boot/vmlinuz-$kver
[ -r "$kernel" ] || { echo "$0: no $kernel (apt-get install linux-image-amd64)" >&2; exit 125; }
command -v qemu-system-x86_64 >/dev/null || { echo "$0: apt-get install qemu-system-x86" >&2; exit 125; }

work=$(mktemp -d /tmp/vessel-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The initramfs: busybox, the modules that 9p over virtio needs (Debian builds them as modules),
# loop for block-device tests, and an init that mounts the shares and runs the command.
modules="drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev
  drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci fs/netfs/netfs fs/fscache/fscache
  net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p drivers/block/loop"
root=$work/initramfs
mkdir -p "$root"/{bin,dev,proc,sys,mods,host}
cp /bin/busybox "$root/bin/busybox"
for applet in sh mount insmod switch_root poweroff mkdir; do ln -s busybox "$root/bin/$applet"; done
for m in $modules; do
  src=/lib/modules/$kver/kernel/$m.ko
  if [ -f "$src" ]; then cp "$src" "$root/mods/"; else xz -dc "$src.xz" > "$root/mods/$(basename "$m").ko"; fi
  echo "$(basename "$m")" >> "$root/mods/order"
done
printf '%q ' "$@" > "$root/command"
printf '%s' "$share" > "$root/share-path"

cat > "$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do insmod /mods/$m.ko; done
h=/host
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot $h || { echo "VM: cannot mount the host root"; poweroff -f; }
mount -t proc proc $h/proc
mount -t sysfs sysfs $h/sys
mount -t cgroup2 cgroup2 $h/sys/fs/cgroup
mount -t devtmpfs dev $h/dev
mkdir -p $h/dev/pts $h/dev/shm
mount -t devpts devpts $h/dev/pts
mount -t tmpfs shm $h/dev/shm
for d in /tmp /run /var/tmp /var/lib/vessel; do [ -d $h$d ] && mount -t tmpfs tmp $h$d; done
share=$(cat /share-path)
# a share below one of the tmpfs directories (a clone in /tmp) needs its mount point made there
mkdir -p "$h$share" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 repo "$h$share" || echo "VM: cannot mount $share"
# switch_root rather than chroot: the kernel refuses new user namespaces to a chrooted process,
# and the rootless tests need them. The host's busybox powers the VM off after the command.
exec switch_root $h /bin/busybox sh -c "cd '$share' && export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin && $(cat /command); echo VESSEL-VM-EXIT=\$?; /bin/busybox poweroff -f"
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$work/initramfs.gz"

# KVM exists on this machine but is far slower than TCG here; cgroup_no_v1=all leaves every
# controller to the v2 hierarchy.
timeout "${VESSEL_VM_TIMEOUT:-1800}" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 4096 \
  -nographic -no-reboot -kernel "$kernel" -initrd "$work/initramfs.gz" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$share,mount_tag=repo,security_model=none,multidevs=remap" \
  -append "console=ttyS0 quiet loglevel=0 cgroup_no_v1=all panic=-1" > "$work/console.log" 2>&1 || true

# The console mixes firmware noise and terminal escapes with the command's output: print what
# follows the boot, and take the exit status from the marker line.
tr -d '\r' < "$work/console.log" | sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' |
  awk '/^VESSEL-VM-EXIT=/ { code = substr($0, 16); next } booted { print } /Booting from ROM/ { booted = 1 }
       END { exit code == "" ? 125 : code }'
