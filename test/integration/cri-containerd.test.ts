// Kubernetes' CRI through containerd 1.6 with vessel-runtime as the OCI runtime (runtime handler
// `vessel`, containerd-shim-runc-v2 with BinaryName = vessel-runtime), making the calls kubelet
// makes. Every pod test runs with runc as the handler too, as the reference. Needs Debian's
// containerd, containernetworking-plugins and runc (scripts/setup.sh installs them).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUSYBOX_IMAGE, containerdMissing, startContainerd, type Containerd } from '../fixtures/containerd.js';
import { streamExec, type CriClient } from '../fixtures/cri-client.js';

const missing = containerdMissing();
const HANDLERS = ['vessel', 'runc'] as const;
type Handler = (typeof HANDLERS)[number];
const MiB = 1024 * 1024;

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((res) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The init pid of a container, from the runtime's own state (the shim's --root is Root/<namespace>). */
function initPid(cd: Containerd, handler: Handler, id: string): number {
  const binary = handler === 'vessel' ? 'dist/vessel-runtime.cjs' : '/usr/sbin/runc';
  const state = JSON.parse(execFileSync(binary, ['--root', join(cd.runtimeRoot[handler], 'k8s.io'), 'state', id], { encoding: 'utf8' })) as { pid: number; status: string };
  assert.equal(state.status, 'running');
  return state.pid;
}

/** The containers the runtime still has state for (vessel-runtime also keeps its compiled seccomp filters there). */
function runtimeContainers(cd: Containerd, handler: Handler): string[] {
  return readdirSync(join(cd.runtimeRoot[handler], 'k8s.io')).filter((n) => n !== 'seccomp-cache');
}

function cgroupFile(cd: Containerd, controller: string, id: string, file: string): string {
  return readFileSync(join('/sys/fs/cgroup', controller, cd.cgroupParent, id, file), 'utf8').trim();
}

function podConfig(cd: Containerd, name: string, extra: Record<string, unknown> = {}, linux: Record<string, unknown> = {}) {
  return {
    metadata: { name, uid: `uid-${name}`, namespace: 'vessel-test', attempt: 0 },
    hostname: name,
    log_directory: join(cd.logDir, name),
    linux: { cgroup_parent: cd.cgroupParent, ...linux },
    ...extra,
  };
}

