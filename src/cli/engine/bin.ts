// Entry point of the `vessel` bundle.
import { runVessel } from './program.js';

void runVessel(process.argv.slice(2));
