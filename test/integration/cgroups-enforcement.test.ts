// Cgroup enforcement on this host with the driver it needs (v1 here: one hierarchy per controller;
// v2 on a pure unified host). The v2 driver is also tested in a VM: test/vm/run-cgroup2-tests.sh.
import { detectCgroupDriver } from '../../src/cgroups/index.js';
import { cgroupEnforcementSuite } from '../vm/cgroup-enforcement.js';

// the lower bound is loose because other test files share the two cores; the upper one is the limit
cgroupEnforcementSuite(detectCgroupDriver(), { cpuShareRange: [0.1, 0.25] });