describe('CRI through containerd with vessel-runtime', { skip: missing, timeout: 600_000 }, () => {
  let cd: Containerd;
  let cri: CriClient;
  const netnsBefore = new Set(existsSync('/var/run/netns') ? readdirSync('/var/run/netns') : []);

  before(async () => {
    cd = await startContainerd();
    cri = cd.cri;
  });

  after(async () => {
    if (!cd) return;
    const { dir, bridge, cgroupParent } = cd;
    await cd.stop();
    assert.equal(existsSync(dir), false, 'the fixture directory is removed');
    assert.equal(existsSync(`/sys/class/net/${bridge}`), false, 'the CNI bridge is removed');
    for (const c of readdirSync('/sys/fs/cgroup')) assert.equal(existsSync(join('/sys/fs/cgroup', c, cgroupParent)), false, `no cgroup left in ${c}`);
    const netnsAfter = existsSync('/var/run/netns') ? readdirSync('/var/run/netns') : [];
    assert.deepEqual(netnsAfter.filter((n) => n.startsWith('cni-') && !netnsBefore.has(n)), [], 'no pod network namespace left');
    assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(dir), false, 'no mount left');
  });

  it('Version: containerd serves CRI v1', async () => {
    const v = await cri.version();
    assert.equal(v.runtime_name, 'containerd');
    assert.equal(v.runtime_api_version, 'v1');
  });

  for (const handler of HANDLERS) {
    describe(`runtime handler ${handler}`, () => {
      it('a pod: shared namespaces, a CNI address, a hostPort, exec, logs, limits, stats, stop and removal', async () => {
        const hostPort = await freePort();
        const pod = podConfig(
          cd,
          `web-${handler}`,
          { port_mappings: [{ protocol: 'TCP', container_port: 8080, host_port: hostPort, host_ip: '' }] },
          { security_context: { namespace_options: { network: 'POD', pid: 'POD', ipc: 'POD' } } },
        );
        const podId = await cri.runPodSandbox(pod, handler);
        const podStatus = await cri.podSandboxStatus(podId);
        assert.equal(podStatus.state, 'SANDBOX_READY');
        const [a, b, c] = cd.subnet.split('.');
        assert.ok(podStatus.network?.ip.startsWith(`${a}.${b}.${c}.`), `pod IP ${podStatus.network?.ip} is from ${cd.subnet}`);
        const podIp = podStatus.network!.ip;

        // "say" writes a line to stdout whenever /tmp/say appears: for the log tests
        const talker = await cri.createContainer(
          podId,
          {
            metadata: { name: 'talker' },
            image: { image: BUSYBOX_IMAGE },
            command: ['sh', '-c', 'echo started; echo oops >&2; while true; do if [ -f /tmp/say ]; then cat /tmp/say; rm /tmp/say; fi; sleep 0.1; done'],
            log_path: 'talker.log',
            linux: { resources: { cpu_period: 100000, cpu_quota: 50000, cpu_shares: 512, memory_limit_in_bytes: 64 * MiB } },
          },
          pod,
        );
        await cri.startContainer(talker);
        const web = await cri.createContainer(
          podId,
          {
            metadata: { name: 'web' },
            image: { image: BUSYBOX_IMAGE },
            command: ['sh', '-c', 'mkdir -p /tmp/www && echo hello-from-pod > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www'],
            log_path: 'web.log',
          },
          pod,
        );
        await cri.startContainer(web);
        for (const id of [talker, web]) assert.equal((await cri.containerStatus(id)).state, 'CONTAINER_RUNNING');

        const listed = await cri.listContainers(podId);
        assert.deepEqual(listed.map((x) => x.metadata.name).sort(), ['talker', 'web']);

        // namespaces: network, IPC, UTS and (asked for) PID shared by the pod's containers
        const ns = async (id: string) => (await cri.sh(id, 'for n in net ipc uts pid; do readlink /proc/self/ns/$n; done')).trim().split('\n');
        assert.deepEqual(await ns(talker), await ns(web));
        assert.equal((await cri.sh(talker, 'hostname')).trim(), `web-${handler}`);
        assert.match(await cri.sh(talker, 'ps -o comm'), /httpd/, 'the shared pid namespace shows the other container');
        assert.match(await cri.sh(talker, 'ip -4 addr show eth0'), new RegExp(`inet ${podIp.replace(/\./g, '\\.')}/24`));

        // the pod IP from the host, and the published hostPort (portmap) on 127.0.0.1
        const body = await until('httpd in the pod', () => httpGet(`http://${podIp}:8080/`).catch(() => undefined));
        assert.equal(body, 'hello-from-pod\n');
        assert.equal(await httpGet(`http://127.0.0.1:${hostPort}/`), 'hello-from-pod\n');

        // ExecSync with an exit code and stderr; Exec through the streaming URL (websocket, v4 channels)
        const r = await cri.execSync(talker, ['sh', '-c', 'echo out; echo err >&2; exit 7']);
        assert.deepEqual(r, { stdout: 'out\n', stderr: 'err\n', exit_code: 7 });
        const url = await cri.exec(talker, ['sh', '-c', 'echo streamed-$((6*7)); echo to-stderr >&2; exit 3']);
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/exec\//);
        const streamed = await streamExec(url);
        assert.equal(streamed.stdout, 'streamed-42\n');
        assert.equal(streamed.stderr, 'to-stderr\n');
        assert.equal(streamed.exitCode, 3);

        // logs in the CRI format: "TIMESTAMP STREAM TAG LINE"
        const logPath = join(cd.logDir, `web-${handler}`, 'talker.log');
        assert.equal((await cri.containerStatus(talker)).log_path, logPath);
        const log = await until('both log lines', () => {
          const t = readFileSync(logPath, 'utf8');
          return t.includes('oops') ? t : undefined;
        });
        assert.match(log, /^\S+Z stdout F started$/m);
        assert.match(log, /^\S+Z stderr F oops$/m);
        // ReopenContainerLog after rotation: new lines go to a new file at the same path
        renameSync(logPath, `${logPath}.1`);
        await cri.call('ReopenContainerLog', { container_id: talker });
        await cri.sh(talker, 'echo after-reopen > /tmp/say');
        await until('the line in the reopened log', () => (existsSync(logPath) && readFileSync(logPath, 'utf8').includes('after-reopen') ? true : undefined));
        assert.equal(readFileSync(`${logPath}.1`, 'utf8').includes('after-reopen'), false);

        // limits from the requests, in the container's cgroup; then UpdateContainerResources
        assert.equal(cgroupFile(cd, 'memory', talker, 'memory.limit_in_bytes'), String(64 * MiB));
        assert.equal(cgroupFile(cd, 'cpu', talker, 'cpu.cfs_quota_us'), '50000');
        assert.equal(cgroupFile(cd, 'cpu', talker, 'cpu.cfs_period_us'), '100000');
        assert.equal(cgroupFile(cd, 'cpu', talker, 'cpu.shares'), '512');
        await cri.call('UpdateContainerResources', { container_id: talker, linux: { cpu_period: 100000, cpu_quota: 20000, cpu_shares: 256, memory_limit_in_bytes: 96 * MiB } });
        assert.equal(cgroupFile(cd, 'memory', talker, 'memory.limit_in_bytes'), String(96 * MiB));
        assert.equal(cgroupFile(cd, 'cpu', talker, 'cpu.cfs_quota_us'), '20000');
        assert.equal(cgroupFile(cd, 'cpu', talker, 'cpu.shares'), '256');

        // ContainerStats: containerd reads the cgroup through the shim's stats (runtime `events --stats` is not used)
        const stats = await cri.call<{ stats: { memory: { working_set_bytes: { value: number } }; cpu: { usage_core_nano_seconds: { value: number } } } }>('ContainerStats', { container_id: talker });
        assert.ok(stats.stats.memory.working_set_bytes.value > 0, 'memory working set');
        assert.ok(stats.stats.cpu.usage_core_nano_seconds.value > 0, 'cpu usage');

        // StopContainer: SIGTERM, then SIGKILL after the timeout
        await cri.stopContainer(web, 5);
        const stopped = await cri.containerStatus(web);
        assert.equal(stopped.state, 'CONTAINER_EXITED');

        await cri.stopPodSandbox(podId);
        assert.equal((await cri.containerStatus(talker)).state, 'CONTAINER_EXITED');
        assert.equal((await cri.podSandboxStatus(podId)).state, 'SANDBOX_NOTREADY');
        await cri.removePodSandbox(podId);
        assert.deepEqual(await cri.listContainers(podId), []);
        assert.deepEqual(await cri.listPodSandboxes(), []);
        // nothing left in the runtime's state, the pod's cgroups, or the host's nat table
        assert.deepEqual(runtimeContainers(cd, handler), []);
        for (const id of [podId, talker, web]) assert.equal(existsSync(join('/sys/fs/cgroup/memory', cd.cgroupParent, id)), false, `cgroup of ${id} removed`);
        assert.equal(execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' }).includes(`--dport ${hostPort}`), false, 'the hostPort rule is removed');
      });

      it('securityContext: user, read-only root, capabilities, no_new_privs, seccomp RuntimeDefault', async () => {
        const pod = podConfig(cd, `sec-${handler}`);
        const podId = await cri.runPodSandbox(pod, handler);
        const id = await cri.createContainer(
          podId,
          {
            metadata: { name: 'locked' },
            image: { image: BUSYBOX_IMAGE },
            command: ['sleep', '1000'],
            log_path: 'locked.log',
            linux: {
              security_context: {
                run_as_user: { value: 1000 },
                run_as_group: { value: 1000 },
                readonly_rootfs: true,
                no_new_privs: true,
                capabilities: { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['CHOWN'] },
                seccomp: { profile_type: 'RuntimeDefault' },
              },
            },
          },
          pod,
        );
        await cri.startContainer(id);
        assert.equal((await cri.sh(id, 'id -u; id -g')).trim(), '1000\n1000');
        const w = await cri.execSync(id, ['touch', '/newfile']);
        assert.notEqual(w.exit_code, 0);
        assert.match(w.stderr, /Read-only file system/);
        const status = await cri.sh(id, 'cat /proc/self/status');
        const bnd = BigInt(`0x${/^CapBnd:\s*(\S+)/m.exec(status)![1]}`);
        assert.equal((bnd >> 12n) & 1n, 1n, 'CAP_NET_ADMIN added to the bounding set');
        assert.equal(bnd & 1n, 0n, 'CAP_CHOWN dropped');
        assert.match(status, /^NoNewPrivs:\s*1$/m);
        assert.match(status, /^Seccomp:\s*2$/m, 'a seccomp filter is installed');
        // the default profile blocks unshare(CLONE_NEWUSER) without CAP_SYS_ADMIN, which the kernel alone would allow
        const u = await cri.execSync(id, ['unshare', '-U', 'true']);
        assert.notEqual(u.exit_code, 0);
        assert.match(u.stderr, /Operation not permitted/);
        await cri.stopPodSandbox(podId);
        await cri.removePodSandbox(podId);
      });

      it('a container killed from outside, or exiting by itself, is reported exited with its code', async () => {
        const pod = podConfig(cd, `kill-${handler}`);
        const podId = await cri.runPodSandbox(pod, handler);
        const mk = async (name: string, command: string[]) => {
          const id = await cri.createContainer(podId, { metadata: { name }, image: { image: BUSYBOX_IMAGE }, command, log_path: `${name}.log` }, pod);
          await cri.startContainer(id);
          return id;
        };
        const victim = await mk('victim', ['sleep', '1000']);
        const quitter = await mk('quitter', ['sh', '-c', 'sleep 0.3; exit 3']);
        process.kill(initPid(cd, handler, victim), 'SIGKILL');
        const killed = await until('the killed container to be exited', async () => {
          const s = await cri.containerStatus(victim);
          return s.state === 'CONTAINER_EXITED' ? s : undefined;
        });
        assert.equal(killed.exit_code, 137);
        const quit = await until('the container to exit', async () => {
          const s = await cri.containerStatus(quitter);
          return s.state === 'CONTAINER_EXITED' ? s : undefined;
        });
        assert.equal(quit.exit_code, 3);
        await cri.removeContainer(victim);
        await cri.removeContainer(quitter);
        await cri.stopPodSandbox(podId);
        await cri.removePodSandbox(podId);
        assert.deepEqual(runtimeContainers(cd, handler), []);
      });
    });
  }
});
