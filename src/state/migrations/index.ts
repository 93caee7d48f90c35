// Every schema change the engine has ever made, in order. Adding a table is one new numbered file
// here and one line in this list; applied versions are recorded in the `migrations` table.
import type { Migration } from '../db.js';
import { images } from './001-images.js';
import { containers } from './002-containers.js';
import { networks } from './006-networks.js';

export const migrations: readonly Migration[] = [images, containers, networks];
