// The engine as a library: `openVessel({ root })` gives the containers, images, networks, volumes,
// system operations and events of one engine root, with the Docker Engine API's request and
// response types (src/engine/api-types.ts, generated from moby's swagger.yaml). The vessel CLI is
// one front end over it; other TypeScript programs (and the Engine API server) are others.
// Nothing is opened until first used: the state database opens on the first call.
import { DEFAULT_ROOT, openStore, type Store } from '../image/store/index.js';
import { Containers } from './containers/index.js';
import { openEngine, type Engine } from './engine.js';
import { Events } from './facade/events.js';
import { System } from './facade/system.js';
import { Volumes } from './facade/volumes.js';
import { Images } from './images/index.js';
import { Networks } from './networks/index.js';

export { DEFAULT_ROOT };

export interface VesselOptions {
  /** the engine root (default /var/lib/vessel): images, containers, networks and volumes live here */
  root?: string;
  /** The command that runs `vessel container cleanup` when a container exits and no caller is
   * there to do it (the supervisor runs it). Default: this process's node and script, which is
   * right for the vessel CLI; a program embedding the library passes the vessel CLI's. */
  cli?: string[];
}

export class Vessel {
  readonly root: string;
  readonly containers: Containers;
  readonly images: Images;
  readonly networks: Networks;
  readonly volumes: Volumes;
  readonly system: System;
  readonly events: Events;
  private store: Store | undefined;
  private opened: Engine | undefined;

  constructor(private readonly options: VesselOptions = {}) {
    this.root = options.root ?? DEFAULT_ROOT;
    const engine = () => this.engine();
    this.containers = new Containers(engine);
    this.images = new Images(engine);
    this.networks = new Networks(engine);
    this.volumes = new Volumes(engine);
    this.system = new System(engine);
    this.events = new Events(engine);
  }

  /** The engine context the lifecycle functions take (opened on first use). */
  engine(): Engine {
    if (!this.opened) {
      this.store = openStore(this.root);
      this.opened = this.options.cli ? openEngine(this.root, this.store, this.options.cli) : openEngine(this.root, this.store);
    }
    return this.opened;
  }

  /** Non-fatal problems noticed since the last call (a runtime fallback, an ignored option...). */
  takeWarnings(): string[] {
    return this.opened ? this.opened.warnings.splice(0) : [];
  }

  /** Closes the state database. The containers keep running under their supervisors. */
  close(): void {
    this.store?.close();
    this.store = undefined;
    this.opened = undefined;
  }
}

export function openVessel(options: VesselOptions = {}): Vessel {
  return new Vessel(options);
}
